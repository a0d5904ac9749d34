// Host key verification (pure): pins, fingerprints, known_hosts with plain, bracketed, wildcard and
// hashed names, @revoked; and the definition's validation of Kestra's properties.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeKey, fingerprint, knownHostsName, pinnedKeyTypes, verifyHostKey } from '../src/host-keys';
import { commandProps, sshCommand } from '../src/definitions';

/** An ed25519 public key blob: string "ssh-ed25519", string 32 bytes. */
function blob(seed = randomBytes(32)): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(type.length);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(seed.length);
  return Buffer.concat([head, type, len, seed]);
}

describe('host keys', () => {
  const key = blob();
  const other = blob();
  const line = `ssh-ed25519 ${key.toString('base64')}`;

  it('describes a key as ssh-keygen does (type, SHA256 fingerprint without padding)', () => {
    const seen = describeKey(key);
    expect(seen.type).toBe('ssh-ed25519');
    expect(seen.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(seen.line).toBe(line);
  });

  it('accepts a pinned key line or fingerprint, refuses another key as a mismatch', () => {
    expect(verifyHostKey(key, 'h', 22, { hostKey: line }).ok).toBe(true);
    expect(verifyHostKey(key, 'h', 22, { hostKey: `${line} comment` }).ok).toBe(true);
    expect(verifyHostKey(key, 'h', 22, { hostKey: fingerprint(key) }).ok).toBe(true);
    expect(verifyHostKey(key, 'h', 22, { hostKey: [`ssh-ed25519 ${other.toString('base64')}`, fingerprint(key)] }).ok).toBe(true);
    expect(verifyHostKey(other, 'h', 22, { hostKey: line })).toMatchObject({ ok: false, reason: 'mismatch', seen: { fingerprint: fingerprint(other) } });
    expect(verifyHostKey(key, 'h', 22, {})).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('reads known_hosts: the line for this host and port only, [host]:port, wildcards, negation, hashed names, @revoked', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    const kh = `# comment\nweb-1,10.0.0.1 ${line}\n[db.example.com]:2222 ${line}\n`;
    expect(verifyHostKey(key, '10.0.0.1', 22, { knownHosts: kh }).ok).toBe(true);
    expect(verifyHostKey(key, 'db.example.com', 2222, { knownHosts: kh }).ok).toBe(true);
    // The same key listed for another host does not vouch for this one.
    expect(verifyHostKey(key, 'db.example.com', 22, { knownHosts: kh })).toMatchObject({ ok: false, reason: 'unknown' });
    expect(verifyHostKey(key, 'app-7.example.com', 22, { knownHosts: `*.example.com,!bad.example.com ${line}` }).ok).toBe(true);
    expect(verifyHostKey(key, 'bad.example.com', 22, { knownHosts: `*.example.com,!bad.example.com ${line}` }).ok).toBe(false);
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[127.0.0.1]:2200').digest('base64')}`;
    expect(verifyHostKey(key, '127.0.0.1', 2200, { knownHosts: `${hashed} ${line}` }).ok).toBe(true);
    expect(verifyHostKey(key, '127.0.0.1', 2201, { knownHosts: `${hashed} ${line}` }).ok).toBe(false);
    expect(verifyHostKey(key, 'web-1', 22, { knownHosts: `${kh}@revoked * ${line}\n` })).toMatchObject({ ok: false, reason: 'revoked' });
    expect(verifyHostKey(other, 'web-1', 22, { knownHosts: kh })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('asks the server for the pinned key type, any type when a fingerprint is pinned', () => {
    expect(pinnedKeyTypes('h', 22, { hostKey: line })).toEqual(['ssh-ed25519']);
    expect(pinnedKeyTypes('h', 22, { hostKey: fingerprint(key) })).toEqual([]);
  });
});

describe('io.kestra.plugin.fs.ssh.Command properties', () => {
  const base = { host: 'h', username: 'u', commands: ['ls'] };
  const issues = (props: Record<string, unknown>) => {
    const result = commandProps.safeParse(props);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it("takes Kestra's properties: port as a string, PASSWORD and PUBLIC_KEY, strictHostKeyChecking", () => {
    expect(issues({ ...base, port: '22', authMethod: 'PASSWORD', password: 'p', strictHostKeyChecking: 'no' })).toEqual([]);
    expect(issues({ ...base, port: 2222, authMethod: 'PUBLIC_KEY', privateKey: 'k', privateKeyPassphrase: 'x' })).toEqual([]);
    expect(issues({ host: 'h', credential: 'patching-key', commands: ['ls'] })).toEqual([]);
    expect(sshCommand.aliases).toContain('io.kestra.plugin.fs.ssh.Command');
  });

  it('says what is missing and how to fix it', () => {
    expect(issues({ ...base })).toEqual([expect.stringMatching(/^password: no password for authMethod PASSWORD.*secret/)]);
    expect(issues({ ...base, authMethod: 'PUBLIC_KEY' })).toEqual([expect.stringMatching(/^privateKey: no private key/)]);
    expect(issues({ host: 'h', password: 'p', commands: ['ls'] })).toEqual([expect.stringMatching(/^username: username is required/)]);
    expect(issues({ ...base, password: 'p', commands: [] })[0]).toMatch(/^commands/);
    expect(issues({ ...base, password: 'p', port: 'ssh' })[0]).toMatch(/^port/);
    expect(issues({ ...base, password: 'p', strictHostKeyChecking: 'maybe' })[0]).toMatch(/^strictHostKeyChecking/);
    expect(issues({ ...base, authMethod: 'OPEN_SSH', password: 'p' })).toEqual([expect.stringMatching(/^authMethod: authMethod OPEN_SSH .*PUBLIC_KEY/)]);
  });
});
