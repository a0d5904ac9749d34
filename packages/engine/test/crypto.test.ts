import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptOutput, decryptOutputs, EncryptionCodec, encryptOutput, generateKey, InvalidKeyError, keyringFrom, open, seal } from '../src/crypto/index';

const jsonPayload = (value: unknown) => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify(value)) });
const text = (b?: Uint8Array | null) => new TextDecoder().decode(b ?? new Uint8Array());

describe('keys', () => {
  it('refuses a key that is not base64 of 32 bytes, saying how to make one', () => {
    expect(() => keyringFrom('c2hvcnQ=', undefined)).toThrow(InvalidKeyError);
    expect(() => keyringFrom('c2hvcnQ=', undefined)).toThrow(/32-byte key \(it decodes to 5 bytes\).*openssl rand -base64 32/);
    expect(() => keyringFrom(`${generateKey()}!`, undefined)).toThrow(/BATON_ENCRYPTION_KEY is not a base64/);
    expect(() => keyringFrom(undefined, undefined)).toThrow(/BATON_ENCRYPTION_KEY is not set/);
    expect(() => keyringFrom(generateKey(), `${generateKey()},nope`)).toThrow(/key 2 of BATON_ENCRYPTION_KEYS_OLD/);
  });

  it('derives a stable id per key, and the old keys decrypt', () => {
    const [a, b] = [generateKey(), generateKey()];
    const ring = keyringFrom(b, a);
    expect(ring.current.id).toBe(keyringFrom(b, undefined).current.id);
    expect(ring.ids).toEqual([keyringFrom(b, undefined).current.id, keyringFrom(a, undefined).current.id]);
  });
});

describe('AES-256-GCM', () => {
  it('round-trips, uses a fresh nonce each time and detects tampering and the wrong record', () => {
    const ring = keyringFrom(generateKey(), undefined);
    const plain = Buffer.from('the value');
    const one = seal(ring.current, plain, Buffer.from('row-1'));
    const two = seal(ring.current, plain, Buffer.from('row-1'));
    expect(one.equals(two)).toBe(false);
    expect(one.includes(plain)).toBe(false);
    expect(open(ring, ring.current.id, one, Buffer.from('row-1')).toString()).toBe('the value');
    expect(() => open(ring, ring.current.id, one, Buffer.from('row-2'))).toThrow(DecryptionError);
    one[one.length - 1] ^= 1;
    expect(() => open(ring, ring.current.id, one, Buffer.from('row-1'))).toThrow(/failed authentication/);
    expect(() => open(ring, 'k000000000000', two, Buffer.from('row-1'))).toThrow(/not configured.*BATON_ENCRYPTION_KEYS_OLD/);
  });
});

describe('EncryptionCodec', () => {
  it('encrypts whole payloads (metadata too) and decodes them back', async () => {
    const ring = keyringFrom(generateKey(), undefined);
    const codec = new EncryptionCodec(ring);
    const [encoded] = await codec.encode([jsonPayload({ password: 'hunter2' })]);
    expect(text(encoded.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(encoded.metadata!['encryption-key-id'])).toBe(ring.current.id);
    expect(Buffer.from(encoded.data!).includes('hunter2')).toBe(false);
    expect(Buffer.from(encoded.data!).includes('json/plain')).toBe(false);
    const [decoded] = await codec.decode([encoded]);
    expect(text(decoded.metadata!.encoding)).toBe('json/plain');
    expect(JSON.parse(text(decoded.data))).toEqual({ password: 'hunter2' });
  });

  it('decodes with an old key after a rotation, and passes unencrypted payloads through', async () => {
    const [oldKey, newKey] = [generateKey(), generateKey()];
    const [before] = await new EncryptionCodec(keyringFrom(oldKey, undefined)).encode([jsonPayload(1)]);
    const rotated = new EncryptionCodec(keyringFrom(newKey, oldKey));
    expect(text((await rotated.decode([before]))[0].data)).toBe('1');
    await expect(new EncryptionCodec(keyringFrom(newKey, undefined)).decode([before])).rejects.toThrow(/not configured/);
    const plain = jsonPayload('legacy');
    expect((await rotated.decode([plain]))[0]).toBe(plain);
  });
});

describe('encrypted outputs (Kestra EncryptedString)', () => {
  it('round-trips, names its key, survives a rotation and is bound to the tenant', () => {
    const oldKey = generateKey();
    const before = keyringFrom(oldKey, undefined);
    const sealed = encryptOutput(before, 'main', 'the body');
    expect(sealed.type).toBe('io.kestra.datatype:aes_encrypted');
    expect(sealed.value.startsWith(`${before.current.id}:`)).toBe(true);
    expect(sealed.value).not.toContain('the body');
    const rotated = keyringFrom(generateKey(), oldKey);
    expect(decryptOutput(rotated, 'main', sealed)).toBe('the body');
    expect(() => decryptOutput(rotated, 'other', sealed)).toThrow(DecryptionError);
  });

  it('decryptOutputs replaces each encrypted value deep in outputs and reports the plaintexts', () => {
    const keyring = keyringFrom(generateKey(), undefined);
    const outputs = { req: { code: 200, encryptedBody: encryptOutput(keyring, 't', 'secret body') }, other: { list: [encryptOutput(keyring, 't', 'x2')] } };
    const found: string[] = [];
    expect(decryptOutputs(keyring, 't', outputs, (p) => found.push(p))).toEqual({ req: { code: 200, encryptedBody: 'secret body' }, other: { list: ['x2'] } });
    expect(found).toEqual(['secret body', 'x2']);
    const plain = { a: { b: 1 } };
    expect(decryptOutputs(keyring, 't', plain, () => {})).toBe(plain);
  });
});
