// Kestra's encrypt() and decrypt() expression functions (EncryptionService.java in Kestra's core):
// AES/GCM/NoPadding with a base64 key of 16, 24 or 32 bytes, a random 12-byte IV and a 128-bit tag;
// the result is base64(IV + ciphertext + tag), so values encrypted by Kestra decrypt here and back.
import crypto from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function aesKey(key: unknown, fn: string): Buffer {
  if (typeof key !== 'string') throw new Error(`The '${fn}' function expects a base64 key as its first argument`);
  const bytes = Buffer.from(key, 'base64');
  // Java's Base64 decoder refuses what is not base64; Node's skips it, so check the round trip.
  if (bytes.toString('base64').replace(/=+$/, '') !== key.trim().replace(/=+$/, '')) throw new Error(`The '${fn}' function's key is not base64`);
  if (![16, 24, 32].includes(bytes.length)) throw new Error(`Invalid AES key length: ${bytes.length} bytes (a base64 key of 16, 24 or 32 bytes is needed)`);
  return bytes;
}

export function kestraEncrypt(key: unknown, plaintext: unknown): string {
  if (key === undefined || plaintext === undefined) throw new Error("The 'encrypt' function expects two arguments 'key' and 'plaintext'.");
  const k = aesKey(key, 'encrypt');
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv(`aes-${k.length * 8}-gcm`, k, iv) as crypto.CipherGCM;
  const body = Buffer.concat([cipher.update(String(plaintext), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

export function kestraDecrypt(key: unknown, encrypted: unknown): string {
  if (key === undefined || encrypted === undefined) throw new Error("The 'decrypt' function expects two arguments 'key' and 'encrypted'.");
  const k = aesKey(key, 'decrypt');
  const data = Buffer.from(String(encrypted), 'base64');
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`decrypt: the encrypted value is too short (${data.length} bytes)`);
  const decipher = crypto.createDecipheriv(`aes-${k.length * 8}-gcm`, k, data.subarray(0, IV_BYTES)) as crypto.DecipherGCM;
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('decrypt: the value was not encrypted with this key, or it was altered (Tag mismatch)');
  }
}

/** Named arguments (encrypt(key=…, plaintext=…)) arrive as a final map; positional ones as they are. */
function argsOf(args: unknown[], names: [string, string]): [unknown, unknown] {
  const last = args[args.length - 1];
  if (args.length && typeof last === 'object' && last !== null && !Array.isArray(last)) {
    const named = last as Record<string, unknown>;
    const positional = args.slice(0, -1);
    return [positional[0] ?? named[names[0]], positional[1] ?? named[names[1]]];
  }
  return [args[0], args[1]];
}

/** The two functions as runTask hands them to the expression engine. */
export function kestraCryptoFunctions() {
  // A ciphertext reveals nothing of a secret key: not tainted by it (else it would be masked).
  const encrypt = Object.assign((...args: unknown[]) => kestraEncrypt(...argsOf(args, ['key', 'plaintext'])), { conceals: true });
  // A plaintext is treated as a secret: masked in logs and outputs.
  const decrypt = Object.assign((...args: unknown[]) => kestraDecrypt(...argsOf(args, ['key', 'encrypted'])), { taints: true });
  return { encrypt, decrypt };
}
