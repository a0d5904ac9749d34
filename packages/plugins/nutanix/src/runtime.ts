import { PluginError, defineRuntime, isPluginError, z, type PluginRuntime, type TaskContext } from '@baton/plugin-sdk';
import { CONTENT, DP, PrismClient, VMM, createdEntities, type Connection, type PrismTask, type WaitOptions } from './client';
import * as d from './definitions';

// Nutanix AHV task runtimes. Only the worker imports this module (`@baton/plugin-nutanix/runtime`).

const REL_VM = 'vmm:ahv:config:vm';
const REL_TEMPLATE = 'vmm:content:template';
const REL_RP = 'dataprotection:config:recovery-point';

function readProps<S extends z.ZodType>(schema: S, raw: unknown, taskType: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new PluginError('INVALID_PROPERTIES', `invalid properties for ${taskType}:\n${z.prettifyError(result.error)}`, { retryable: false });
  return result.data;
}

function open<P extends Connection>(ctx: TaskContext<unknown>, props: P): PrismClient {
  return new PrismClient(ctx, props);
}

const flatVm = (vm: any) => ({ extId: vm.extId as string, name: vm.name as string, powerState: vm.powerState as string });
const id = (s: string) => encodeURIComponent(s);

/** The one entity of `rel` the task made, or a clear error when Prism did not say. */
function created(task: PrismTask, rel: string, what: string, exclude: string[] = []): string {
  const [first] = createdEntities(task, rel, exclude);
  if (!first) throw new PluginError('REMOTE_ERROR', `Prism task ${task.extId} succeeded but names no ${what} among its affected entities`, { retryable: false });
  return first;
}

/** Power action on a VM, unless it is already in `target`. Reads the ETag just before. */
async function power(client: PrismClient, vmExtId: string, action: string, target: 'ON' | 'OFF', wait: WaitOptions, ctx: TaskContext<unknown>) {
  const { vm, etag } = await client.getVm(vmExtId);
  const resuming = (ctx.resumeDetails as { op?: string; key?: string } | undefined)?.op === action;
  if (vm.powerState === target && !resuming) {
    ctx.logger.info(`VM ${vm.name} (${vmExtId}) is already ${target}: nothing to do`);
    return { task: undefined, vm, changed: false };
  }
  const task = await client.runTask(
    action,
    vmExtId,
    async (requestId) => (await client.call('POST', `${VMM}/vms/${id(vmExtId)}/$actions/${action}`, { requestId, ifMatch: etag, body: {} })).data.extId,
    wait,
  );
  const after = wait.wait ? (await client.getVm(vmExtId)).vm : vm;
  return { task, vm: after, changed: true };
}

const taskFields = (task: PrismTask | undefined) => (task ? { taskExtId: task.extId, taskStatus: task.status } : {});

export const createVmRuntime = defineRuntime(d.createVmDefinition, async (ctx) => {
  const p = readProps(d.createVmDefinition.props, ctx.props, d.createVmDefinition.id);
  const client = open(ctx, p);
  const task = await client.runTask(
    'create-vm',
    p.vm.name,
    async (requestId) => (await client.call('POST', `${VMM}/vms`, { requestId, body: p.vm, what: `creating VM ${p.vm.name}` })).data.extId,
    p,
  );
  if (!p.wait) return { ...taskFields(task), name: p.vm.name };
  const extId = created(task, REL_VM, 'VM');
  let vm = (await client.getVm(extId)).vm;
  ctx.logger.info(`created VM ${vm.name} (${extId})`);
  if (p.powerOn) vm = (await power(client, extId, 'power-on', 'ON', p, ctx)).vm;
  return { ...taskFields(task), ...flatVm(vm), vm };
});

export const startVmRuntime = defineRuntime(d.startVmDefinition, async (ctx) => {
  const p = readProps(d.startVmDefinition.props, ctx.props, d.startVmDefinition.id);
  const r = await power(open(ctx, p), p.vmExtId, 'power-on', 'ON', p, ctx);
  return { ...taskFields(r.task), ...flatVm(r.vm), changed: r.changed };
});

export const stopVmRuntime = defineRuntime(d.stopVmDefinition, async (ctx) => {
  const p = readProps(d.stopVmDefinition.props, ctx.props, d.stopVmDefinition.id);
  const method = !p.gracefully ? 'power-off' : p.guest ? 'guest-shutdown' : 'shutdown';
  const r = await power(open(ctx, p), p.vmExtId, method, 'OFF', p, ctx);
  return { ...taskFields(r.task), ...flatVm(r.vm), changed: r.changed, method };
});

export const deleteVmRuntime = defineRuntime(d.deleteVmDefinition, async (ctx) => {
  const p = readProps(d.deleteVmDefinition.props, ctx.props, d.deleteVmDefinition.id);
  const client = open(ctx, p);
  const resuming = (ctx.resumeDetails as { op?: string } | undefined)?.op === 'delete-vm';
  const found = await client.findVm(p.vmExtId);
  if (!found && !resuming) {
    if (p.failIfNotFound)
      throw new PluginError('NOT_FOUND', `VM ${p.vmExtId} does not exist in Prism Central at ${client.base}; set failIfNotFound: false to accept that`, { retryable: false });
    ctx.logger.info(`VM ${p.vmExtId} does not exist: nothing to delete`);
    return { vmExtId: p.vmExtId, deleted: false };
  }
  const task = await client.runTask(
    'delete-vm',
    p.vmExtId,
    async (requestId) => (await client.call('DELETE', `${VMM}/vms/${id(p.vmExtId)}`, { requestId, ifMatch: found?.etag })).data.extId,
    p,
  );
  return { ...taskFields(task), vmExtId: p.vmExtId, deleted: true };
});

async function listAll(client: PrismClient, path: string, query: { filter?: string; orderBy?: string; limit: number; fetchAll: boolean }) {
  const items: any[] = [];
  let total = 0;
  for (let page = 0; ; page++) {
    const r = await client.call<any[]>('GET', path, { query: { $filter: query.filter, $orderby: query.orderBy, $limit: query.limit, $page: page } });
    const data = r.data ?? [];
    items.push(...data);
    total = r.body?.metadata?.totalAvailableResults ?? items.length;
    if (!query.fetchAll || data.length < query.limit || items.length >= total) break;
  }
  return { items, total };
}

export const listVmsRuntime = defineRuntime(d.listVmsDefinition, async (ctx) => {
  const p = readProps(d.listVmsDefinition.props, ctx.props, d.listVmsDefinition.id);
  const { items, total } = await listAll(open(ctx, p), `${VMM}/vms`, p);
  ctx.logger.info(`${items.length} VM(s) of ${total}`);
  return { vms: items, total, count: items.length };
});

export const getVmRuntime = defineRuntime(d.getVmDefinition, async (ctx) => {
  const p = readProps(d.getVmDefinition.props, ctx.props, d.getVmDefinition.id);
  const { vm, etag } = await open(ctx, p).getVm(p.vmExtId);
  return { ...flatVm(vm), etag, vm };
});

export const cloneVmRuntime = defineRuntime(d.cloneVmDefinition, async (ctx) => {
  const p = readProps(d.cloneVmDefinition.props, ctx.props, d.cloneVmDefinition.id);
  const client = open(ctx, p);
  const { etag } = await client.getVm(p.vmExtId);
  const task = await client.runTask(
    'clone-vm',
    p.vmExtId,
    async (requestId) => (await client.call('POST', `${VMM}/vms/${id(p.vmExtId)}/$actions/clone`, { requestId, ifMatch: etag, body: p.cloneOverrides })).data.extId,
    p,
  );
  if (!p.wait) return { ...taskFields(task), sourceVmExtId: p.vmExtId };
  const extId = created(task, REL_VM, 'clone', [p.vmExtId]);
  const vm = (await client.getVm(extId)).vm;
  return { ...taskFields(task), extId, sourceVmExtId: p.vmExtId, vm };
});

export const convertVmToTemplateRuntime = defineRuntime(d.convertVmToTemplateDefinition, async (ctx) => {
  const p = readProps(d.convertVmToTemplateDefinition.props, ctx.props, d.convertVmToTemplateDefinition.id);
  const client = open(ctx, p);
  const body = {
    templateName: p.templateName,
    templateDescription: p.templateDescription,
    templateVersionSpec: { versionName: p.versionName, versionSource: { $objectType: 'vmm.v4.content.TemplateVmReference', extId: p.vmExtId } },
  };
  const task = await client.runTask('create-template', p.vmExtId, async (requestId) => (await client.call('POST', `${CONTENT}/templates`, { requestId, body })).data.extId, p);
  if (!p.wait) return { ...taskFields(task), templateName: p.templateName };
  const templateExtId = created(task, REL_TEMPLATE, 'template');
  const t = (await client.call('GET', `${CONTENT}/templates/${id(templateExtId)}`)).data;
  return { ...taskFields(task), templateExtId, templateVersionExtId: t?.templateVersionSpec?.extId, templateName: p.templateName };
});

export const cloneTemplateRuntime = defineRuntime(d.cloneTemplateDefinition, async (ctx) => {
  const p = readProps(d.cloneTemplateDefinition.props, ctx.props, d.cloneTemplateDefinition.id);
  const client = open(ctx, p);
  let templateExtId = p.templateExtId;
  if (!templateExtId) {
    const name = p.templateName!.replace(/'/g, "''");
    const found = (await client.call<any[]>('GET', `${CONTENT}/templates`, { query: { $filter: `templateName eq '${name}'`, $limit: 2 } })).data ?? [];
    if (found.length !== 1) {
      throw new PluginError(
        found.length ? 'CONFLICT' : 'NOT_FOUND',
        `${found.length ? 'several templates are' : 'no template is'} named '${p.templateName}'; give templateExtId instead`,
        { retryable: false },
      );
    }
    templateExtId = found[0].extId as string;
  }
  const body = {
    numberOfVms: 1,
    ...(p.templateVersionExtId ? { versionId: p.templateVersionExtId } : {}),
    ...(p.clusterExtId ? { clusterReference: { extId: p.clusterExtId } } : {}),
    overrideVmConfigMap: { '0': p.vmConfigOverride },
  };
  const task = await client.runTask(
    'deploy-template',
    templateExtId,
    async (requestId) => (await client.call('POST', `${CONTENT}/templates/${id(templateExtId)}/$actions/deploy`, { requestId, body })).data.extId,
    p,
  );
  if (!p.wait) return { ...taskFields(task), templateExtId };
  return { ...taskFields(task), extId: created(task, REL_VM, 'VM'), templateExtId };
});

function flatSnapshot(rp: any) {
  const vmRp = rp.vmRecoveryPoints?.[0];
  return {
    extId: rp.extId as string,
    name: rp.name as string,
    recoveryPointType: rp.recoveryPointType,
    ...(rp.expirationTime ? { expirationTime: rp.expirationTime } : {}),
    creationTime: rp.creationTime,
    vmExtId: vmRp?.vmExtId,
    vmRecoveryPointExtId: vmRp?.extId,
  };
}

export const createVmSnapshotRuntime = defineRuntime(d.createVmSnapshotDefinition, async (ctx) => {
  const p = readProps(d.createVmSnapshotDefinition.props, ctx.props, d.createVmSnapshotDefinition.id);
  const client = open(ctx, p);
  const body = {
    name: p.snapshotName,
    recoveryPointType: p.consistency,
    ...(p.expirationTime ? { expirationTime: new Date(p.expirationTime).toISOString() } : {}),
    vmRecoveryPoints: [{ vmExtId: p.vmExtId }],
  };
  const task = await client.runTask(
    'create-snapshot',
    `${p.vmExtId}/${p.snapshotName}`,
    async (requestId) => (await client.call('POST', `${DP}/recovery-points`, { requestId, body })).data.extId,
    p,
  );
  if (!p.wait) return { ...taskFields(task), vmExtId: p.vmExtId };
  const snapshotExtId = created(task, REL_RP, 'recovery point');
  const snapshot = flatSnapshot((await client.call('GET', `${DP}/recovery-points/${id(snapshotExtId)}`)).data);
  ctx.logger.info(`recovery point ${snapshot.name} (${snapshotExtId}) of VM ${p.vmExtId}, ${snapshot.recoveryPointType}`);
  return { ...taskFields(task), snapshotExtId, vmRecoveryPointExtId: snapshot.vmRecoveryPointExtId, vmExtId: p.vmExtId, snapshot };
});

export const listVmSnapshotsRuntime = defineRuntime(d.listVmSnapshotsDefinition, async (ctx) => {
  const p = readProps(d.listVmSnapshotsDefinition.props, ctx.props, d.listVmSnapshotsDefinition.id);
  const byVm = p.vmExtId ? `vmRecoveryPoints/any(a:a/vmExtId eq '${p.vmExtId.replace(/'/g, "''")}')` : undefined;
  const filter = [byVm, p.filter].filter(Boolean).join(' and ') || undefined;
  const { items, total } = await listAll(open(ctx, p), `${DP}/recovery-points`, { ...p, filter });
  return { snapshots: items.map(flatSnapshot), total, count: items.length };
});

export const restoreVmSnapshotRuntime = defineRuntime(d.restoreVmSnapshotDefinition, async (ctx) => {
  const p = readProps(d.restoreVmSnapshotDefinition.props, ctx.props, d.restoreVmSnapshotDefinition.id);
  const client = open(ctx, p);
  const rp = flatSnapshot((await client.call('GET', `${DP}/recovery-points/${id(p.snapshotExtId)}`, { what: `reading recovery point ${p.snapshotExtId}` })).data);
  const vmExtId = p.vmExtId ?? rp.vmExtId;
  if (!vmExtId) throw new PluginError('INVALID_PROPERTIES', `recovery point ${p.snapshotExtId} names no VM; give vmExtId`, { retryable: false });
  const { etag } = await client.getVm(vmExtId);
  const body = { vmRecoveryPointExtId: rp.vmRecoveryPointExtId, ...(p.restoreSpec ? { overrideSpec: p.restoreSpec } : {}) };
  const task = await client.runTask(
    'revert-vm',
    `${vmExtId}/${p.snapshotExtId}`,
    async (requestId) => (await client.call('POST', `${VMM}/vms/${id(vmExtId)}/$actions/revert`, { requestId, ifMatch: etag, body })).data.extId,
    p,
  );
  let powerState: string | undefined;
  if (p.wait) {
    powerState = (await client.getVm(vmExtId)).vm.powerState;
    if (p.powerOn) powerState = (await power(client, vmExtId, 'power-on', 'ON', p, { ...ctx, resumeDetails: undefined })).vm.powerState;
  }
  return { ...taskFields(task), vmExtId, snapshotExtId: p.snapshotExtId, powerState };
});

export const deleteVmSnapshotRuntime = defineRuntime(d.deleteVmSnapshotDefinition, async (ctx) => {
  const p = readProps(d.deleteVmSnapshotDefinition.props, ctx.props, d.deleteVmSnapshotDefinition.id);
  const client = open(ctx, p);
  const resuming = (ctx.resumeDetails as { op?: string } | undefined)?.op === 'delete-snapshot';
  let etag: string | undefined;
  try {
    etag = (await client.call('GET', `${DP}/recovery-points/${id(p.snapshotExtId)}`)).etag;
  } catch (error) {
    if (!(isPluginError(error) && error.code === 'NOT_FOUND') || resuming) throw error;
    if (p.failIfNotFound) throw new PluginError('NOT_FOUND', `recovery point ${p.snapshotExtId} does not exist (deleted or expired)`, { retryable: false });
    ctx.logger.info(`recovery point ${p.snapshotExtId} does not exist (deleted or expired): nothing to delete`);
    return { snapshotExtId: p.snapshotExtId, deleted: false };
  }
  const task = await client.runTask(
    'delete-snapshot',
    p.snapshotExtId,
    async (requestId) => (await client.call('DELETE', `${DP}/recovery-points/${id(p.snapshotExtId)}`, { requestId, ifMatch: etag })).data.extId,
    p,
  );
  return { ...taskFields(task), snapshotExtId: p.snapshotExtId, deleted: true };
});

export const runtimes: PluginRuntime[] = [
  createVmRuntime,
  startVmRuntime,
  stopVmRuntime,
  deleteVmRuntime,
  listVmsRuntime,
  getVmRuntime,
  cloneVmRuntime,
  convertVmToTemplateRuntime,
  cloneTemplateRuntime,
  createVmSnapshotRuntime,
  listVmSnapshotsRuntime,
  restoreVmSnapshotRuntime,
  deleteVmSnapshotRuntime,
];
