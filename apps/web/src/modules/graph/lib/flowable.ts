// How flowable task types hold their children. Keyed by the last segment of the type, so Baton's
// names (core.Parallel) and Kestra's (io.kestra.plugin.core.flow.Parallel) read the same.

export type FlowableRole = 'sequential' | 'parallel' | 'dag' | 'if' | 'switch' | 'foreach';

const ROLES: Record<string, FlowableRole> = {
  Sequential: 'sequential',
  Parallel: 'parallel',
  Dag: 'dag',
  If: 'if',
  Switch: 'switch',
  ForEach: 'foreach',
  EachSequential: 'foreach',
  EachParallel: 'foreach',
};

export function lastSegment(type: string | undefined) {
  if (!type) return '';
  const i = type.lastIndexOf('.');
  return i < 0 ? type : type.slice(i + 1);
}

export function flowableRole(type: string | undefined): FlowableRole | undefined {
  return ROLES[lastSegment(type)];
}

/** Readable type: Baton ids lose their `core.` prefix, Kestra names keep what follows `plugin.`. */
export function shortType(type: string | undefined) {
  if (!type) return '';
  if (type.startsWith('core.')) return type.slice(5);
  const kestra = /^io\.kestra\.plugin\.(?:ee\.)?(?:core\.(?:flow|log|execution|http|output)\.)?(.*)$/.exec(type);
  return kestra ? kestra[1] : type;
}
