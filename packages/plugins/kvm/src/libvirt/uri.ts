// Where a libvirt connection URI leads: which socket to dial and which name to open there. This is
// what libvirt's remote driver does on the client side (src/remote/remote_driver.c, doRemoteOpen):
// the transport and host are for the client; the daemon is given the URI without them.
import os from 'node:os';
import path from 'node:path';
import { PluginError } from '@baton/plugin-sdk';

export const SYSTEM_SOCKET = '/var/run/libvirt/libvirt-sock';
export const DEFAULT_TCP_PORT = 16509;

export type Endpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export interface ResolvedUri {
  endpoint: Endpoint;
  /** The name given to REMOTE_PROC_CONNECT_OPEN, e.g. `qemu:///system`. */
  openName: string;
  /** The URI as the user wrote it, for messages (never holds a password: libvirt URIs carry none). */
  display: string;
}

function sessionSocket(): string {
  // libvirt's per-user daemon: $XDG_RUNTIME_DIR/libvirt/libvirt-sock, which is /run/user/<uid> on
  // systemd hosts; root without a runtime dir uses ~/.cache.
  const uid = os.userInfo().uid;
  return uid === 0 ? path.join(os.homedir(), '.cache/libvirt/libvirt-sock') : `/run/user/${uid}/libvirt/libvirt-sock`;
}

/**
 * Resolves `qemu:///system`, `qemu:///session`, `qemu+unix:///system?socket=/path`,
 * `qemu+tcp://host[:port]/system` and `test:///default` (the test driver, served by the system
 * daemon). `qemu+ssh` and `qemu+tls` are not supported yet and say so.
 */
export function resolveUri(uri: string): ResolvedUri {
  const match = /^([a-z0-9]+)(?:\+([a-z]+))?:\/\/([^/?]*)(\/[^?]*)?(?:\?(.*))?$/i.exec(uri.trim());
  if (!match) {
    throw new PluginError('INVALID_PROPERTIES', `uri "${uri}" is not a libvirt connection URI; write e.g. qemu:///system or qemu+tcp://host/system`, { retryable: false });
  }
  const [, driver, transport = '', authority, uriPath = '/', query = ''] = match;
  const params = new URLSearchParams(query);
  const openName = `${driver}://${uriPath}`;
  const display = uri.trim();
  const socketParam = params.get('socket') ?? undefined;

  if (transport === 'ssh' || transport === 'libssh' || transport === 'libssh2') {
    throw new PluginError(
      'INVALID_PROPERTIES',
      `uri "${display}": qemu+ssh is not supported yet. Run a worker on the hypervisor host (workerGroup) and use qemu:///system, or expose libvirtd over qemu+tcp on a trusted network`,
      { retryable: false },
    );
  }
  if (transport === 'tls') {
    throw new PluginError('INVALID_PROPERTIES', `uri "${display}": qemu+tls is not supported yet; use qemu:///system from a worker on the host, or qemu+tcp`, { retryable: false });
  }
  if (transport === 'tcp') {
    const [host, port] = authority.includes('@') ? authority.split('@')[1].split(':') : authority.split(':');
    if (!host) throw new PluginError('INVALID_PROPERTIES', `uri "${display}": qemu+tcp needs a host, e.g. qemu+tcp://hv1.example.com/system`, { retryable: false });
    return { endpoint: { kind: 'tcp', host, port: port ? Number(port) : DEFAULT_TCP_PORT }, openName, display };
  }
  if (transport && transport !== 'unix') {
    throw new PluginError('INVALID_PROPERTIES', `uri "${display}": transport "${transport}" is not supported; use unix (the default) or tcp`, { retryable: false });
  }
  if (authority) {
    throw new PluginError('INVALID_PROPERTIES', `uri "${display}" names a host without a transport; for a remote host write qemu+tcp://${authority}${uriPath}`, {
      retryable: false,
    });
  }
  const socket = socketParam ?? (driver === 'qemu' && uriPath === '/session' ? sessionSocket() : SYSTEM_SOCKET);
  return { endpoint: { kind: 'unix', path: socket }, openName, display };
}
