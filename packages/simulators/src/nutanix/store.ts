import { randomUUID } from 'node:crypto';
import type { SimClock } from '../kit/clock.js';

// The Prism Central state the Nutanix simulator serves: clusters, images, VMs with power states,
// templates, recovery points with expiry, and the asynchronous tasks every change goes through.
// A task's effect is applied when its time is up, lazily on the next request (`settle`), so the
// simulator needs no timers and `POST /_sim/clock` moves everything forward at once.

/** How long each kind of task runs (ms). */
export interface NutanixTimings {
  createMs: number;
  powerMs: number;
  cloneMs: number;
  deleteMs: number;
  templateMs: number;
  snapshotMs: number;
  restoreMs: number;
}

export const DEFAULT_TIMINGS: NutanixTimings = { createMs: 1500, powerMs: 800, cloneMs: 1500, deleteMs: 500, templateMs: 1500, snapshotMs: 1000, restoreMs: 1500 };

export type TimingKind = keyof NutanixTimings;
export type PowerState = 'ON' | 'OFF' | 'PAUSED' | 'UNDETERMINED';
export type TaskStatus = 'QUEUED' | 'RUNNING' | 'CANCELING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export interface Cluster {
  extId: string;
  name: string;
}
export interface Image {
  extId: string;
  name: string;
  sizeBytes: number;
}
export interface Subnet {
  extId: string;
  name: string;
}

export interface Vm {
  extId: string;
  name: string;
  description?: string;
  clusterExtId: string;
  numSockets: number;
  numCoresPerSocket: number;
  numThreadsPerCore: number;
  memorySizeBytes: number;
  powerState: PowerState;
  disks: unknown[];
  nics: unknown[];
  /** NGT installed and reachable: guest shutdown and application-consistent snapshots need it. */
  guestTools: boolean;
  createTime: string;
  updateTime: string;
  /** Bumped on every change: the ETag. */
  version: number;
}

export interface Template {
  extId: string;
  templateName: string;
  templateDescription?: string;
  versionExtId: string;
  versionName: string;
  /** The VM configuration the template deploys. */
  vmSpec: Omit<Vm, 'extId' | 'powerState' | 'createTime' | 'updateTime' | 'version'>;
  createTime: string;
  updateTime: string;
  version: number;
}

export interface RecoveryPoint {
  extId: string;
  name: string;
  recoveryPointType: 'CRASH_CONSISTENT' | 'APPLICATION_CONSISTENT';
  creationTime: string;
  expirationTime?: string;
  vmExtId: string;
  vmRecoveryPointExtId: string;
  /** The VM as it was: what a revert puts back. */
  vmState: Pick<Vm, 'name' | 'numSockets' | 'numCoresPerSocket' | 'numThreadsPerCore' | 'memorySizeBytes' | 'disks' | 'nics' | 'description'>;
  version: number;
}

export interface EntityRef {
  extId: string;
  rel: string;
  name?: string;
}

export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly code = 'VMM-30000',
  ) {
    super(message);
  }
}

export interface SimTask {
  extId: string;
  operation: string;
  operationDescription: string;
  status: TaskStatus;
  createdAt: number;
  startedAt: number;
  durationMs: number;
  completedAt?: number;
  isCancelable: boolean;
  entities: EntityRef[];
  clusterExtIds: string[];
  errorMessages: Array<{ code: string; message: string }>;
  completionDetails: Array<{ name: string; value: string }>;
  /** Applies the change; returns entities it created (added to entitiesAffected). */
  apply?: () => EntityRef[] | void;
}

export const REL = {
  vm: 'vmm:ahv:config:vm',
  template: 'vmm:content:template',
  recoveryPoint: 'dataprotection:config:recovery-point',
  cluster: 'clustermgmt:config:cluster',
} as const;

/** A failure forced by the control API for the next task of an operation. */
export interface ForcedFailure {
  operation: string;
  message: string;
}

export const SEED = {
  cluster: { extId: '00061f7f-44f7-19dc-3be1-7cc25586ee44', name: 'PHX-POC-01' },
  cluster2: { extId: '0005f3b6-8c8a-4d9c-0000-00000000c002', name: 'PHX-POC-02' },
  image: { extId: '70cfd137-a8d9-4169-a5ac-cf9ad6ddb03a', name: 'ubuntu-22.04-cloudimg', sizeBytes: 2_361_393_152 },
  subnet: { extId: 'b2e46975-2cde-4a49-9dda-815eb4fcd679', name: 'vlan.100' },
  vm: '4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01',
  vmNoTools: '4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f02',
};

/** v4 task ids are base64 of the cluster service name, a colon, and a UUID. */
export function taskId(): string {
  return `ZXJnb24=:${randomUUID()}`;
}

export class NutanixStore {
  clusters = new Map<string, Cluster>();
  images = new Map<string, Image>();
  subnets = new Map<string, Subnet>();
  vms = new Map<string, Vm>();
  templates = new Map<string, Template>();
  recoveryPoints = new Map<string, RecoveryPoint>();
  tasks = new Map<string, SimTask>();
  /** NTNX-Request-Id → the answer given, replayed for a retry of the same request. */
  requests = new Map<string, { method: string; path: string; status: number; json: unknown; headers?: Record<string, string> }>();
  forced: ForcedFailure[] = [];
  /** The next N mutating requests are carried out, then answered 503 as if the answer was lost. */
  loseAnswers = 0;

  constructor(
    private readonly clock: SimClock,
    public timings: NutanixTimings,
    private readonly seed: boolean,
  ) {
    this.reset();
  }

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  reset(): void {
    for (const m of [this.clusters, this.images, this.subnets, this.vms, this.templates, this.recoveryPoints, this.tasks, this.requests]) m.clear();
    this.forced = [];
    this.loseAnswers = 0;
    this.timings = { ...this.timings };
    if (!this.seed) return;
    this.clusters.set(SEED.cluster.extId, { ...SEED.cluster });
    this.clusters.set(SEED.cluster2.extId, { ...SEED.cluster2 });
    this.images.set(SEED.image.extId, { ...SEED.image });
    this.subnets.set(SEED.subnet.extId, { ...SEED.subnet });
    this.addVm({ extId: SEED.vm, name: 'web-01', powerState: 'ON', guestTools: true });
    this.addVm({ extId: SEED.vmNoTools, name: 'legacy-01', powerState: 'ON', guestTools: false });
  }

  addVm(partial: Partial<Vm> & { name: string }): Vm {
    const at = this.now();
    const vm: Vm = {
      extId: partial.extId ?? randomUUID(),
      name: partial.name,
      description: partial.description,
      clusterExtId: partial.clusterExtId ?? SEED.cluster.extId,
      numSockets: partial.numSockets ?? 1,
      numCoresPerSocket: partial.numCoresPerSocket ?? 1,
      numThreadsPerCore: partial.numThreadsPerCore ?? 1,
      memorySizeBytes: partial.memorySizeBytes ?? 2 * 1024 ** 3,
      powerState: partial.powerState ?? 'OFF',
      disks: partial.disks ?? [],
      nics: partial.nics ?? [],
      guestTools: partial.guestTools ?? false,
      createTime: at,
      updateTime: at,
      version: 1,
    };
    this.vms.set(vm.extId, vm);
    return vm;
  }

  touch(entity: { version: number; updateTime?: string }): void {
    entity.version++;
    if ('updateTime' in entity) entity.updateTime = this.now();
  }

  /** Queues a task; its effect runs when `durationMs` has passed on the simulator's clock. */
  startTask(spec: {
    operation: string;
    description: string;
    kind: TimingKind;
    entities: EntityRef[];
    cancelable: boolean;
    clusterExtId?: string;
    apply: SimTask['apply'];
  }): SimTask {
    const now = this.clock.now();
    const task: SimTask = {
      extId: taskId(),
      operation: spec.operation,
      operationDescription: spec.description,
      status: 'RUNNING',
      createdAt: now,
      startedAt: now,
      durationMs: this.timings[spec.kind],
      isCancelable: spec.cancelable,
      entities: spec.entities,
      clusterExtIds: [spec.clusterExtId ?? SEED.cluster.extId],
      errorMessages: [],
      completionDetails: [],
      apply: spec.apply,
    };
    const forced = this.forced.findIndex((f) => f.operation === spec.operation);
    if (forced >= 0) {
      const [f] = this.forced.splice(forced, 1);
      task.apply = () => {
        throw new TaskFailure(f.message);
      };
    }
    this.tasks.set(task.extId, task);
    return task;
  }

  /** Ends every task whose time is up (in creation order) and drops expired recovery points. */
  settle(): void {
    const now = this.clock.now();
    for (const task of this.tasks.values()) {
      if (task.status !== 'RUNNING' && task.status !== 'QUEUED') continue;
      if (task.startedAt + task.durationMs > now) continue;
      task.completedAt = task.startedAt + task.durationMs;
      try {
        const created = task.apply?.() ?? [];
        for (const ref of created) {
          task.entities.push(ref);
          task.completionDetails.push({ name: ref.rel === REL.recoveryPoint ? 'recoveryPointExtId' : ref.rel === REL.template ? 'templateExtId' : 'vmExtId', value: ref.extId });
        }
        task.status = 'SUCCEEDED';
      } catch (err) {
        if (!(err instanceof TaskFailure)) throw err;
        task.status = 'FAILED';
        task.errorMessages.push({ code: err.code, message: err.message });
      }
      task.apply = undefined;
    }
    for (const rp of this.recoveryPoints.values()) {
      if (rp.expirationTime && Date.parse(rp.expirationTime) <= now) this.recoveryPoints.delete(rp.extId);
    }
  }

  progress(task: SimTask): number {
    if (task.status === 'SUCCEEDED') return 100;
    if (task.status !== 'RUNNING') return task.status === 'QUEUED' ? 0 : Math.min(99, this.progressAt(task));
    return this.progressAt(task);
  }

  private progressAt(task: SimTask): number {
    if (task.durationMs <= 0) return 99;
    return Math.max(0, Math.min(99, Math.floor(((this.clock.now() - task.startedAt) / task.durationMs) * 100)));
  }

  cancel(task: SimTask): void {
    task.status = 'CANCELED';
    task.completedAt = this.clock.now();
    task.apply = undefined;
    task.errorMessages.push({ code: 'PRISM-50006', message: 'The task was canceled by the user.' });
  }

  snapshot(): unknown {
    this.settle();
    return {
      clusters: [...this.clusters.values()],
      images: [...this.images.values()],
      vms: [...this.vms.values()],
      templates: [...this.templates.values()],
      recoveryPoints: [...this.recoveryPoints.values()],
      tasks: [...this.tasks.values()].map(({ apply: _apply, ...t }) => t),
      timings: this.timings,
    };
  }
}
