// The libvirt calls Baton makes, typed. Each method is one remote procedure; names follow the
// public C API (virDomainDefineXML, virDomainCreate, ...) so libvirt's documentation applies.
import { LibvirtConnection, type ConnectOptions } from './connection';
import { isLibvirtError } from './errors';
import {
  DOMAIN_EVENT_ID_LIFECYCLE,
  DomainState,
  Proc,
  STATE_NAMES,
  UNDEFINE_ALL_METADATA,
  UNDEFINE_MANAGED_SAVE_AND_SNAPSHOTS,
  XML_INACTIVE,
  readDomain,
  readPool,
  readSnapshot,
  readVol,
  uuidFromString,
  uuidToString,
  writeDomain,
  writePool,
  writeSnapshot,
  writeVol,
  type DomainRef,
  type SnapshotRef,
  type StoragePoolRef,
  type StorageVolRef,
} from './protocol';

export interface DomainInfo {
  state: number;
  maxMemKiB: number;
  memoryKiB: number;
  vcpus: number;
  cpuTimeNs: bigint;
}

export interface DomainStateReading {
  state: number;
  /** virDomain*Reason for that state (e.g. SHUTOFF reason 1 = shut down, 2 = destroyed, 3 = crashed). */
  reason: number;
  name: string;
}

/** One domain with its state, as ListVms (and later a trigger) reads them. */
export interface DomainSummary {
  name: string;
  uuid: string;
  id: number;
  state: string;
  stateCode: number;
  reason: number;
}

/** One virConnectDomainEventCallback lifecycle event, as the daemon sent it. */
export interface LifecycleEvent {
  name: string;
  uuid: string;
  /** virDomainEventType (STARTED = 2, STOPPED = 5...; see ../lifecycle-events.ts). */
  event: number;
  /** Its detail (for STOPPED: DESTROYED = 1, CRASHED = 2...). */
  detail: number;
  /** Epoch ms when it arrived here. */
  at: number;
}

export const stateName = (state: number) => STATE_NAMES[state] ?? `UNKNOWN(${state})`;

export class LibvirtClient {
  private constructor(readonly conn: LibvirtConnection) {}

  static async connect(uri: string, options: ConnectOptions = {}): Promise<LibvirtClient> {
    return new LibvirtClient(await LibvirtConnection.open(uri, options));
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  get uri(): string {
    return this.conn.target.display;
  }

  /** libvirt's version as major*1e6 + minor*1e3 + release. */
  async libVersion(): Promise<number> {
    return Number(await this.conn.call(Proc.CONNECT_GET_LIB_VERSION, undefined, 'reading the libvirt version', (r) => r.uhyper()));
  }

  lookupByName(name: string): Promise<DomainRef> {
    return this.conn.call(Proc.DOMAIN_LOOKUP_BY_NAME, (w) => w.string(name), `looking up domain '${name}'`, readDomain);
  }

  lookupByUuid(uuid: string): Promise<DomainRef> {
    return this.conn.call(Proc.DOMAIN_LOOKUP_BY_UUID, (w) => w.fixedOpaque(uuidFromString(uuid)), `looking up domain ${uuid}`, readDomain);
  }

  defineXml(xml: string, name: string): Promise<DomainRef> {
    return this.conn.call(Proc.DOMAIN_DEFINE_XML, (w) => w.string(xml), `defining domain '${name}'`, readDomain);
  }

  create(dom: DomainRef): Promise<void> {
    return this.conn.call(Proc.DOMAIN_CREATE, (w) => writeDomain(w, dom), `starting domain '${dom.name}'`);
  }

  shutdown(dom: DomainRef): Promise<void> {
    return this.conn.call(Proc.DOMAIN_SHUTDOWN, (w) => writeDomain(w, dom), `shutting down domain '${dom.name}'`);
  }

  destroy(dom: DomainRef): Promise<void> {
    return this.conn.call(Proc.DOMAIN_DESTROY, (w) => writeDomain(w, dom), `destroying (forcing off) domain '${dom.name}'`);
  }

  suspend(dom: DomainRef): Promise<void> {
    return this.conn.call(Proc.DOMAIN_SUSPEND, (w) => writeDomain(w, dom), `suspending domain '${dom.name}'`);
  }

  resume(dom: DomainRef): Promise<void> {
    return this.conn.call(Proc.DOMAIN_RESUME, (w) => writeDomain(w, dom), `resuming domain '${dom.name}'`);
  }

  /**
   * Removes the definition with its managed-save image, snapshot and checkpoint metadata and NVRAM.
   * Drivers that know fewer of those flags (the test driver) refuse unknown ones: fewer are tried then.
   */
  async undefine(dom: DomainRef): Promise<void> {
    const attempts = [UNDEFINE_ALL_METADATA, UNDEFINE_MANAGED_SAVE_AND_SNAPSHOTS, 0];
    for (const [i, flags] of attempts.entries()) {
      try {
        return await this.conn.call(Proc.DOMAIN_UNDEFINE_FLAGS, (w) => writeDomain(w, dom).uint(flags), `undefining domain '${dom.name}'`);
      } catch (error) {
        if (i === attempts.length - 1 || !isLibvirtError(error) || !/unsupported flags/.test(error.message)) throw error;
      }
    }
  }

  async getState(dom: DomainRef): Promise<DomainStateReading> {
    const [state, reason] = await this.conn.call(
      Proc.DOMAIN_GET_STATE,
      (w) => writeDomain(w, dom).uint(0),
      `reading the state of domain '${dom.name}'`,
      (r) => [r.int(), r.int()],
    );
    return { state, reason, name: stateName(state) };
  }

  getInfo(dom: DomainRef): Promise<DomainInfo> {
    return this.conn.call(
      Proc.DOMAIN_GET_INFO,
      (w) => writeDomain(w, dom),
      `reading domain '${dom.name}'`,
      (r) => ({
        state: r.uint(),
        maxMemKiB: Number(r.uhyper()),
        memoryKiB: Number(r.uhyper()),
        vcpus: r.uint(),
        cpuTimeNs: r.uhyper(),
      }),
    );
  }

  /** The domain XML; `inactive` gives the persistent definition rather than the live one. */
  getXml(dom: DomainRef, inactive = false): Promise<string> {
    return this.conn.call(
      Proc.DOMAIN_GET_XML_DESC,
      (w) => writeDomain(w, dom).uint(inactive ? XML_INACTIVE : 0),
      `reading the XML of domain '${dom.name}'`,
      (r) => r.string(),
    );
  }

  /** Every domain (running or defined) with its state: what ListVms shows and a trigger would poll. */
  async listAll(): Promise<DomainSummary[]> {
    const domains = await this.conn.call(
      Proc.CONNECT_LIST_ALL_DOMAINS,
      (w) => w.int(1).uint(0),
      'listing domains',
      (r) => {
        const list = r.array(readDomain, 65_536);
        r.uint();
        return list;
      },
    );
    const out: DomainSummary[] = [];
    for (const dom of domains) {
      const state = await this.getState(dom).catch(() => ({ state: DomainState.NOSTATE, reason: 0, name: stateName(DomainState.NOSTATE) }));
      out.push({ name: dom.name, uuid: uuidToString(dom.uuid), id: dom.id, state: state.name, stateCode: state.state, reason: state.reason });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Registers for the lifecycle events of every domain (virConnectDomainEventRegisterAny with the
   * modern callback-id procedures, libvirt >= 1.2.1). `listener` gets each event as it arrives;
   * the returned function deregisters. An error here means the connection cannot give events.
   */
  async subscribeLifecycle(listener: (event: LifecycleEvent) => void): Promise<() => Promise<void>> {
    let callbackId: number | undefined;
    const early: { id: number; event: LifecycleEvent }[] = [];
    const off = this.conn.onEvent((proc, r) => {
      if (proc !== Proc.DOMAIN_EVENT_CALLBACK_LIFECYCLE) return;
      const id = r.int();
      const dom = readDomain(r);
      const event: LifecycleEvent = { name: dom.name, uuid: uuidToString(dom.uuid), event: r.int(), detail: r.int(), at: Date.now() };
      // An event can arrive before the registration's reply gives the callback id.
      if (callbackId === undefined) early.push({ id, event });
      else if (id === callbackId) listener(event);
    });
    try {
      callbackId = await this.conn.call(
        Proc.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
        (w) => w.int(DOMAIN_EVENT_ID_LIFECYCLE).uint(0), // remote_domain: a null pointer (every domain)
        'registering for domain lifecycle events',
        (r) => r.int(),
      );
    } catch (error) {
      off();
      throw error;
    }
    for (const e of early) if (e.id === callbackId) listener(e.event);
    return async () => {
      off();
      if (this.conn.isClosed) return;
      await this.conn.call(Proc.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, (w) => w.int(callbackId!), 'deregistering the lifecycle events').catch(() => undefined);
    };
  }

  // --- snapshots (internal qcow2 snapshots for the qemu driver) ---

  createSnapshot(dom: DomainRef, xml: string, flags = 0): Promise<SnapshotRef> {
    return this.conn.call(Proc.DOMAIN_SNAPSHOT_CREATE_XML, (w) => writeDomain(w, dom).string(xml).uint(flags), `creating a snapshot of domain '${dom.name}'`, readSnapshot);
  }

  lookupSnapshot(dom: DomainRef, name: string): Promise<SnapshotRef> {
    return this.conn.call(
      Proc.DOMAIN_SNAPSHOT_LOOKUP_BY_NAME,
      (w) => writeDomain(w, dom).string(name).uint(0),
      `looking up snapshot '${name}' of domain '${dom.name}'`,
      readSnapshot,
    );
  }

  snapshotXml(snap: SnapshotRef): Promise<string> {
    return this.conn.call(
      Proc.DOMAIN_SNAPSHOT_GET_XML_DESC,
      (w) => writeSnapshot(w, snap).uint(0),
      `reading snapshot '${snap.name}'`,
      (r) => r.string(),
    );
  }

  async isCurrentSnapshot(snap: SnapshotRef): Promise<boolean> {
    return (
      (await this.conn.call(
        Proc.DOMAIN_SNAPSHOT_IS_CURRENT,
        (w) => writeSnapshot(w, snap).uint(0),
        `reading snapshot '${snap.name}'`,
        (r) => r.int(),
      )) === 1
    );
  }

  /** flags: VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING = 1, _PAUSED = 2, _FORCE = 4. */
  revertToSnapshot(snap: SnapshotRef, flags = 0): Promise<void> {
    return this.conn.call(Proc.DOMAIN_REVERT_TO_SNAPSHOT, (w) => writeSnapshot(w, snap).uint(flags), `reverting domain '${snap.dom.name}' to snapshot '${snap.name}'`);
  }

  /** flags: VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN = 1. */
  deleteSnapshot(snap: SnapshotRef, flags = 0): Promise<void> {
    return this.conn.call(Proc.DOMAIN_SNAPSHOT_DELETE, (w) => writeSnapshot(w, snap).uint(flags), `deleting snapshot '${snap.name}' of domain '${snap.dom.name}'`);
  }

  listSnapshots(dom: DomainRef): Promise<SnapshotRef[]> {
    return this.conn.call(
      Proc.DOMAIN_LIST_ALL_SNAPSHOTS,
      (w) => writeDomain(w, dom).int(1).uint(0),
      `listing the snapshots of domain '${dom.name}'`,
      (r) => {
        const list = r.array(readSnapshot, 16_384);
        r.int();
        return list;
      },
    );
  }

  // --- storage volumes (disks of DeleteVm and CloneVm) ---

  volByPath(path: string): Promise<StorageVolRef> {
    return this.conn.call(Proc.STORAGE_VOL_LOOKUP_BY_PATH, (w) => w.string(path), `looking up the storage volume of ${path}`, readVol);
  }

  poolByName(name: string): Promise<StoragePoolRef> {
    return this.conn.call(Proc.STORAGE_POOL_LOOKUP_BY_NAME, (w) => w.string(name), `looking up storage pool '${name}'`, readPool);
  }

  poolOfVol(vol: StorageVolRef): Promise<StoragePoolRef> {
    return this.conn.call(Proc.STORAGE_POOL_LOOKUP_BY_VOLUME, (w) => writeVol(w, vol), `looking up the pool of volume ${vol.name}`, readPool);
  }

  volByName(pool: StoragePoolRef, name: string): Promise<StorageVolRef> {
    return this.conn.call(Proc.STORAGE_VOL_LOOKUP_BY_NAME, (w) => writePool(w, pool).string(name), `looking up volume '${name}' in pool '${pool.name}'`, readVol);
  }

  /** Volume type, capacity and allocation in bytes. */
  volInfo(vol: StorageVolRef): Promise<{ type: number; capacity: number; allocation: number }> {
    return this.conn.call(
      Proc.STORAGE_VOL_GET_INFO,
      (w) => writeVol(w, vol),
      `reading volume ${vol.name}`,
      (r) => ({
        type: r.int(),
        capacity: Number(r.uhyper()),
        allocation: Number(r.uhyper()),
      }),
    );
  }

  volPath(vol: StorageVolRef): Promise<string> {
    return this.conn.call(
      Proc.STORAGE_VOL_GET_PATH,
      (w) => writeVol(w, vol),
      `reading the path of volume ${vol.name}`,
      (r) => r.string(),
    );
  }

  createVol(pool: StoragePoolRef, xml: string, name: string): Promise<StorageVolRef> {
    return this.conn.call(Proc.STORAGE_VOL_CREATE_XML, (w) => writePool(w, pool).string(xml).uint(0), `creating volume '${name}' in pool '${pool.name}'`, readVol);
  }

  deleteVol(vol: StorageVolRef): Promise<void> {
    return this.conn.call(Proc.STORAGE_VOL_DELETE, (w) => writeVol(w, vol).uint(0), `deleting volume '${vol.name}' of pool '${vol.pool}'`);
  }
}

/** Opens a client, runs `work`, always closes it. */
export async function withLibvirt<T>(uri: string, options: ConnectOptions, work: (client: LibvirtClient) => Promise<T>): Promise<T> {
  const client = await LibvirtClient.connect(uri, options);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

export { uuidToString };
