import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS module: its namespace is reached through the default export under ESM.
import proto from '@temporalio/proto';
import { open, seal } from './aes-gcm';
import type { Keyring } from './keyring';

const ProtoPayload = proto.temporal.api.common.v1.Payload;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * Encrypts every payload Temporal stores (workflow and activity arguments and results, signals,
 * queries, failures' details, memos) with AES-256-GCM: the whole Payload protobuf, metadata
 * included, becomes the data of a new payload whose metadata says only `binary/encrypted` and the
 * key id. Codecs run outside the workflow sandbox, in the client and the worker alike, so inputs
 * and outputs are readable by Baton and opaque in Temporal's history and UI.
 *
 * Decoding accepts any key of the keyring (rotation) and passes payloads that are not encrypted
 * through unchanged (histories written before the codec existed still replay).
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keyring.current;
    return payloads.map((payload) => ({
      metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(key.id) },
      data: seal(key, ProtoPayload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const id = payload.metadata?.[KEY_ID_METADATA];
      if (!id) throw new Error(`an encrypted payload has no ${KEY_ID_METADATA} metadata`);
      const plain = open(this.keyring, text.decode(id), payload.data ?? new Uint8Array());
      return ProtoPayload.decode(plain) as Payload;
    });
  }
}
