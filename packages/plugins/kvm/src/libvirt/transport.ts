// The byte stream under a libvirt connection: a unix socket, TCP, TLS, or an ssh channel to the
// daemon's socket on another host. The protocol above (connection.ts) only writes bytes and reads
// them; each transport turns its own failures into a message that says what to do.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { PluginError } from '@baton/plugin-sdk';
import { fromSocketError } from './errors';
import type { Endpoint, ResolvedUri } from './uri';

/** Secrets and settings for remote transports (task or trigger properties, usually from secret()). */
export type RemoteCredentials = {
  /** qemu+ssh: the private key (OpenSSH or PEM text). Without it, the worker's own ssh identity. */
  sshPrivateKey?: string;
  /** qemu+ssh: known_hosts lines for the host. Without them, the worker's ~/.ssh/known_hosts. */
  knownHosts?: string;
  /** qemu+tls: the CA certificate (PEM) the daemon's certificate must chain to. */
  tlsCaCert?: string;
  /** qemu+tls: the client certificate and key (PEM) libvirtd checks against its CA. */
  tlsClientCert?: string;
  tlsClientKey?: string;
};

export interface Transport {
  write(bytes: Buffer): void;
  /** Closes it; `onClose` is called once whichever side closes. */
  destroy(): void;
}

export interface TransportHandlers {
  onData(chunk: Buffer): void;
  /** The stream is gone: `error` says why (what a person should do). */
  onClose(error: PluginError): void;
  /** Something a person must know although it works (e.g. host key checking off). */
  onWarning?(message: string): void;
}

export function openTransport(target: ResolvedUri, credentials: RemoteCredentials, timeoutMs: number, handlers: TransportHandlers): Promise<Transport> {
  const { endpoint, display } = target;
  if (endpoint.kind === 'ssh') return openSsh(endpoint, target, credentials, timeoutMs, handlers);
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    if (endpoint.kind === 'tls') {
      if (endpoint.noVerify)
        handlers.onWarning?.(
          `${display}: no_verify=1, the daemon's TLS certificate is NOT verified; anyone between the worker and ${endpoint.host} can read and change the traffic`,
        );
      socket = tls.connect({
        host: endpoint.host,
        port: endpoint.port,
        servername: net.isIP(endpoint.host) ? undefined : endpoint.host,
        ca: credentials.tlsCaCert,
        cert: credentials.tlsClientCert,
        key: credentials.tlsClientKey,
        rejectUnauthorized: !endpoint.noVerify,
        // libvirt checks the host name in the certificate (subjectAltName or CN) as node does.
      });
    } else socket = endpoint.kind === 'unix' ? net.createConnection({ path: endpoint.path }) : net.createConnection({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PluginError('UPSTREAM_UNAVAILABLE', `libvirtd did not accept a connection for ${display} within ${timeoutMs / 1000} s`, { retryable: true }));
    }, timeoutMs);
    socket.once(endpoint.kind === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      let closed = false;
      const close = (error: PluginError) => {
        if (closed) return;
        closed = true;
        handlers.onClose(error);
      };
      // Over TLS libvirtd first sends one byte, 1, once it has checked the client's certificate
      // (libvirt's virNetTLSSession check); it closes instead when it refuses it.
      let confirmed = endpoint.kind !== 'tls';
      const refused = () =>
        new PluginError(
          'AUTHENTICATION',
          `libvirtd at ${endpoint.kind === 'tls' ? `${endpoint.host}:${endpoint.port}` : display} refused the TLS client for ${display}. It wants a client certificate signed by its CA: set tlsClientCert and tlsClientKey (and check tls_allowed_dn_list in its libvirtd.conf)`,
          { retryable: false },
        );
      socket.on('error', (error) => close(confirmed ? fromSocketError(error, endpoint, display) : refused()));
      socket.on('close', () => close(confirmed ? new PluginError('UPSTREAM_UNAVAILABLE', `libvirtd closed the connection for ${display}`, { retryable: true }) : refused()));
      socket.on('data', (chunk: Buffer) => {
        if (!confirmed) {
          if (chunk[0] !== 1) return close(refused());
          confirmed = true;
          chunk = chunk.subarray(1);
          if (!chunk.length) return;
        }
        handlers.onData(chunk);
      });
      resolve({ write: (bytes) => socket.write(bytes), destroy: () => socket.destroy() });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(endpoint.kind === 'tls' ? fromTlsError(error, endpoint, display) : fromSocketError(error, endpoint, display));
    });
  });
}

function fromTlsError(error: NodeJS.ErrnoException, endpoint: Extract<Endpoint, { kind: 'tls' }>, display: string): PluginError {
  const code = error.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) {
    return new PluginError(
      'AUTHENTICATION',
      `the TLS certificate of ${endpoint.host}:${endpoint.port} for ${display} is not trusted (${code}: ${error.message}). Give the CA that signed libvirtd's servercert.pem as tlsCaCert, and connect with the host name the certificate names`,
      { retryable: false, cause: error },
    );
  }
  if (/alert|handshake|certificate/i.test(error.message)) {
    return new PluginError(
      'AUTHENTICATION',
      `libvirtd at ${endpoint.host}:${endpoint.port} refused the TLS handshake for ${display} (${error.message}). It wants a client certificate signed by its CA: set tlsClientCert and tlsClientKey (and check tls_allowed_dn_list in libvirtd.conf)`,
      { retryable: false, cause: error },
    );
  }
  return fromSocketError(error, { kind: 'tcp', host: endpoint.host, port: endpoint.port }, display);
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** What runs on the remote host: libvirt's own choice (virt-ssh-helper, else nc on the socket). */
export function remoteCommand(endpoint: Extract<Endpoint, { kind: 'ssh' }>, openName: string): string {
  const socket = endpoint.socket ?? (openName.endsWith('/session') ? '$XDG_RUNTIME_DIR/libvirt/libvirt-sock' : '/var/run/libvirt/libvirt-sock');
  const nc = `nc -U ${endpoint.socket ? shellQuote(socket) : socket}`;
  if (endpoint.proxy === 'netcat' || endpoint.socket) return nc;
  const helper = `virt-ssh-helper ${shellQuote(openName)}`;
  if (endpoint.proxy === 'native') return helper;
  return `sh -c ${shellQuote(`if command -v virt-ssh-helper >/dev/null 2>&1; then exec ${helper}; else exec ${nc}; fi`)}`;
}

async function openSsh(
  endpoint: Extract<Endpoint, { kind: 'ssh' }>,
  { display, openName }: ResolvedUri,
  credentials: RemoteCredentials,
  timeoutMs: number,
  handlers: TransportHandlers,
): Promise<Transport> {
  // The key and known_hosts go to files only the worker's user can read, removed when the channel closes.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-ssh-'));
  fs.chmodSync(dir, 0o700);
  const args = ['-T', '-e', 'none', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`, '-o', 'ServerAliveInterval=15'];
  if (credentials.sshPrivateKey) {
    const key = path.join(dir, 'id');
    fs.writeFileSync(key, credentials.sshPrivateKey.endsWith('\n') ? credentials.sshPrivateKey : `${credentials.sshPrivateKey}\n`, { mode: 0o600 });
    args.push('-i', key, '-o', 'IdentitiesOnly=yes');
  } else if (endpoint.keyfile) args.push('-i', endpoint.keyfile, '-o', 'IdentitiesOnly=yes');
  if (endpoint.noVerify) {
    handlers.onWarning?.(
      `${display}: no_verify=1, the host key of ${endpoint.host} is NOT checked; anyone who can intercept the connection can impersonate the hypervisor. Give knownHosts instead`,
    );
    args.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null');
  } else {
    args.push('-o', 'StrictHostKeyChecking=yes');
    if (credentials.knownHosts) {
      const file = path.join(dir, 'known_hosts');
      fs.writeFileSync(file, credentials.knownHosts.endsWith('\n') ? credentials.knownHosts : `${credentials.knownHosts}\n`, { mode: 0o600 });
      args.push('-o', `UserKnownHostsFile=${file}`, '-o', 'GlobalKnownHostsFile=/dev/null');
    }
  }
  if (endpoint.port) args.push('-p', String(endpoint.port));
  if (endpoint.user) args.push('-l', endpoint.user);
  args.push('--', endpoint.host, remoteCommand(endpoint, openName));
  const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let closed = false;
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout.on('data', (chunk: Buffer) => handlers.onData(chunk));
  child.stdin.on('error', () => undefined); // the close below says why
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      closed = true;
      reject(
        error.code === 'ENOENT'
          ? new PluginError('UPSTREAM_UNAVAILABLE', `qemu+ssh needs the ssh client on the worker (Debian: apt-get install openssh-client)`, { retryable: false, cause: error })
          : new PluginError('UPSTREAM_UNAVAILABLE', `could not run ssh for ${display}: ${error.message}`, { retryable: false, cause: error }),
      );
    });
    child.once('spawn', () => {
      resolve({
        write: (bytes) => {
          if (!closed) child.stdin.write(bytes);
        },
        destroy: () => {
          if (!closed) child.kill('SIGTERM');
        },
      });
    });
    child.once('close', (code, signal) => {
      cleanup();
      if (closed) return;
      closed = true;
      handlers.onClose(fromSshFailure(stderr, code, signal, endpoint, display));
    });
  });
}

/** ssh's own words (its stderr) → what happened and what to do. */
export function fromSshFailure(stderr: string, code: number | null, signal: NodeJS.Signals | null, endpoint: Extract<Endpoint, { kind: 'ssh' }>, display: string): PluginError {
  const where = `${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.host}${endpoint.port ? `:${endpoint.port}` : ''}`;
  const said = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Warning: Permanently added/.test(l) && !/^@+$/.test(l))
    .slice(-3)
    .join(' | ');
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|No (?:ED25519|RSA|ECDSA)? ?host key is known|host key for .* has changed/i.test(stderr)) {
    return new PluginError(
      'AUTHENTICATION',
      `the ssh host key of ${where} is not the one expected for ${display} (${said}). If the host was reinstalled, put its current key in knownHosts (ssh-keyscan -p PORT HOST, checked out of band); otherwise someone may be intercepting the connection`,
      { retryable: false },
    );
  }
  if (/Permission denied|Too many authentication failures|no mutual signature/i.test(stderr)) {
    return new PluginError(
      'AUTHENTICATION',
      `ssh to ${where} refused the key for ${display} (${said}). Put the public half of sshPrivateKey in ~${endpoint.user ?? ''}/.ssh/authorized_keys on the host, or check the user in the URI`,
      { retryable: false },
    );
  }
  if (/Connection refused|No route to host|Network is unreachable|Connection timed out|Could not resolve hostname|Name or service not known|timed out/i.test(stderr)) {
    return new PluginError(
      'UPSTREAM_UNAVAILABLE',
      `ssh could not reach ${where} for ${display} (${said}). Check the host name and port, that sshd runs there and that the worker's network may reach it`,
      { retryable: true },
    );
  }
  if (/virt-ssh-helper: command not found|nc: command not found|not found/i.test(stderr) && code === 127) {
    return new PluginError(
      'UPSTREAM_UNAVAILABLE',
      `ssh reached ${where} but neither virt-ssh-helper nor nc is there for ${display} (${said}). Install libvirt-clients (virt-ssh-helper) or netcat-openbsd on the host`,
      { retryable: false },
    );
  }
  if (/Failed to connect socket|No such file or directory|Connection refused/i.test(stderr) || /libvirt/i.test(stderr)) {
    return new PluginError(
      'UPSTREAM_UNAVAILABLE',
      `ssh reached ${where}, but libvirtd is not reachable there for ${display} (${said}). Start libvirtd on the host, and check the ssh user may use its socket (root or the libvirt group)`,
      { retryable: true },
    );
  }
  return new PluginError('UPSTREAM_UNAVAILABLE', `the ssh channel to ${where} for ${display} ended (${signal ? `signal ${signal}` : `exit ${code}`}${said ? `: ${said}` : ''})`, {
    retryable: true,
  });
}
