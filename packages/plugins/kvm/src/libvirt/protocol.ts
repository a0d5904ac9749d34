// libvirt's remote protocol, the part Baton speaks (libvirt's src/remote/remote_protocol.x and
// src/rpc/virnetprotocol.x). A message on the wire is:
//
//   uint length (of the whole message, these 4 bytes included)
//   header: uint program, uint version, int procedure, int type, uint serial, int status
//   body:   the procedure's XDR-encoded arguments (a call) or result (a reply with status OK),
//           or a remote_error (a reply with status ERROR)
//
// Procedure numbers never change (the protocol only adds), so these constants hold for every
// libvirt since 1.0.
import { XdrReader, XdrWriter } from './xdr';

export const REMOTE_PROGRAM = 0x20008086;
export const REMOTE_PROTOCOL_VERSION = 1;
/** virnetprotocol.x: VIR_NET_MESSAGE_MAX (libvirt 9 allows 32 MiB; replies here are far smaller). */
export const MESSAGE_MAX = 32 * 1024 * 1024;
export const HEADER_BYTES = 24;

export const MessageType = { CALL: 0, REPLY: 1, MESSAGE: 2, STREAM: 3 } as const;
export const MessageStatus = { OK: 0, ERROR: 1, CONTINUE: 2 } as const;

/** The procedures Baton calls, by their names in remote_protocol.x (REMOTE_PROC_*). */
export const Proc = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_VERSION: 4,
  DOMAIN_CREATE: 9,
  DOMAIN_DEFINE_XML: 11,
  DOMAIN_DESTROY: 12,
  DOMAIN_GET_XML_DESC: 14,
  DOMAIN_GET_INFO: 16,
  DOMAIN_LOOKUP_BY_NAME: 23,
  DOMAIN_LOOKUP_BY_UUID: 24,
  DOMAIN_RESUME: 28,
  DOMAIN_SHUTDOWN: 33,
  DOMAIN_SUSPEND: 34,
  AUTH_LIST: 66,
  STORAGE_POOL_LOOKUP_BY_NAME: 84,
  STORAGE_POOL_LOOKUP_BY_VOLUME: 86,
  STORAGE_VOL_CREATE_XML: 93,
  STORAGE_VOL_LOOKUP_BY_NAME: 95,
  STORAGE_VOL_GET_INFO: 98,
  STORAGE_VOL_DELETE: 94,
  STORAGE_VOL_LOOKUP_BY_PATH: 97,
  STORAGE_VOL_GET_PATH: 100,
  CONNECT_GET_LIB_VERSION: 157,
  DOMAIN_SNAPSHOT_CREATE_XML: 185,
  DOMAIN_SNAPSHOT_GET_XML_DESC: 186,
  DOMAIN_SNAPSHOT_LOOKUP_BY_NAME: 189,
  DOMAIN_REVERT_TO_SNAPSHOT: 192,
  DOMAIN_SNAPSHOT_DELETE: 193,
  DOMAIN_GET_STATE: 212,
  DOMAIN_UNDEFINE_FLAGS: 231,
  DOMAIN_DESTROY_FLAGS: 234,
  CONNECT_LIST_ALL_DOMAINS: 273,
  DOMAIN_LIST_ALL_SNAPSHOTS: 274,
  DOMAIN_SNAPSHOT_IS_CURRENT: 271,
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  /** Not a call: what the daemon sends (type MESSAGE) for each lifecycle event of a registered callback. */
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: 318,
} as const;

/** virDomainEventID: the lifecycle events (defined, started, stopped, suspended...). */
export const DOMAIN_EVENT_ID_LIFECYCLE = 0;

/** virDomainState. */
export const DomainState = { NOSTATE: 0, RUNNING: 1, BLOCKED: 2, PAUSED: 3, SHUTDOWN: 4, SHUTOFF: 5, CRASHED: 6, PMSUSPENDED: 7 } as const;

/**
 * The names Baton shows for virDomainState: the C enum names, which is what Kestra's KVM tasks
 * output (libvirt-java's DomainState.toString()), so flows comparing `state` keep working.
 */
export const STATE_NAMES: Record<number, string> = {
  0: 'VIR_DOMAIN_NOSTATE',
  1: 'VIR_DOMAIN_RUNNING',
  2: 'VIR_DOMAIN_BLOCKED',
  3: 'VIR_DOMAIN_PAUSED',
  4: 'VIR_DOMAIN_SHUTDOWN',
  5: 'VIR_DOMAIN_SHUTOFF',
  6: 'VIR_DOMAIN_CRASHED',
  7: 'VIR_DOMAIN_PMSUSPENDED',
};

/** virDomainUndefineFlagsValues: managed save image, snapshot and checkpoint metadata, NVRAM go too. */
export const UNDEFINE_ALL_METADATA = 1 | 2 | 4 | 16;
export const UNDEFINE_MANAGED_SAVE_AND_SNAPSHOTS = 1 | 2;
/** virDomainXMLFlags. */
export const XML_SECURE = 1;
export const XML_INACTIVE = 2;
/** virDomainDestroyFlags: VIR_DOMAIN_DESTROY_GRACEFUL (SIGTERM only, no SIGKILL). */
export const DESTROY_DEFAULT = 0;

/** remote_nonnull_domain. */
export interface DomainRef {
  name: string;
  /** 16 raw bytes. */
  uuid: Buffer;
  /** -1 when the domain is not running. */
  id: number;
}

export interface SnapshotRef {
  name: string;
  dom: DomainRef;
}

export interface StoragePoolRef {
  name: string;
  uuid: Buffer;
}

export interface StorageVolRef {
  pool: string;
  name: string;
  key: string;
}

export const writeDomain = (w: XdrWriter, d: DomainRef) => w.string(d.name).fixedOpaque(d.uuid).int(d.id);
export const readDomain = (r: XdrReader): DomainRef => ({ name: r.string(), uuid: r.fixedOpaque(16), id: r.int() });
export const writeSnapshot = (w: XdrWriter, s: SnapshotRef) => writeDomain(w.string(s.name), s.dom);
export const readSnapshot = (r: XdrReader): SnapshotRef => ({ name: r.string(), dom: readDomain(r) });
export const writePool = (w: XdrWriter, p: StoragePoolRef) => w.string(p.name).fixedOpaque(p.uuid);
export const readPool = (r: XdrReader): StoragePoolRef => ({ name: r.string(), uuid: r.fixedOpaque(16) });
export const writeVol = (w: XdrWriter, v: StorageVolRef) => w.string(v.pool).string(v.name).string(v.key);
export const readVol = (r: XdrReader): StorageVolRef => ({ pool: r.string(), name: r.string(), key: r.string() });

/** remote_error: what libvirtd answers with status ERROR. */
export interface RemoteError {
  /** virErrorNumber (see errors.ts). */
  code: number;
  /** virErrorDomain: which part of libvirt raised it. */
  domain: number;
  message?: string;
  level: number;
}

export function readRemoteError(r: XdrReader): RemoteError {
  const code = r.int();
  const domain = r.int();
  const message = r.optionalString();
  const level = r.int();
  // The rest (the domain and network concerned, str1..3, int1..2) repeats what the message says.
  return { code, domain, message, level };
}

export function uuidToString(uuid: Buffer): string {
  const h = uuid.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidFromString(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${text}`);
  return Buffer.from(hex, 'hex');
}
