import { GROUP_HEADER, LANE_HEADER, type Block, type FlowGraph, type GraphNode } from './types';

// The fast layout: flows are nested sequences and branches, so their layout is a recursive
// box-packing pass — O(n), a few milliseconds for thousands of tasks — instead of a general
// layered-graph solver (dagre is O(n²)-ish on such graphs and takes seconds at 500 nodes).

export const GAP_Y = 34;
export const GAP_X = 24;
const PAD_X = 14;
const JUNCTION_GAP = 22;
const GROUP_BOTTOM = 12;
const LANE_TOP = 10;
const LANE_BOTTOM = 14;
const MIN_LANE_W = 150;

interface Size {
  w: number;
  h: number;
}

export function structuralLayout(graph: FlowGraph): { width: number; height: number } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const sizes = new Map<Block, Size>();

  const measure = (b: Block): Size => {
    const cached = sizes.get(b);
    if (cached) return cached;
    let s: Size;
    switch (b.kind) {
      case 'node': {
        const n = byId.get(b.id)!;
        s = { w: n.width, h: n.height };
        break;
      }
      case 'seq': {
        const items = b.items.map(measure);
        s = { w: Math.max(0, ...items.map((i) => i.w)), h: items.reduce((h, i) => h + i.h, 0) + GAP_Y * Math.max(0, items.length - 1) };
        break;
      }
      case 'par': {
        const branches = b.branches.map(measure);
        s = { w: branches.reduce((w, i) => w + i.w, 0) + GAP_X * Math.max(0, branches.length - 1), h: Math.max(0, ...branches.map((i) => i.h)) };
        break;
      }
      case 'group': {
        const body = measure(b.body);
        const header = byId.get(b.id)!;
        const j = byId.get(b.in)!.height;
        const bodyH = body.h ? body.h + 2 * JUNCTION_GAP : JUNCTION_GAP;
        s = { w: Math.max(body.w + 2 * PAD_X, header.width), h: GROUP_HEADER + 8 + j + bodyH + j + GROUP_BOTTOM };
        break;
      }
      case 'lane': {
        const body = measure(b.body);
        s = { w: Math.max(body.w + 2 * PAD_X, MIN_LANE_W), h: LANE_HEADER + LANE_TOP + body.h + LANE_BOTTOM };
        break;
      }
    }
    sizes.set(b, s);
    return s;
  };

  const setBox = (n: GraphNode, x: number, y: number, w?: number, h?: number) => {
    n.x = x;
    n.y = y;
    if (w !== undefined) n.width = w;
    if (h !== undefined) n.height = h;
  };

  /** Places block b in a column of width `w` starting at (x, y). */
  const place = (b: Block, x: number, y: number, w: number) => {
    const s = measure(b);
    const cx = x + (w - s.w) / 2;
    switch (b.kind) {
      case 'node':
        setBox(byId.get(b.id)!, cx, y);
        break;
      case 'seq': {
        let yy = y;
        for (const item of b.items) {
          place(item, cx, yy, s.w);
          yy += measure(item).h + GAP_Y;
        }
        break;
      }
      case 'par': {
        let xx = cx;
        for (const branch of b.branches) {
          const bs = measure(branch);
          place(branch, xx, y, bs.w);
          xx += bs.w + GAP_X;
        }
        break;
      }
      case 'group': {
        const group = byId.get(b.id)!;
        setBox(group, cx, y, s.w, s.h);
        const jIn = byId.get(b.in)!;
        const jOut = byId.get(b.out)!;
        const mid = cx + s.w / 2;
        let yy = y + GROUP_HEADER + 8;
        setBox(jIn, mid - jIn.width / 2, yy);
        yy += jIn.height;
        const body = measure(b.body);
        if (body.h) {
          yy += JUNCTION_GAP;
          place(b.body, cx + (s.w - body.w) / 2, yy, body.w);
          yy += body.h + JUNCTION_GAP;
        } else {
          yy += JUNCTION_GAP;
        }
        setBox(jOut, mid - jOut.width / 2, yy);
        break;
      }
      case 'lane': {
        setBox(byId.get(b.id)!, cx, y, s.w, s.h);
        const body = measure(b.body);
        place(b.body, cx + (s.w - body.w) / 2, y + LANE_HEADER + LANE_TOP, body.w);
        break;
      }
    }
  };

  const size = measure(graph.root);
  place(graph.root, 0, 0, size.w);
  return { width: size.w, height: size.h };
}
