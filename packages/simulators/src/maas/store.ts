import type { SimClock } from '../kit/clock.js';

/**
 * MAAS machines with the real status numbers and labels (specs/maas/maas-3.7.3-node-status.json)
 * and the asynchronous transitions MAAS makes after an action: commissioning ends Ready or
 * Failed commissioning, deploying ends Deployed or Failed deployment, releasing ends Ready.
 * Transitions are due at a clock time and applied when the state is next read, so a test that
 * moves the clock (POST /_sim/clock) sees them at once.
 */
export const NodeStatus = {
  NEW: 0,
  COMMISSIONING: 1,
  FAILED_COMMISSIONING: 2,
  MISSING: 3,
  READY: 4,
  RESERVED: 5,
  DEPLOYED: 6,
  RETIRED: 7,
  BROKEN: 8,
  DEPLOYING: 9,
  ALLOCATED: 10,
  FAILED_DEPLOYMENT: 11,
  RELEASING: 12,
  FAILED_RELEASING: 13,
  DISK_ERASING: 14,
  FAILED_DISK_ERASING: 15,
  RESCUE_MODE: 16,
  ENTERING_RESCUE_MODE: 17,
  FAILED_ENTERING_RESCUE_MODE: 18,
  EXITING_RESCUE_MODE: 19,
  FAILED_EXITING_RESCUE_MODE: 20,
  TESTING: 21,
  FAILED_TESTING: 22,
} as const;

export const STATUS_NAMES: Record<number, string> = {
  0: 'New',
  1: 'Commissioning',
  2: 'Failed commissioning',
  3: 'Missing',
  4: 'Ready',
  5: 'Reserved',
  6: 'Deployed',
  7: 'Retired',
  8: 'Broken',
  9: 'Deploying',
  10: 'Allocated',
  11: 'Failed deployment',
  12: 'Releasing',
  13: 'Releasing failed',
  14: 'Disk erasing',
  15: 'Failed disk erasing',
  16: 'Rescue mode',
  17: 'Entering rescue mode',
  18: 'Failed to enter rescue mode',
  19: 'Exiting rescue mode',
  20: 'Failed to exit rescue mode',
  21: 'Testing',
  22: 'Failed testing',
};

/** The `status` filter of GET /machines/ takes these short names (lower case, underscores). */
export const STATUS_FILTER_NAMES: Record<string, number> = Object.fromEntries(Object.entries(NodeStatus).map(([k, v]) => [k.toLowerCase(), v]));

export interface MaasTimings {
  commissioningMs: number;
  deployingMs: number;
  releasingMs: number;
  /** How long a BMC takes to change the power state. */
  powerMs: number;
}

export const DEFAULT_TIMINGS: MaasTimings = { commissioningMs: 1500, deployingMs: 2000, releasingMs: 800, powerMs: 300 };

/** How the next commissioning or deployment ends (POST /_sim/outcome). */
export interface MaasOutcome {
  commissioning?: 'succeed' | 'fail';
  deployment?: 'succeed' | 'fail';
  /** Only for the machine with this hostname; all machines when absent. */
  hostname?: string;
  /** Applies this many times, then lapses (unlimited when absent). */
  times?: number;
}

export interface Machine {
  system_id: string;
  hostname: string;
  domain: string;
  zone: string;
  pool: string;
  architecture: string;
  description: string;
  mac_addresses: string[];
  power_type: string;
  power_parameters: Record<string, string>;
  status: number;
  status_message: string;
  power_state: 'on' | 'off' | 'unknown' | 'error';
  osystem: string;
  distro_series: string;
  hwe_kernel: string | null;
  owner: string | null;
  tag_names: string[];
  cpu_count: number;
  memory: number;
  interface_ids: number[];
  ip: string;
  /** A transition in progress: at `at` (clock ms) the machine moves to `to`. */
  pending?: { to: number; at: number; message: string; power?: 'on' | 'off' };
  pendingPower?: { to: 'on' | 'off'; at: number };
}

export interface MaasSeed {
  domains: string[];
  zones: string[];
  pools: string[];
}

const SEED: MaasSeed = {
  domains: ['maas', 'datacenter.local'],
  zones: ['default', 'zone-a', 'zone-b'],
  pools: ['default', 'production'],
};

export class MaasStore {
  machines = new Map<string, Machine>();
  tags = new Set<string>();
  outcomes: MaasOutcome[] = [];
  timings: MaasTimings;
  private nextInterface = 100;
  private nextSystemId = 1;
  readonly seed = SEED;

  constructor(
    private readonly clock: SimClock,
    private readonly initialTimings: MaasTimings,
    private readonly seedMachines: boolean,
  ) {
    this.timings = { ...initialTimings };
    this.reset();
  }

  reset(): void {
    this.machines.clear();
    this.tags.clear();
    this.outcomes = [];
    this.timings = { ...this.initialTimings };
    this.nextInterface = 100;
    this.nextSystemId = 1;
    if (this.seedMachines) {
      for (const [i, hostname] of ['rack1-node1', 'rack1-node2', 'rack1-node3'].entries()) {
        this.create({
          hostname,
          architecture: 'amd64/generic',
          mac_addresses: [`52:54:00:00:00:0${i + 1}`],
          domain: 'maas',
          zone: 'default',
          pool: 'default',
          power_type: 'ipmi',
          power_parameters: { power_address: `10.0.0.${10 + i}` },
          description: '',
          status: NodeStatus.READY,
        });
      }
    }
  }

  newSystemId(): string {
    // Six lower-case characters like MAAS's, but predictable so tests and logs read the same.
    const n = this.nextSystemId++;
    const alphabet = 'abcdefghjkmnpqrstwxy';
    let id = '';
    let v = n * 7919 + 104729;
    for (let i = 0; i < 6; i++) {
      id += alphabet[v % alphabet.length];
      v = Math.floor(v / alphabet.length) + i * 13;
    }
    return this.machines.has(id) ? this.newSystemId() : id;
  }

  create(
    fields: Pick<Machine, 'hostname' | 'architecture' | 'mac_addresses' | 'domain' | 'zone' | 'pool' | 'power_type' | 'power_parameters' | 'description' | 'status'>,
  ): Machine {
    const system_id = this.newSystemId();
    const machine: Machine = {
      ...fields,
      system_id,
      status_message: '',
      power_state: fields.power_type ? 'off' : 'unknown',
      osystem: '',
      distro_series: '',
      hwe_kernel: null,
      owner: null,
      tag_names: [],
      cpu_count: 8,
      memory: 32768,
      interface_ids: fields.mac_addresses.map(() => this.nextInterface++),
      ip: `10.20.0.${this.machines.size + 10}`,
    };
    this.machines.set(system_id, machine);
    return machine;
  }

  /** Applies transitions that are due. Called before every read. */
  tick(): void {
    const now = this.clock.now();
    for (const m of this.machines.values()) {
      if (m.pending && m.pending.at <= now) {
        m.status = m.pending.to;
        m.status_message = m.pending.message;
        if (m.pending.power) m.power_state = m.pending.power;
        m.pending = undefined;
      }
      if (m.pendingPower && m.pendingPower.at <= now) {
        m.power_state = m.pendingPower.to;
        m.pendingPower = undefined;
      }
    }
  }

  get(systemId: string): Machine | undefined {
    this.tick();
    return this.machines.get(systemId);
  }

  list(): Machine[] {
    this.tick();
    return [...this.machines.values()];
  }

  /** Consumes the outcome that applies to this machine's next commissioning or deployment. */
  takeOutcome(kind: 'commissioning' | 'deployment', machine: Machine): 'succeed' | 'fail' {
    const index = this.outcomes.findIndex((o) => o[kind] !== undefined && (!o.hostname || o.hostname === machine.hostname));
    if (index < 0) return 'succeed';
    const outcome = this.outcomes[index];
    if (outcome.times !== undefined && --outcome.times <= 0) this.outcomes.splice(index, 1);
    return outcome[kind] ?? 'succeed';
  }

  startCommissioning(m: Machine): void {
    const fail = this.takeOutcome('commissioning', m) === 'fail';
    m.status = NodeStatus.COMMISSIONING;
    m.status_message = 'Commissioning';
    m.power_state = 'on';
    m.pending = fail
      ? {
          to: NodeStatus.FAILED_COMMISSIONING,
          at: this.clock.now() + this.timings.commissioningMs,
          message: 'Failed commissioning: 00-maas-01-cpuinfo failed (simulated)',
          power: 'off',
        }
      : { to: NodeStatus.READY, at: this.clock.now() + this.timings.commissioningMs, message: '', power: 'off' };
  }

  startDeployment(m: Machine, osystem: string, distroSeries: string, kernel: string | null): void {
    const fail = this.takeOutcome('deployment', m) === 'fail';
    m.owner = 'admin';
    m.osystem = osystem;
    m.distro_series = distroSeries;
    m.hwe_kernel = kernel;
    m.status = NodeStatus.DEPLOYING;
    m.status_message = 'Deploying';
    m.power_state = 'on';
    m.pending = fail
      ? {
          to: NodeStatus.FAILED_DEPLOYMENT,
          at: this.clock.now() + this.timings.deployingMs,
          message: 'Installation failed (refer to the installation log for more information) (simulated)',
        }
      : { to: NodeStatus.DEPLOYED, at: this.clock.now() + this.timings.deployingMs, message: 'Deployed' };
  }

  startRelease(m: Machine, erase: boolean): void {
    m.status = erase ? NodeStatus.DISK_ERASING : NodeStatus.RELEASING;
    m.status_message = erase ? 'Erasing disks' : 'Releasing';
    m.pending = { to: NodeStatus.READY, at: this.clock.now() + this.timings.releasingMs, message: '', power: 'off' };
    m.owner = null;
    m.osystem = '';
    m.distro_series = '';
  }

  setPower(m: Machine, to: 'on' | 'off'): void {
    m.pendingPower = { to, at: this.clock.now() + this.timings.powerMs };
  }

  snapshot(): unknown {
    return { machines: this.list().map((m) => ({ ...m, status_name: STATUS_NAMES[m.status] })), tags: [...this.tags], outcomes: this.outcomes, timings: this.timings };
  }
}
