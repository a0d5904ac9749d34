// encrypt() / decrypt(), ported from Kestra's EncryptDecryptFunctionTest (core/src/test/java/io/
// kestra/core/runners/pebble/functions/EncryptDecryptFunctionTest.java) and checked against the
// layout of EncryptionService.java: base64(12-byte IV + AES-GCM ciphertext + 128-bit tag).
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { render } from '@baton/flow/expressions';
import { kestraCryptoFunctions, kestraDecrypt, kestraEncrypt } from '../src/crypto/kestra-aes';

// Kestra's test key (kestra.encryption.secret-key in its application-test.yml is 32 base64 bytes).
const secretKey = crypto.randomBytes(32).toString('base64');
const functions = kestraCryptoFunctions();

describe('encrypt() and decrypt() (Kestra)', () => {
  it('missingParameter: one argument is an error', () => {
    expect(() => render("{{ encrypt('toto') }}", {}, { functions })).toThrow("The 'encrypt' function expects two arguments 'key' and 'plaintext'.");
    expect(() => render("{{ decrypt('toto') }}", {}, { functions })).toThrow("The 'decrypt' function expects two arguments 'key' and 'encrypted'.");
  });

  it('encryptDecrypt: what encrypt() gives, decrypt() turns back', () => {
    const encrypted = render("{{ encrypt(secretKey, 'toto') }}", { secretKey }, { functions });
    expect(typeof encrypted).toBe('string');
    expect(encrypted).not.toContain('toto');
    expect(render(`{{ decrypt(secretKey, '${String(encrypted)}') }}`, { secretKey }, { functions })).toBe('toto');
    // Named arguments too.
    expect(render('{{ decrypt(key=secretKey, encrypted=e) }}', { secretKey, e: encrypted }, { functions })).toBe('toto');
  });

  it("uses Kestra's layout, so values encrypted by Kestra decrypt here (and back)", () => {
    const key = Buffer.from(secretKey, 'base64');
    // What Java's Cipher.doFinal gives for AES/GCM/NoPadding: ciphertext then tag; Kestra prefixes the IV.
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const javaStyle = Buffer.concat([iv, cipher.update('héllo wörld', 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
    expect(kestraDecrypt(secretKey, javaStyle)).toBe('héllo wörld');
    const ours = Buffer.from(kestraEncrypt(secretKey, 'abc'), 'base64');
    expect(ours.length).toBe(12 + 3 + 16);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, ours.subarray(0, 12));
    decipher.setAuthTag(ours.subarray(ours.length - 16));
    expect(Buffer.concat([decipher.update(ours.subarray(12, ours.length - 16)), decipher.final()]).toString()).toBe('abc');
  });

  it('takes AES-128, -192 and -256 keys; refuses other lengths, a wrong key and an altered value', () => {
    for (const n of [16, 24, 32]) {
      const key = crypto.randomBytes(n).toString('base64');
      expect(kestraDecrypt(key, kestraEncrypt(key, 'x'))).toBe('x');
    }
    expect(() => kestraEncrypt(crypto.randomBytes(10).toString('base64'), 'x')).toThrow('Invalid AES key length: 10 bytes');
    expect(() => kestraEncrypt('not base64 at all!', 'x')).toThrow('is not base64');
    const encrypted = kestraEncrypt(secretKey, 'x');
    expect(() => kestraDecrypt(crypto.randomBytes(32).toString('base64'), encrypted)).toThrow('not encrypted with this key');
    const altered = Buffer.from(encrypted, 'base64');
    altered[13] ^= 1;
    expect(() => kestraDecrypt(secretKey, altered.toString('base64'))).toThrow('not encrypted with this key');
  });

  it('a ciphertext made with a secret key is not a secret; a decrypted value is', () => {
    const reported: string[] = [];
    const options = { functions, secretValues: [secretKey], onSecretValue: (v: string) => reported.push(v) };
    const encrypted = String(render("{{ encrypt(k, 'the plaintext') }}", { k: secretKey }, options));
    expect(reported).not.toContain(encrypted);
    const plain = render('{{ decrypt(k, e) }}', { k: secretKey, e: encrypted }, options);
    expect(plain).toBe('the plaintext');
    expect(reported).toContain('the plaintext');
  });
});
