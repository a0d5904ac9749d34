// Host key verification, pure: the key the server presented (its wire blob) checked against the
// keys a flow pins (`hostKey`: key lines or SHA256 fingerprints) and known_hosts lines (plain or
// hashed host names, [host]:port, wildcards, @revoked). The caller turns a refusal into an error
// that shows the fingerprint seen and the line to pin.
import { createHash, createHmac } from 'node:crypto';

export interface SeenKey {
  type: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** `type base64`: the line to pin as `hostKey`. */
  line: string;
}

export type HostKeyVerdict = { ok: true; seen: SeenKey } | { ok: false; reason: 'mismatch' | 'revoked' | 'unknown'; seen: SeenKey };

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of a public key blob (an SSH string). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return length > 0 && length < 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

export function describeKey(blob: Buffer): SeenKey {
  const type = keyType(blob);
  return { type, fingerprint: fingerprint(blob), line: `${type} ${blob.toString('base64')}` };
}

const KEY_TYPE = /^(ssh-(ed25519|rsa|dss|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** A pinned key: a fingerprint, or the blob of `type base64` found anywhere in the text. */
type Pin = { fingerprint: string } | { type: string; blob: Buffer };

export function parsePin(text: string): Pin | undefined {
  const trimmed = text.trim();
  if (/^SHA256:[A-Za-z0-9+/]+=*$/.test(trimmed)) return { fingerprint: trimmed.replace(/=+$/, '') };
  const words = trimmed.split(/\s+/);
  const at = words.findIndex((w) => KEY_TYPE.test(w));
  if (at < 0 || !words[at + 1]) return undefined;
  return { type: words[at], blob: Buffer.from(words[at + 1], 'base64') };
}

function pinMatches(pin: Pin, blob: Buffer): boolean {
  return 'fingerprint' in pin ? pin.fingerprint === fingerprint(blob) : pin.blob.equals(blob);
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(name);
}

function hostPatternMatches(field: string, name: string): boolean {
  // Hashed: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
  const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(field);
  if (hashed) return createHmac('sha1', Buffer.from(hashed[1], 'base64')).update(name).digest('base64') === hashed[2];
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), name)) return false;
    } else if (globMatches(pattern, name)) matched = true;
  }
  return matched;
}

interface KnownHostsEntry {
  marker?: string;
  hosts: string;
  pin: Pin;
}

export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const marker = words[0].startsWith('@') ? words.shift() : undefined;
    if (words.length < 3 || marker === '@cert-authority') continue;
    const pin = parsePin(words.slice(1).join(' '));
    if (pin) entries.push({ marker, hosts: words[0], pin });
  }
  return entries;
}

export interface TrustedKeys {
  hostKey?: string | string[];
  knownHosts?: string;
}

/** True when the flow gave something to verify against. */
export function hasTrustedKeys(trusted: TrustedKeys): boolean {
  return trusted.hostKey !== undefined || (trusted.knownHosts ?? '').trim() !== '';
}

/** Unusable `hostKey` entries, for a clear error before connecting. */
export function invalidPins(trusted: TrustedKeys): string[] {
  const pins = trusted.hostKey === undefined ? [] : Array.isArray(trusted.hostKey) ? trusted.hostKey : [trusted.hostKey];
  return pins.filter((p) => !parsePin(p));
}

export function verifyHostKey(blob: Buffer, host: string, port: number, trusted: TrustedKeys): HostKeyVerdict {
  const seen = describeKey(blob);
  const name = knownHostsName(host, port);
  const entries = parseKnownHosts(trusted.knownHosts ?? '').filter((e) => hostPatternMatches(e.hosts, name));
  if (entries.some((e) => e.marker === '@revoked' && pinMatches(e.pin, blob))) return { ok: false, reason: 'revoked', seen };
  const pins = [
    ...(trusted.hostKey === undefined ? [] : Array.isArray(trusted.hostKey) ? trusted.hostKey : [trusted.hostKey]).map(parsePin).filter((p): p is Pin => !!p),
    ...entries.filter((e) => e.marker === undefined).map((e) => e.pin),
  ];
  if (pins.some((p) => pinMatches(p, blob))) return { ok: true, seen };
  return { ok: false, reason: pins.length ? 'mismatch' : 'unknown', seen };
}

/** The key types pinned for this host, so the server is asked for the key it is pinned by. */
export function pinnedKeyTypes(host: string, port: number, trusted: TrustedKeys): string[] {
  const name = knownHostsName(host, port);
  const pins = [
    ...(trusted.hostKey === undefined ? [] : Array.isArray(trusted.hostKey) ? trusted.hostKey : [trusted.hostKey]).map(parsePin),
    ...parseKnownHosts(trusted.knownHosts ?? '')
      .filter((e) => e.marker === undefined && hostPatternMatches(e.hosts, name))
      .map((e) => e.pin),
  ];
  // A fingerprint does not say its type: then any type may be asked for.
  if (pins.some((p) => !p || 'fingerprint' in p)) return [];
  return [...new Set(pins.map((p) => (p as { type: string }).type))];
}
