// One SSH connection (ssh2, pure JavaScript: its optional native crypto is not built, see the root
// package.json's allowScripts) with the host key verified and every failure turned into an error
// that says what to do: auth refused, host key mismatch, connection refused, DNS, timeouts.
import { PluginError } from '@baton/plugin-sdk';
import { Client, type ConnectConfig } from 'ssh2';
import { hasTrustedKeys, pinnedKeyTypes, verifyHostKey, type HostKeyVerdict, type TrustedKeys } from './host-keys';

export interface ConnectOptions {
  host: string;
  port: number;
  username: string;
  auth: { method: 'PASSWORD'; password: string } | { method: 'PUBLIC_KEY'; privateKey: string; passphrase?: string };
  /** undefined: verify against `trusted`; false: accept any key (strictHostKeyChecking "no"). */
  verify: boolean;
  trusted: TrustedKeys;
  enableSshRsa1: boolean;
  connectTimeoutMs: number;
  signal: AbortSignal;
}

/** What ssh2 calls the signature algorithms of each key type. */
const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};

function hostKeyError(verdict: Extract<HostKeyVerdict, { ok: false }>, host: string, port: number): PluginError {
  const { seen } = verdict;
  const pin = `pin it with hostKey: "${seen.fingerprint}" (or the whole key, "${seen.line}") after checking it on the server with: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`;
  if (verdict.reason === 'revoked')
    return new PluginError('PERMISSION_DENIED', `the host key of ${host}:${port} (${seen.type} ${seen.fingerprint}) is marked @revoked in knownHosts: refused`);
  if (verdict.reason === 'unknown') {
    return new PluginError(
      'INVALID_PROPERTIES',
      `host key of ${host}:${port} not verified: no hostKey and no knownHosts line for this host (the server presented ${seen.type} ${seen.fingerprint}); ${pin}. ` +
        'strictHostKeyChecking: "no" skips the check but lets anyone on the path impersonate the server',
    );
  }
  return new PluginError(
    'PERMISSION_DENIED',
    `HOST KEY MISMATCH for ${host}:${port}: the server presented ${seen.type} ${seen.fingerprint}, which is not the pinned key. ` +
      `Either the server was reinstalled or its keys rotated, or someone is intercepting the connection. Check on the server, then ${pin}`,
  );
}

function networkError(error: NodeJS.ErrnoException & { level?: string }, options: ConnectOptions): PluginError {
  const where = `${options.host}:${options.port}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return new PluginError('UPSTREAM_UNAVAILABLE', `connection refused by ${where}: no SSH server listens there; check the host and port, that sshd runs, and the firewall`, {
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PluginError(
        error.code === 'EAI_AGAIN' ? 'UPSTREAM_UNAVAILABLE' : 'NOT_FOUND',
        `host name ${options.host} could not be resolved (DNS ${error.code}): check its spelling, the worker's DNS, or give the IP address`,
        { cause: error, retryable: error.code === 'EAI_AGAIN' },
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new PluginError('UPSTREAM_UNAVAILABLE', `${where} is unreachable from the worker (${error.code}): check routing and firewalls`, { cause: error });
    case 'ETIMEDOUT':
      return new PluginError('TIMEOUT', `connecting to ${where} timed out: check that the host is up and that the port is not filtered`, { cause: error });
    case 'ECONNRESET':
      return new PluginError(
        'UPSTREAM_UNAVAILABLE',
        `${where} closed the connection during the SSH handshake (ECONNRESET): the server may refuse the worker's address (MaxStartups, tcp wrappers, fail2ban)`,
        { cause: error },
      );
  }
  if (error.level === 'client-authentication') {
    const how = options.auth.method === 'PASSWORD' ? 'password' : 'private key';
    return new PluginError(
      'AUTHENTICATION',
      `${where} refused the login of ${options.username} by ${how}: check the user name, and that ${options.auth.method === 'PASSWORD' ? 'the password is right and the server allows PasswordAuthentication' : "the key's public half is in that user's ~/.ssh/authorized_keys"}`,
      { cause: error },
    );
  }
  if (/Timed out while waiting for handshake/i.test(error.message)) {
    return new PluginError('TIMEOUT', `${where} did not complete the SSH handshake within ${options.connectTimeoutMs / 1000} s (connectTimeout): is it an SSH server?`, {
      cause: error,
    });
  }
  if (/no matching|handshake failed/i.test(error.message)) {
    return new PluginError(
      'REMOTE_ERROR',
      `SSH handshake with ${where} failed: ${error.message}. An old server may need enableSshRsa1: true; a pinned hostKey of a type the server does not offer cannot match`,
      { cause: error },
    );
  }
  return new PluginError('REMOTE_ERROR', `SSH connection to ${where} failed: ${error.message}`, { cause: error });
}

/** Connects and authenticates; the caller ends the client. */
export async function connect(options: ConnectOptions): Promise<Client> {
  if (options.signal.aborted) throw new PluginError('CANCELLED', 'killed before connecting');
  const client = new Client();
  let refused: Extract<HostKeyVerdict, { ok: false }> | undefined;
  const pinnedTypes = options.verify && hasTrustedKeys(options.trusted) ? pinnedKeyTypes(options.host, options.port, options.trusted) : [];
  const preferred = pinnedTypes.flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? []);
  const algorithms: ConnectConfig['algorithms'] = {};
  if (preferred.length || options.enableSshRsa1) {
    algorithms.serverHostKey = { prepend: preferred, append: options.enableSshRsa1 ? ['ssh-rsa'] : [], remove: [] } as never;
  }
  const config: ConnectConfig = {
    host: options.host,
    port: options.port,
    username: options.username,
    readyTimeout: options.connectTimeoutMs,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    tryKeyboard: false,
    algorithms,
    hostVerifier: (key: Buffer) => {
      if (!options.verify) return true;
      const verdict = verifyHostKey(key, options.host, options.port, options.trusted);
      if (!verdict.ok) refused = verdict;
      return verdict.ok;
    },
    ...(options.auth.method === 'PASSWORD' ? { password: options.auth.password } : { privateKey: options.auth.privateKey, passphrase: options.auth.passphrase }),
  };
  return new Promise<Client>((resolve, reject) => {
    const onAbort = () => {
      client.end();
      reject(new PluginError('CANCELLED', `killed while connecting to ${options.host}:${options.port}`));
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal.removeEventListener('abort', onAbort);
    client.once('ready', () => {
      done();
      resolve(client);
    });
    client.once('error', (error: NodeJS.ErrnoException & { level?: string }) => {
      done();
      client.end();
      reject(refused ? hostKeyError(refused, options.host, options.port) : networkError(error, options));
    });
    try {
      client.connect(config);
    } catch (error) {
      done();
      // ssh2 parses the key before connecting: a wrong passphrase or a key that is not one.
      const message = (error as Error).message;
      reject(
        new PluginError(
          'INVALID_PROPERTIES',
          /passphrase|encrypted/i.test(message)
            ? `the private key is encrypted and the passphrase is missing or wrong (${message}): set privateKeyPassphrase from a secret`
            : `the private key could not be read (${message}): give an OpenSSH or PEM private key, whole, from a secret`,
        ),
      );
    }
  });
}
