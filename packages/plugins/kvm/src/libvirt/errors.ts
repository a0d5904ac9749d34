// libvirt's errors turned into PluginErrors whose message says what to do. The codes are
// virErrorNumber from libvirt's include/libvirt/virterror.h (stable: libvirt never renumbers them).
import { PluginError, type PluginErrorCode } from '@baton/plugin-sdk';
import type { RemoteError } from './protocol';
import type { Endpoint } from './uri';

export const VirErr = {
  INTERNAL_ERROR: 1,
  NO_SUPPORT: 3,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  DOM_EXIST: 28,
  OPERATION_DENIED: 29,
  NO_DOMAIN: 42,
  AUTH_FAILED: 45,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  OPERATION_INVALID: 55,
  CONFIG_UNSUPPORTED: 67,
  OPERATION_TIMEOUT: 68,
  NO_DOMAIN_SNAPSHOT: 72,
  OPERATION_UNSUPPORTED: 84,
  RESOURCE_BUSY: 87,
  ACCESS_DENIED: 88,
  STORAGE_VOL_EXIST: 90,
  XML_INVALID_SCHEMA: 92,
  AUTH_UNAVAILABLE: 94,
} as const;

/** A libvirt error, kept with its code so callers can tell "no such domain" from the rest. */
export class LibvirtError extends PluginError {
  readonly virCode: number;
  constructor(code: PluginErrorCode, message: string, virCode: number, retryable: boolean) {
    super(code, message, { retryable, details: { libvirtCode: virCode } });
    this.virCode = virCode;
  }
}

export function isLibvirtError(error: unknown, virCode?: number): error is LibvirtError {
  return error instanceof LibvirtError && (virCode === undefined || error.virCode === virCode);
}

/**
 * `what` names the operation ("starting domain web-01"); the result says what failed and what a
 * person can do about it.
 */
export function fromRemoteError(err: RemoteError, what: string): LibvirtError {
  const text = (err.message ?? `libvirt error ${err.code}`).trim();
  const at = `${what}: ${text}`;
  switch (err.code) {
    case VirErr.NO_DOMAIN:
      return new LibvirtError('NOT_FOUND', `${at}. Check the name (ListVms shows the domains of this connection) or create it with CreateVm`, err.code, false);
    case VirErr.NO_DOMAIN_SNAPSHOT:
      return new LibvirtError('NOT_FOUND', `${at}. ListSnapshots shows the snapshots of this domain`, err.code, false);
    case VirErr.NO_STORAGE_VOL:
    case VirErr.NO_STORAGE_POOL:
      return new LibvirtError(
        'NOT_FOUND',
        `${at}. The disk must be a volume of a libvirt storage pool (virsh pool-list; virsh pool-refresh after copying a file in)`,
        err.code,
        false,
      );
    case VirErr.DOM_EXIST:
    case VirErr.STORAGE_VOL_EXIST:
      return new LibvirtError('CONFLICT', `${at}. Choose another name, or delete the existing one first (DeleteVm)`, err.code, false);
    case VirErr.OPERATION_TIMEOUT:
      // "cannot acquire state change lock": another job holds the domain.
      return new LibvirtError(
        'CONFLICT',
        `${at}. Another operation holds the domain (a migration, a snapshot, a hung QEMU monitor); wait for it to finish or inspect it with virsh domjobinfo, then retry`,
        err.code,
        true,
      );
    case VirErr.RESOURCE_BUSY:
      return new LibvirtError('CONFLICT', `${at}. The resource is in use; retry when the other operation is done`, err.code, true);
    case VirErr.OPERATION_INVALID:
      return new LibvirtError('CONFLICT', `${at}. The domain is not in a state that allows this (GetVm shows its state)`, err.code, false);
    case VirErr.ACCESS_DENIED:
    case VirErr.OPERATION_DENIED:
    case VirErr.AUTH_FAILED:
      return new LibvirtError(
        'PERMISSION_DENIED',
        `${at}. The worker's user is not allowed to do this on this connection: run the worker as root or as a member of the libvirt group for qemu:///system, or grant it in libvirtd's access policy`,
        err.code,
        false,
      );
    case VirErr.XML_ERROR:
    case VirErr.XML_INVALID_SCHEMA:
    case VirErr.CONFIG_UNSUPPORTED:
      return new LibvirtError('INVALID_PROPERTIES', `${at}. Fix the domain XML (xmlDefinition)`, err.code, false);
    case VirErr.INVALID_ARG:
      return new LibvirtError('INVALID_PROPERTIES', at, err.code, false);
    case VirErr.NO_SUPPORT:
    case VirErr.OPERATION_UNSUPPORTED:
      return new LibvirtError('REMOTE_ERROR', `${at}. This hypervisor driver does not support it`, err.code, false);
    default:
      return new LibvirtError('REMOTE_ERROR', at, err.code, false);
  }
}

/** A socket that could not be reached, as a person would want it explained. */
export function fromSocketError(error: NodeJS.ErrnoException, endpoint: Endpoint, display: string): PluginError {
  const where = endpoint.kind === 'unix' ? `socket ${endpoint.path}` : `${endpoint.host}:${endpoint.port}`;
  if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
    const fix =
      endpoint.kind === 'unix'
        ? 'Start it on this host (systemctl start libvirtd, or virtlogd -d then libvirtd -d); a worker for another host needs workerGroup, see docs/kvm.md'
        : 'Check that libvirtd listens on TCP there (listen_tcp = 1 in libvirtd.conf, libvirtd --listen or the libvirtd-tcp.socket unit) and that the port is open';
    return new PluginError('UPSTREAM_UNAVAILABLE', `libvirtd is not reachable for ${display} (${where}: ${error.code}). ${fix}`, { retryable: true, cause: error });
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return new PluginError(
      'PERMISSION_DENIED',
      `the worker may not open ${where} for ${display} (${error.code}). Run the worker as root or add its user to the libvirt group (then restart the worker)`,
      { retryable: false, cause: error },
    );
  }
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return new PluginError('UPSTREAM_UNAVAILABLE', `host of ${display} does not resolve (${error.code}); check the host name`, { retryable: false, cause: error });
  }
  return new PluginError('UPSTREAM_UNAVAILABLE', `connection to libvirtd for ${display} (${where}) failed: ${error.message}`, { retryable: true, cause: error });
}
