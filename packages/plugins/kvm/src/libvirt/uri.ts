// Where a libvirt connection URI leads: which socket to dial and which name to open there. This is
// what libvirt's remote driver does on the client side (src/remote/remote_driver.c, doRemoteOpen):
// the transport and host are for the client; the daemon is given the URI without them.
import os from 'node:os';
import path from 'node:path';
import { PluginError } from '@baton/plugin-sdk';

export const SYSTEM_SOCKET = '/var/run/libvirt/libvirt-sock';
export const DEFAULT_TCP_PORT = 16509;

export const DEFAULT_TLS_PORT = 16514;

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tls'; host: string; port: number; noVerify: boolean }
  /**
   * ssh to the host, then the daemon's socket over the channel: `virt-ssh-helper <openName>` (libvirt's
   * own helper, which finds the right daemon) or, with `socket=` or `proxy=netcat`, `nc -U <socket>`.
   */
  | { kind: 'ssh'; host: string; port?: number; user?: string; socket?: string; proxy: 'auto' | 'netcat' | 'native'; noVerify: boolean; keyfile?: string };

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
 * `qemu+tcp://host[:port]/system`, `qemu+ssh://[user@]host[:port]/system[?keyfile=&no_verify=1&socket=&proxy=]`,
 * `qemu+tls://host[:port]/system[?no_verify=1]` and `test:///default` (the test driver, served by
 * the system daemon).
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

  const noVerify = params.get('no_verify') === '1';
  const { user, host, port } = splitAuthority(authority);
  if (transport === 'ssh') {
    if (!host) throw new PluginError('INVALID_PROPERTIES', `uri "${display}": qemu+ssh needs a host, e.g. qemu+ssh://root@hv1.example.com/system`, { retryable: false });
    const proxy = params.get('proxy') ?? 'auto';
    if (proxy !== 'auto' && proxy !== 'netcat' && proxy !== 'native') {
      throw new PluginError('INVALID_PROPERTIES', `uri "${display}": proxy=${proxy} is not one of auto, netcat, native`, { retryable: false });
    }
    return {
      endpoint: { kind: 'ssh', host, port, user, socket: socketParam, proxy, noVerify, keyfile: params.get('keyfile') ?? undefined },
      openName,
      display,
    };
  }
  if (transport === 'libssh' || transport === 'libssh2') {
    throw new PluginError('INVALID_PROPERTIES', `uri "${display}": write qemu+ssh:// (Baton runs the system ssh client, as libvirt's qemu+ssh does)`, { retryable: false });
  }
  if (transport === 'tls') {
    if (!host) throw new PluginError('INVALID_PROPERTIES', `uri "${display}": qemu+tls needs a host, e.g. qemu+tls://hv1.example.com/system`, { retryable: false });
    return { endpoint: { kind: 'tls', host, port: port ?? DEFAULT_TLS_PORT, noVerify }, openName, display };
  }
  if (transport === 'tcp') {
    if (!host) throw new PluginError('INVALID_PROPERTIES', `uri "${display}": qemu+tcp needs a host, e.g. qemu+tcp://hv1.example.com/system`, { retryable: false });
    return { endpoint: { kind: 'tcp', host, port: port ?? DEFAULT_TCP_PORT }, openName, display };
  }
  if (transport && transport !== 'unix') {
    throw new PluginError('INVALID_PROPERTIES', `uri "${display}": transport "${transport}" is not supported; use unix (the default), ssh, tls or tcp`, { retryable: false });
  }
  if (authority) {
    throw new PluginError('INVALID_PROPERTIES', `uri "${display}" names a host without a transport; for a remote host write qemu+tcp://${authority}${uriPath}`, {
      retryable: false,
    });
  }
  const socket = socketParam ?? (driver === 'qemu' && uriPath === '/session' ? sessionSocket() : SYSTEM_SOCKET);
  return { endpoint: { kind: 'unix', path: socket }, openName, display };
}

/** `user@host:port` (IPv6 in brackets) → its parts. */
function splitAuthority(authority: string): { user?: string; host?: string; port?: number } {
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? decodeURIComponent(authority.slice(0, at)) : undefined;
  const rest = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(rest);
  const host = m?.[1]?.replace(/^\[|\]$/g, '') || undefined;
  return { user: user || undefined, host, port: m?.[2] ? Number(m[2]) : undefined };
}
