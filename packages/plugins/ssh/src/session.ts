// What every SSH task does before its work: the auth material resolved (properties or an
// ssh_private_key credential) and masked, the host key policy applied, the connection opened, and a
// heartbeat kept while the work runs; the connection always ends.
import { PluginError, parseDuration, type TaskContext } from '@baton/plugin-sdk';
import type { Client } from 'ssh2';
import { connect } from './connect';
import { hasTrustedKeys, invalidPins } from './host-keys';

export interface ConnectionProps {
  host: string;
  port?: string | number;
  username?: string;
  authMethod?: 'PASSWORD' | 'PUBLIC_KEY' | 'OPEN_SSH';
  password?: string;
  privateKey?: string;
  privateKeyPassphrase?: string;
  /** Kestra's SFTP tasks' names for the key and its passphrase. */
  keyfile?: string;
  passphrase?: string;
  credential?: string;
  strictHostKeyChecking?: 'yes' | 'no' | 'ask';
  hostKey?: string | string[];
  knownHosts?: string;
  enableSshRsa1?: boolean;
  connectTimeout?: string;
}

const HEARTBEAT_MS = 5_000;

/** Masks the secrets of the connection, a private key line by line too (an error may quote one line). */
export function maskConnectionSecrets(ctx: Pick<TaskContext<unknown>, 'maskValue'>, secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (!secret) continue;
    ctx.maskValue(secret);
    ctx.maskValue(secret.trim());
    for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8 && !line.startsWith('-----')) ctx.maskValue(line.trim());
  }
}

async function resolveAuth(ctx: TaskContext<ConnectionProps>) {
  const p = ctx.props;
  let username = p.username;
  let privateKey = p.privateKey ?? p.keyfile;
  let passphrase = p.privateKeyPassphrase ?? p.passphrase;
  if (p.credential) {
    const credential = await ctx.credential(p.credential);
    if (credential.type !== 'ssh_private_key') {
      throw new PluginError(
        'INVALID_PROPERTIES',
        `credential '${p.credential}' is of type ${credential.type}; SSH tasks need an ssh_private_key credential (username, privateKey, passphrase)`,
      );
    }
    username = username ?? credential.values.username;
    privateKey = privateKey ?? credential.values.privateKey;
    passphrase = passphrase ?? credential.values.passphrase;
  }
  maskConnectionSecrets(ctx, [p.password, privateKey, passphrase]);
  if (!username) throw new PluginError('INVALID_PROPERTIES', `no username: set username, or give it in credential '${p.credential}'`);
  const method = p.authMethod ?? (privateKey !== undefined ? 'PUBLIC_KEY' : 'PASSWORD');
  if (method === 'OPEN_SSH') throw new PluginError('INVALID_PROPERTIES', 'authMethod OPEN_SSH is not available: use PUBLIC_KEY with a key from a secret, or PASSWORD');
  if (method === 'PUBLIC_KEY') {
    if (!privateKey) throw new PluginError('INVALID_PROPERTIES', 'privateKey is empty after rendering: check the secret it reads');
    return { username, auth: { method, privateKey, ...(passphrase ? { passphrase } : {}) } as const };
  }
  if (!p.password) throw new PluginError('INVALID_PROPERTIES', 'password is empty after rendering: check the secret it reads');
  return { username, auth: { method: 'PASSWORD', password: p.password } as const };
}

function parsePort(port: string | number | undefined): number {
  const n = port === undefined ? 22 : Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new PluginError('INVALID_PROPERTIES', `port ${String(port)} is not a TCP port (1-65535)`);
  return n;
}

/** Opens the connection, runs `work` with it (heartbeating), and ends it whatever happens. */
export async function withSession<P extends ConnectionProps, T>(ctx: TaskContext<P>, work: (client: Client, where: string) => Promise<T>): Promise<T> {
  const p = ctx.props;
  const port = parsePort(p.port);
  const verify = p.strictHostKeyChecking !== 'no';
  const trusted = { hostKey: p.hostKey, knownHosts: p.knownHosts };
  const badPins = invalidPins(trusted);
  if (badPins.length) {
    throw new PluginError('INVALID_PROPERTIES', `hostKey ${JSON.stringify(badPins[0])} is neither a public key line (ssh-ed25519 AAAA…) nor a SHA256:… fingerprint`);
  }
  if (!verify) {
    ctx.logger.warn(
      `HOST KEY NOT VERIFIED for ${p.host}:${port} (strictHostKeyChecking: "no"): anyone between the worker and the server can impersonate it and read what is sent${p.password ? ', the password included' : ''}. Pin the key with hostKey or knownHosts`,
    );
  } else if (!hasTrustedKeys(trusted)) {
    ctx.logger.debug('no hostKey or knownHosts: the connection will be refused with the fingerprint the server presents');
  }
  const { username, auth } = await resolveAuth(ctx as TaskContext<ConnectionProps>);
  const connectTimeoutMs = p.connectTimeout ? parseDuration(p.connectTimeout) : 30_000;
  if (connectTimeoutMs === undefined) throw new PluginError('INVALID_PROPERTIES', `connectTimeout ${p.connectTimeout} is not an ISO-8601 duration such as PT30S`);

  const client = await connect({ host: p.host, port, username, auth, verify, trusted, enableSshRsa1: p.enableSshRsa1 === true, connectTimeoutMs, signal: ctx.signal });
  const heartbeat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
  try {
    ctx.logger.debug(`connected to ${username}@${p.host}:${port}`);
    return await work(client, `${p.host}:${port}`);
  } finally {
    clearInterval(heartbeat);
    client.end();
  }
}
