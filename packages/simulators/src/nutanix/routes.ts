import { randomUUID } from 'node:crypto';
import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { accepted, fail, ok } from './envelope.js';
import { applyQuery, ODataError } from './odata.js';
import { REL, TaskFailure, type NutanixStore, type RecoveryPoint, type SimTask, type Template, type Vm } from './store.js';

// Prism Central v4 routes for what the Baton plugin uses: clusters, VMs (create, read, list, power,
// clone, revert, delete), templates (create from a VM, deploy), VM recovery points and tasks.
// Every mutating call needs NTNX-Request-Id (a retry with the same id gets the first answer, so it
// never creates twice) and, on an existing entity, If-Match with the ETag last read (412 otherwise).

const VMM = '/api/vmm/v4.3/ahv/config';
const CONTENT = '/api/vmm/v4.3/content';
const DP = '/api/dataprotection/v4.4/config';
const PRISM = '/api/prism/v4.4/config';
const CM = '/api/clustermgmt/v4.3/config';

export const etagOf = (entity: { extId: string; version: number }): string => `"${entity.extId.slice(0, 8)}-${entity.version}"`;

function link(path: string) {
  return [{ $objectType: 'common.v1.response.ApiLink', href: `https://prism-central.sim:9440${path}`, rel: 'self' }];
}

export function renderVm(vm: Vm) {
  return {
    $objectType: 'vmm.v4.ahv.config.Vm',
    $reserved: { ETag: etagOf(vm) },
    extId: vm.extId,
    name: vm.name,
    ...(vm.description !== undefined ? { description: vm.description } : {}),
    cluster: { $objectType: 'vmm.v4.ahv.config.ClusterReference', extId: vm.clusterExtId },
    numSockets: vm.numSockets,
    numCoresPerSocket: vm.numCoresPerSocket,
    numThreadsPerCore: vm.numThreadsPerCore,
    memorySizeBytes: vm.memorySizeBytes,
    powerState: vm.powerState,
    machineType: 'PC',
    disks: vm.disks,
    nics: vm.nics,
    guestTools: {
      $objectType: 'vmm.v4.ahv.config.GuestTools',
      isEnabled: vm.guestTools,
      isInstalled: vm.guestTools,
      isReachable: vm.guestTools && vm.powerState === 'ON',
      isVssSnapshotCapable: vm.guestTools,
    },
    createTime: vm.createTime,
    updateTime: vm.updateTime,
    links: link(`${VMM}/vms/${vm.extId}`),
  };
}

export function renderTemplate(t: Template) {
  return {
    $objectType: 'vmm.v4.content.Template',
    $reserved: { ETag: etagOf(t) },
    extId: t.extId,
    templateName: t.templateName,
    ...(t.templateDescription !== undefined ? { templateDescription: t.templateDescription } : {}),
    templateVersionSpec: {
      $objectType: 'vmm.v4.content.TemplateVersionSpec',
      extId: t.versionExtId,
      versionName: t.versionName,
      isActiveVersion: true,
      createTime: t.createTime,
      vmSpec: {
        $objectType: 'vmm.v4.ahv.config.Vm',
        name: t.vmSpec.name,
        cluster: { $objectType: 'vmm.v4.ahv.config.ClusterReference', extId: t.vmSpec.clusterExtId },
        numSockets: t.vmSpec.numSockets,
        numCoresPerSocket: t.vmSpec.numCoresPerSocket,
        memorySizeBytes: t.vmSpec.memorySizeBytes,
        disks: t.vmSpec.disks,
        nics: t.vmSpec.nics,
      },
    },
    createTime: t.createTime,
    updateTime: t.updateTime,
    links: link(`${CONTENT}/templates/${t.extId}`),
  };
}

export function renderRecoveryPoint(rp: RecoveryPoint) {
  return {
    $objectType: 'dataprotection.v4.config.RecoveryPoint',
    $reserved: { ETag: etagOf(rp) },
    extId: rp.extId,
    name: rp.name,
    creationTime: rp.creationTime,
    ...(rp.expirationTime ? { expirationTime: rp.expirationTime } : {}),
    recoveryPointType: rp.recoveryPointType,
    status: 'COMPLETE',
    vmRecoveryPoints: [
      {
        $objectType: 'dataprotection.v4.config.VmRecoveryPoint',
        extId: rp.vmRecoveryPointExtId,
        vmExtId: rp.vmExtId,
        name: rp.name,
        creationTime: rp.creationTime,
        ...(rp.expirationTime ? { expirationTime: rp.expirationTime } : {}),
        recoveryPointType: rp.recoveryPointType,
        status: 'COMPLETE',
        hypervisorType: 'AHV',
      },
    ],
    links: link(`${DP}/recovery-points/${rp.extId}`),
  };
}

export function renderTask(store: NutanixStore, t: SimTask) {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    $objectType: 'prism.v4.config.Task',
    extId: t.extId,
    operation: t.operation,
    operationDescription: t.operationDescription,
    status: t.status,
    progressPercentage: store.progress(t),
    createdTime: iso(t.createdAt),
    startedTime: iso(t.startedAt),
    lastUpdatedTime: iso(t.completedAt ?? t.startedAt),
    ...(t.completedAt !== undefined ? { completedTime: iso(t.completedAt) } : {}),
    isCancelable: t.isCancelable && (t.status === 'RUNNING' || t.status === 'QUEUED'),
    isBackgroundTask: false,
    clusterExtIds: t.clusterExtIds,
    entitiesAffected: t.entities.map((e) => ({ $objectType: 'prism.v4.config.EntityReference', extId: e.extId, rel: e.rel, ...(e.name ? { name: e.name } : {}) })),
    numberOfEntitiesAffected: t.entities.length,
    completionDetails: t.completionDetails.map((d) => ({ $objectType: 'common.v1.config.KVPair', name: d.name, value: d.value })),
    ...(t.errorMessages.length
      ? { errorMessages: t.errorMessages.map((m) => ({ $objectType: 'prism.v4.error.AppMessage', code: m.code, message: m.message, severity: 'ERROR', locale: 'en_US' })) }
      : {}),
    numberOfSubtasks: 0,
  };
}

/** A 400 whose message names the attribute, the way v4's schema validation does. */
class BadInput extends Error {
  constructor(
    message: string,
    readonly attributePath?: string,
  ) {
    super(message);
  }
}

function obj(v: unknown): Record<string, any> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {};
}

function positiveInt(body: Record<string, any>, key: string, fallback: number): number {
  const v = body[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new BadInput(`${key} must be a positive integer`, key);
  return v;
}

export function addNutanixRoutes(router: Router, store: NutanixStore): void {
  const settled = (handler: (req: SimRequest) => SimResponse, module: string) => (req: SimRequest) => {
    store.settle();
    try {
      return handler(req);
    } catch (err) {
      if (err instanceof BadInput) return fail(req, module, 400, err.message, undefined, err.attributePath);
      if (err instanceof ODataError) return fail(req, module, 400, err.message);
      throw err;
    }
  };

  /** Request-id idempotency for every mutating call, and the lost-answer fault. */
  const mutating = (handler: (req: SimRequest) => SimResponse, module: string) =>
    settled((req) => {
      const requestId = req.headers['ntnx-request-id'];
      if (typeof requestId !== 'string' || !/^[0-9a-f-]{36}$/i.test(requestId)) {
        return fail(req, module, 400, 'NTNX-Request-Id header is required on this call: a UUID that is the same on every retry of one request', undefined, 'NTNX-Request-Id');
      }
      const seen = store.requests.get(requestId);
      if (seen) {
        if (seen.method !== req.method || seen.path !== req.path) {
          return fail(req, module, 409, `NTNX-Request-Id ${requestId} was already used for ${seen.method} ${seen.path}; use a new id for a new request`);
        }
        return { status: seen.status, json: seen.json, headers: seen.headers };
      }
      const response = handler(req);
      if (response.status < 300) store.requests.set(requestId, { method: req.method, path: req.path, status: response.status, json: response.json, headers: response.headers });
      if (response.status < 300 && store.loseAnswers > 0) {
        store.loseAnswers--;
        return fail(req, module, 503, 'Simulated fault: the request was carried out but its answer was lost (gateway timeout)');
      }
      return response;
    }, module);

  /** 428 without If-Match, 412 when it is not the entity's current ETag. */
  const precondition = (req: SimRequest, module: string, entity: { extId: string; version: number }, what: string): SimResponse | undefined => {
    const ifMatch = req.headers['if-match'];
    if (typeof ifMatch !== 'string' || !ifMatch) return fail(req, module, 428, `If-Match is required to change ${what}: send the ETag of your last GET`, undefined, 'If-Match');
    if (ifMatch !== etagOf(entity)) {
      return fail(req, module, 412, `${what} has changed since it was read (If-Match ${ifMatch}, current ETag ${etagOf(entity)}); read it again and retry`);
    }
    return undefined;
  };

  const vmOr404 = (req: SimRequest, id: string): Vm | SimResponse => store.vms.get(id) ?? fail(req, 'vmm', 404, `VM with extId ${id} was not found`);
  const isResponse = (v: Vm | SimResponse): v is SimResponse => !('extId' in v);

  // Clusters.
  router.add(
    'GET',
    `${CM}/clusters`,
    settled((req) => {
      const all = [...store.clusters.values()].map((c) => ({ $objectType: 'clustermgmt.v4.config.Cluster', extId: c.extId, name: c.name }));
      const page = applyQuery(all, req.query);
      return ok(req, 'clustermgmt', 'ListClustersApiResponse', page.items, { total: page.total });
    }, 'clustermgmt'),
  );
  router.add(
    'GET',
    `${CM}/clusters/:extId`,
    settled((req) => {
      const c = store.clusters.get(req.params.extId);
      if (!c) return fail(req, 'clustermgmt', 404, `cluster ${req.params.extId} was not found`);
      return ok(req, 'clustermgmt', 'GetClusterApiResponse', { $objectType: 'clustermgmt.v4.config.Cluster', extId: c.extId, name: c.name });
    }, 'clustermgmt'),
  );

  // VMs.
  router.add(
    'GET',
    `${VMM}/vms`,
    settled((req) => {
      const page = applyQuery([...store.vms.values()].map(renderVm) as Array<Record<string, unknown>>, req.query);
      return ok(req, 'vmm', 'ListVmsApiResponse', page.items, { total: page.total });
    }, 'vmm'),
  );
  router.add(
    'GET',
    `${VMM}/vms/:extId`,
    settled((req) => {
      const vm = vmOr404(req, req.params.extId);
      if (isResponse(vm)) return vm;
      return ok(req, 'vmm', 'GetVmApiResponse', renderVm(vm), { headers: { ETag: etagOf(vm) } });
    }, 'vmm'),
  );
  router.add(
    'POST',
    `${VMM}/vms`,
    mutating((req) => {
      const body = obj(req.body);
      if (typeof body.name !== 'string' || !body.name.trim()) throw new BadInput('name is required', 'name');
      const clusterExtId = obj(body.cluster).extId;
      if (typeof clusterExtId !== 'string') throw new BadInput('cluster.extId is required: the cluster to create the VM on', 'cluster.extId');
      if (!store.clusters.has(clusterExtId)) return fail(req, 'vmm', 404, `cluster ${clusterExtId} was not found`);
      const disks = Array.isArray(body.disks) ? body.disks : [];
      disks.forEach((d: unknown, i: number) => {
        const image = obj(obj(obj(obj(d).backingInfo).dataSource).reference).imageExtId;
        if (image !== undefined && !store.images.has(image)) throw new BadInput(`image ${String(image)} was not found`, `disks[${i}].backingInfo.dataSource.reference.imageExtId`);
      });
      const nics = Array.isArray(body.nics) ? body.nics : [];
      nics.forEach((n: unknown, i: number) => {
        const subnet = obj(obj(obj(n).networkInfo).subnet).extId;
        if (subnet !== undefined && !store.subnets.has(subnet)) throw new BadInput(`subnet ${String(subnet)} was not found`, `nics[${i}].networkInfo.subnet.extId`);
      });
      const spec = {
        name: body.name as string,
        description: typeof body.description === 'string' ? body.description : undefined,
        clusterExtId,
        numSockets: positiveInt(body, 'numSockets', 1),
        numCoresPerSocket: positiveInt(body, 'numCoresPerSocket', 1),
        numThreadsPerCore: positiveInt(body, 'numThreadsPerCore', 1),
        memorySizeBytes: positiveInt(body, 'memorySizeBytes', 2 * 1024 ** 3),
        disks,
        nics,
        guestTools: obj(body.guestTools).isEnabled === true,
      };
      const task = store.startTask({
        operation: 'CreateVm',
        description: `Create VM ${spec.name}`,
        kind: 'createMs',
        entities: [],
        cancelable: true,
        clusterExtId,
        apply: () => {
          const vm = store.addVm({ ...spec, powerState: 'OFF' });
          return [{ extId: vm.extId, rel: REL.vm, name: vm.name }];
        },
      });
      return accepted(req, 'vmm', 'CreateVmApiResponse', task.extId);
    }, 'vmm'),
  );
  router.add(
    'DELETE',
    `${VMM}/vms/:extId`,
    mutating((req) => {
      const vm = vmOr404(req, req.params.extId);
      if (isResponse(vm)) return vm;
      const denied = precondition(req, 'vmm', vm, `VM ${vm.name}`);
      if (denied) return denied;
      store.touch(vm);
      const task = store.startTask({
        operation: 'DeleteVm',
        description: `Delete VM ${vm.name}`,
        kind: 'deleteMs',
        entities: [{ extId: vm.extId, rel: REL.vm, name: vm.name }],
        cancelable: false,
        clusterExtId: vm.clusterExtId,
        apply: () => {
          store.vms.delete(vm.extId);
        },
      });
      return accepted(req, 'vmm', 'DeleteVmApiResponse', task.extId);
    }, 'vmm'),
  );

  const power = (action: string, responseType: string, operation: string, target: 'ON' | 'OFF', needsTools: boolean) =>
    router.add(
      'POST',
      `${VMM}/vms/:extId/$actions/${action}`,
      mutating((req) => {
        const vm = vmOr404(req, req.params.extId);
        if (isResponse(vm)) return vm;
        const denied = precondition(req, 'vmm', vm, `VM ${vm.name}`);
        if (denied) return denied;
        store.touch(vm);
        const task = store.startTask({
          operation,
          description: `${operation} ${vm.name}`,
          kind: 'powerMs',
          entities: [{ extId: vm.extId, rel: REL.vm, name: vm.name }],
          cancelable: false,
          clusterExtId: vm.clusterExtId,
          apply: () => {
            const current = store.vms.get(vm.extId);
            if (!current) throw new TaskFailure(`VM ${vm.extId} no longer exists`, 'VMM-30100');
            if (current.powerState === target) throw new TaskFailure(`VM ${current.name} is already ${target}: the requested power state transition is not valid`, 'VMM-30301');
            if (needsTools && !(current.guestTools && current.powerState === 'ON')) {
              throw new TaskFailure(
                `Nutanix Guest Tools are not installed or not reachable on VM ${current.name}: a guest shutdown needs them (use an ACPI shutdown or a power off)`,
                'VMM-30405',
              );
            }
            current.powerState = target;
            store.touch(current);
          },
        });
        return accepted(req, 'vmm', responseType, task.extId);
      }, 'vmm'),
    );
  power('power-on', 'PowerOnVmApiResponse', 'PowerOnVm', 'ON', false);
  power('power-off', 'PowerOffVmApiResponse', 'PowerOffVm', 'OFF', false);
  power('shutdown', 'ShutdownVmApiResponse', 'ShutdownVm', 'OFF', false);
  power('guest-shutdown', 'ShutdownVmApiResponse', 'ShutdownGuestVm', 'OFF', true);

  router.add(
    'POST',
    `${VMM}/vms/:extId/$actions/clone`,
    mutating((req) => {
      const source = vmOr404(req, req.params.extId);
      if (isResponse(source)) return source;
      const denied = precondition(req, 'vmm', source, `VM ${source.name}`);
      if (denied) return denied;
      const body = obj(req.body);
      if (body.name !== undefined && (typeof body.name !== 'string' || !body.name.trim())) throw new BadInput('name must be a non-empty string', 'name');
      const overrides = {
        name: (body.name as string | undefined) ?? `${source.name}-clone`,
        numSockets: positiveInt(body, 'numSockets', source.numSockets),
        numCoresPerSocket: positiveInt(body, 'numCoresPerSocket', source.numCoresPerSocket),
        memorySizeBytes: positiveInt(body, 'memorySizeBytes', source.memorySizeBytes),
        nics: Array.isArray(body.nics) ? body.nics : source.nics,
      };
      const task = store.startTask({
        operation: 'CloneVm',
        description: `Clone VM ${source.name} as ${overrides.name}`,
        kind: 'cloneMs',
        entities: [{ extId: source.extId, rel: REL.vm, name: source.name }],
        cancelable: true,
        clusterExtId: source.clusterExtId,
        apply: () => {
          const from = store.vms.get(source.extId);
          if (!from) throw new TaskFailure(`source VM ${source.extId} no longer exists`, 'VMM-30100');
          const vm = store.addVm({ ...from, extId: undefined, ...overrides, powerState: 'OFF' });
          return [{ extId: vm.extId, rel: REL.vm, name: vm.name }];
        },
      });
      return accepted(req, 'vmm', 'CloneVmApiResponse', task.extId);
    }, 'vmm'),
  );
  router.add(
    'POST',
    `${VMM}/vms/:extId/$actions/revert`,
    mutating((req) => {
      const vm = vmOr404(req, req.params.extId);
      if (isResponse(vm)) return vm;
      const denied = precondition(req, 'vmm', vm, `VM ${vm.name}`);
      if (denied) return denied;
      const vmRp = obj(req.body).vmRecoveryPointExtId;
      if (typeof vmRp !== 'string') throw new BadInput('vmRecoveryPointExtId is required', 'vmRecoveryPointExtId');
      const rp = [...store.recoveryPoints.values()].find((r) => r.vmRecoveryPointExtId === vmRp);
      if (!rp) return fail(req, 'vmm', 404, `VM recovery point ${vmRp} was not found (expired or deleted?)`);
      if (rp.vmExtId !== vm.extId) throw new BadInput(`VM recovery point ${vmRp} belongs to VM ${rp.vmExtId}, not ${vm.extId}`, 'vmRecoveryPointExtId');
      store.touch(vm);
      const task = store.startTask({
        operation: 'RevertVm',
        description: `Revert VM ${vm.name} to recovery point ${rp.name}`,
        kind: 'restoreMs',
        entities: [
          { extId: vm.extId, rel: REL.vm, name: vm.name },
          { extId: rp.extId, rel: REL.recoveryPoint, name: rp.name },
        ],
        cancelable: true,
        clusterExtId: vm.clusterExtId,
        apply: () => {
          const current = store.vms.get(vm.extId);
          if (!current) throw new TaskFailure(`VM ${vm.extId} no longer exists`, 'VMM-30100');
          Object.assign(current, structuredClone(rp.vmState), { powerState: 'OFF' });
          store.touch(current);
        },
      });
      return accepted(req, 'vmm', 'RevertVmApiResponse', task.extId);
    }, 'vmm'),
  );

  // Templates.
  router.add(
    'GET',
    `${CONTENT}/templates`,
    settled((req) => {
      const page = applyQuery([...store.templates.values()].map(renderTemplate) as Array<Record<string, unknown>>, req.query);
      return ok(req, 'vmm-content', 'ListTemplatesApiResponse', page.items, { total: page.total });
    }, 'vmm-content'),
  );
  router.add(
    'GET',
    `${CONTENT}/templates/:extId`,
    settled((req) => {
      const t = store.templates.get(req.params.extId);
      if (!t) return fail(req, 'vmm-content', 404, `template ${req.params.extId} was not found`);
      return ok(req, 'vmm-content', 'GetTemplateApiResponse', renderTemplate(t), { headers: { ETag: etagOf(t) } });
    }, 'vmm-content'),
  );
  router.add(
    'POST',
    `${CONTENT}/templates`,
    mutating((req) => {
      const body = obj(req.body);
      if (typeof body.templateName !== 'string' || !body.templateName.trim()) throw new BadInput('templateName is required', 'templateName');
      const spec = obj(body.templateVersionSpec);
      const vmExtId = obj(spec.versionSource).extId;
      if (typeof vmExtId !== 'string')
        throw new BadInput('templateVersionSpec.versionSource.extId is required: the VM to make a template of', 'templateVersionSpec.versionSource.extId');
      const vm = vmOr404(req, vmExtId);
      if (isResponse(vm)) return vm;
      const name = body.templateName as string;
      const task = store.startTask({
        operation: 'CreateTemplate',
        description: `Create template ${name} from VM ${vm.name}`,
        kind: 'templateMs',
        entities: [{ extId: vm.extId, rel: REL.vm, name: vm.name }],
        cancelable: true,
        clusterExtId: vm.clusterExtId,
        apply: () => {
          const from = store.vms.get(vm.extId);
          if (!from) throw new TaskFailure(`VM ${vm.extId} no longer exists`, 'VMM-30100');
          const at = store.now();
          const { extId: _e, powerState: _p, createTime: _c, updateTime: _u, version: _v, ...vmSpec } = structuredClone(from);
          const t: Template = {
            extId: randomUUID(),
            templateName: name,
            templateDescription: typeof body.templateDescription === 'string' ? body.templateDescription : undefined,
            versionExtId: randomUUID(),
            versionName: typeof spec.versionName === 'string' ? spec.versionName : 'v1',
            vmSpec,
            createTime: at,
            updateTime: at,
            version: 1,
          };
          store.templates.set(t.extId, t);
          return [{ extId: t.extId, rel: REL.template, name: t.templateName }];
        },
      });
      return accepted(req, 'vmm-content', 'CreateTemplateApiResponse', task.extId);
    }, 'vmm-content'),
  );
  router.add(
    'POST',
    `${CONTENT}/templates/:extId/$actions/deploy`,
    mutating((req) => {
      const t = store.templates.get(req.params.extId);
      if (!t) return fail(req, 'vmm-content', 404, `template ${req.params.extId} was not found`);
      const body = obj(req.body);
      const count = positiveInt(body, 'numberOfVms', 1);
      if (body.versionId !== undefined && body.versionId !== t.versionExtId)
        return fail(req, 'vmm-content', 404, `template ${t.templateName} has no version ${String(body.versionId)}`);
      const clusterExtId = obj(body.clusterReference).extId ?? t.vmSpec.clusterExtId;
      if (!store.clusters.has(clusterExtId)) return fail(req, 'vmm-content', 404, `cluster ${clusterExtId} was not found`);
      const overrides = obj(body.overrideVmConfigMap);
      const task = store.startTask({
        operation: 'DeployTemplate',
        description: `Deploy ${count} VM(s) from template ${t.templateName}`,
        kind: 'cloneMs',
        entities: [{ extId: t.extId, rel: REL.template, name: t.templateName }],
        cancelable: true,
        clusterExtId,
        apply: () => {
          const made = [];
          for (let i = 0; i < count; i++) {
            const o = obj(overrides[String(i)]);
            const vm = store.addVm({
              ...structuredClone(t.vmSpec),
              clusterExtId,
              name: typeof o.name === 'string' ? o.name : `${t.templateName}-${i + 1}`,
              numSockets: typeof o.numSockets === 'number' ? o.numSockets : t.vmSpec.numSockets,
              numCoresPerSocket: typeof o.numCoresPerSocket === 'number' ? o.numCoresPerSocket : t.vmSpec.numCoresPerSocket,
              memorySizeBytes: typeof o.memorySizeBytes === 'number' ? o.memorySizeBytes : t.vmSpec.memorySizeBytes,
              powerState: 'OFF',
            });
            made.push({ extId: vm.extId, rel: REL.vm, name: vm.name });
          }
          return made;
        },
      });
      return accepted(req, 'vmm-content', 'DeployTemplateApiResponse', task.extId);
    }, 'vmm-content'),
  );

  // Recovery points (snapshots of one VM).
  router.add(
    'GET',
    `${DP}/recovery-points`,
    settled((req) => {
      const page = applyQuery([...store.recoveryPoints.values()].map(renderRecoveryPoint) as Array<Record<string, unknown>>, req.query);
      return ok(req, 'dataprotection', 'ListRecoveryPointsApiResponse', page.items, { total: page.total });
    }, 'dataprotection'),
  );
  router.add(
    'GET',
    `${DP}/recovery-points/:extId`,
    settled((req) => {
      const rp = store.recoveryPoints.get(req.params.extId);
      if (!rp) return fail(req, 'dataprotection', 404, `recovery point ${req.params.extId} was not found (expired or deleted?)`);
      return ok(req, 'dataprotection', 'GetRecoveryPointApiResponse', renderRecoveryPoint(rp), { headers: { ETag: etagOf(rp) } });
    }, 'dataprotection'),
  );
  router.add(
    'POST',
    `${DP}/recovery-points`,
    mutating((req) => {
      const body = obj(req.body);
      if (typeof body.name !== 'string' || !body.name.trim()) throw new BadInput('name is required', 'name');
      const type = body.recoveryPointType ?? 'CRASH_CONSISTENT';
      if (type !== 'CRASH_CONSISTENT' && type !== 'APPLICATION_CONSISTENT')
        throw new BadInput('recoveryPointType must be CRASH_CONSISTENT or APPLICATION_CONSISTENT', 'recoveryPointType');
      let expirationTime: string | undefined;
      if (body.expirationTime !== undefined) {
        const at = typeof body.expirationTime === 'string' ? Date.parse(body.expirationTime) : NaN;
        if (Number.isNaN(at)) throw new BadInput('expirationTime must be an ISO-8601 date-time, e.g. 2026-12-31T00:00:00Z', 'expirationTime');
        if (at <= Date.parse(store.now())) throw new BadInput(`expirationTime ${String(body.expirationTime)} is in the past`, 'expirationTime');
        expirationTime = new Date(at).toISOString();
      }
      const vmRps = Array.isArray(body.vmRecoveryPoints) ? body.vmRecoveryPoints : [];
      if (vmRps.length !== 1) throw new BadInput('vmRecoveryPoints must list exactly one VM ({vmExtId}) in this simulator', 'vmRecoveryPoints');
      const vmExtId = obj(vmRps[0]).vmExtId;
      if (typeof vmExtId !== 'string') throw new BadInput('vmRecoveryPoints[0].vmExtId is required', 'vmRecoveryPoints[0].vmExtId');
      const vm = store.vms.get(vmExtId);
      if (!vm) return fail(req, 'dataprotection', 404, `VM with extId ${vmExtId} was not found`);
      const name = body.name as string;
      const task = store.startTask({
        operation: 'CreateRecoveryPoint',
        description: `Create recovery point ${name} of VM ${vm.name}`,
        kind: 'snapshotMs',
        entities: [{ extId: vm.extId, rel: REL.vm, name: vm.name }],
        cancelable: true,
        clusterExtId: vm.clusterExtId,
        apply: () => {
          const current = store.vms.get(vmExtId);
          if (!current) throw new TaskFailure(`VM ${vmExtId} no longer exists`, 'DATAPROTECTION-30100');
          if (type === 'APPLICATION_CONSISTENT' && !(current.guestTools && current.powerState === 'ON')) {
            throw new TaskFailure(
              `an application-consistent recovery point of VM ${current.name} needs Nutanix Guest Tools (VSS) running in the guest; install NGT or use CRASH_CONSISTENT`,
              'DATAPROTECTION-30210',
            );
          }
          const rp: RecoveryPoint = {
            extId: randomUUID(),
            name,
            recoveryPointType: type,
            creationTime: store.now(),
            expirationTime,
            vmExtId,
            vmRecoveryPointExtId: randomUUID(),
            vmState: structuredClone({
              name: current.name,
              description: current.description,
              numSockets: current.numSockets,
              numCoresPerSocket: current.numCoresPerSocket,
              numThreadsPerCore: current.numThreadsPerCore,
              memorySizeBytes: current.memorySizeBytes,
              disks: current.disks,
              nics: current.nics,
            }),
            version: 1,
          };
          store.recoveryPoints.set(rp.extId, rp);
          return [{ extId: rp.extId, rel: REL.recoveryPoint, name: rp.name }];
        },
      });
      return accepted(req, 'dataprotection', 'CreateRecoveryPointApiResponse', task.extId);
    }, 'dataprotection'),
  );
  router.add(
    'DELETE',
    `${DP}/recovery-points/:extId`,
    mutating((req) => {
      const rp = store.recoveryPoints.get(req.params.extId);
      if (!rp) return fail(req, 'dataprotection', 404, `recovery point ${req.params.extId} was not found (expired or deleted?)`);
      const denied = precondition(req, 'dataprotection', rp, `recovery point ${rp.name}`);
      if (denied) return denied;
      store.touch(rp);
      const task = store.startTask({
        operation: 'DeleteRecoveryPoint',
        description: `Delete recovery point ${rp.name}`,
        kind: 'deleteMs',
        entities: [{ extId: rp.extId, rel: REL.recoveryPoint, name: rp.name }],
        cancelable: false,
        apply: () => {
          store.recoveryPoints.delete(rp.extId);
        },
      });
      return accepted(req, 'dataprotection', 'DeleteRecoveryPointApiResponse', task.extId);
    }, 'dataprotection'),
  );

  // Tasks.
  router.add(
    'GET',
    `${PRISM}/tasks/:extId`,
    settled((req) => {
      const t = store.tasks.get(req.params.extId);
      if (!t) return fail(req, 'prism', 404, `task ${req.params.extId} was not found`);
      return ok(req, 'prism', 'GetTaskApiResponse', renderTask(store, t));
    }, 'prism'),
  );
  router.add(
    'GET',
    `${PRISM}/tasks`,
    settled((req) => {
      const page = applyQuery([...store.tasks.values()].map((t) => renderTask(store, t)) as Array<Record<string, unknown>>, req.query);
      return ok(req, 'prism', 'ListTasksApiResponse', page.items, { total: page.total });
    }, 'prism'),
  );
  router.add(
    'POST',
    `${PRISM}/tasks/:taskExtId/$actions/cancel`,
    mutating((req) => {
      const t = store.tasks.get(req.params.taskExtId);
      if (!t) return fail(req, 'prism', 404, `task ${req.params.taskExtId} was not found`);
      if (t.status !== 'RUNNING' && t.status !== 'QUEUED') return fail(req, 'prism', 409, `task ${t.extId} is already ${t.status}`);
      if (!t.isCancelable) return fail(req, 'prism', 400, `task ${t.extId} (${t.operation}) cannot be canceled`);
      store.cancel(t);
      return ok(req, 'prism', 'CancelTaskApiResponse', { $objectType: 'prism.v4.config.CancelTaskResponse', message: `task ${t.extId} canceled` }, { status: 202 });
    }, 'prism'),
  );
}
