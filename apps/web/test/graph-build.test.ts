import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '../src/modules/graph/lib/analyze';

const rollout = fs.readFileSync('/tmp/ui-dev/seed/rollout.yaml', 'utf8');

describe('flow graph', () => {
  it('builds', () => {
    const r = analyzeFlow({ source: rollout, validate: false }, undefined);
    console.log(r.graph.layout, r.graph.width, r.graph.height, r.timings);
    for (const n of r.graph.nodes) console.log(n.kind, n.id, n.x, n.y, n.width, n.height);
    console.log(r.graph.edges.map((e) => `${e.source} -> ${e.target}`).join('\n'));
    expect(r.graph.nodes.length).toBeGreaterThan(5);
  });
});
