// The subset of v4's OData query options the simulator understands: `$filter` with `eq`/`ne`
// comparisons, `startswith`/`contains`, `and`, and the recovery points' `any` over VM ids;
// `$orderby field [asc|desc]`; `$page` (0-based) and `$limit` (1..100, default 50).

export class ODataError extends Error {}

type Predicate = (item: Record<string, unknown>) => boolean;

function read(item: Record<string, unknown>, path: string): unknown {
  return path.split('/').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), item);
}

/** `'x'`, `Vmm.Ahv.Config.PowerState'ON'`, `true`, `42`. */
function literal(text: string): unknown {
  const t = text.trim();
  const quoted = /^(?:[A-Za-z0-9_.]+)?'((?:[^']|'')*)'$/.exec(t);
  if (quoted) return quoted[1].replace(/''/g, "'");
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new ODataError(`cannot read the value ${t} in $filter; quote strings: name eq 'web-01'`);
}

function clause(text: string): Predicate {
  const t = text.trim();
  let m = /^(startswith|contains)\(\s*([\w/]+)\s*,\s*(.+)\)$/.exec(t);
  if (m) {
    const [, fn, field, value] = m;
    const want = String(literal(value));
    return (item) => {
      const v = read(item, field);
      return typeof v === 'string' && (fn === 'startswith' ? v.startsWith(want) : v.includes(want));
    };
  }
  m = /^([\w/]+)\/any\(\s*(\w+)\s*:\s*\2\/([\w/]+)\s+eq\s+(.+)\)$/.exec(t);
  if (m) {
    const [, list, , field, value] = m;
    const want = literal(value);
    return (item) => {
      const arr = read(item, list);
      return Array.isArray(arr) && arr.some((x) => read(x as Record<string, unknown>, field) === want);
    };
  }
  m = /^([\w/]+)\s+(eq|ne|gt|lt|ge|le)\s+(.+)$/.exec(t);
  if (m) {
    const [, field, op, value] = m;
    const want = literal(value);
    return (item) => {
      const v = read(item, field) as never;
      switch (op) {
        case 'eq':
          return v === want;
        case 'ne':
          return v !== want;
        case 'gt':
          return v > (want as never);
        case 'lt':
          return v < (want as never);
        case 'ge':
          return v >= (want as never);
        default:
          return v <= (want as never);
      }
    };
  }
  throw new ODataError(`unsupported $filter clause "${t}"; use field eq 'value', startswith(field,'x'), contains(field,'x'), joined with and`);
}

export function parseFilter(filter: string | null): Predicate {
  if (!filter || !filter.trim()) return () => true;
  const parts = filter.split(/\s+and\s+/i).map(clause);
  return (item) => parts.every((p) => p(item));
}

export interface Page<T> {
  items: T[];
  total: number;
}

export function applyQuery<T extends Record<string, unknown>>(items: T[], query: URLSearchParams): Page<T> {
  const filtered = items.filter(parseFilter(query.get('$filter')));
  const orderby = query.get('$orderby');
  if (orderby) {
    const [field, dir = 'asc'] = orderby.trim().split(/\s+/);
    if (!/^(asc|desc)$/i.test(dir)) throw new ODataError(`$orderby direction must be asc or desc, not ${dir}`);
    const sign = dir.toLowerCase() === 'desc' ? -1 : 1;
    filtered.sort((a, b) => {
      const x = read(a, field) as never;
      const y = read(b, field) as never;
      return x === y ? 0 : x > y ? sign : -sign;
    });
  }
  const limit = intParam(query, '$limit', 50, 1, 100);
  const page = intParam(query, '$page', 0, 0, 1_000_000);
  return { items: filtered.slice(page * limit, page * limit + limit), total: filtered.length };
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ODataError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}
