// A small XDR (RFC 4506) writer and reader: the encoding of libvirt's remote protocol. Only the
// types remote_protocol.x uses for the calls Baton makes: int, unsigned int, hyper, unsigned hyper,
// bool, fixed and variable opaque, strings, optional data (a bool then the value) and arrays (a
// count then the items). Everything is big-endian and padded to a multiple of four bytes.

/** libvirt's REMOTE_STRING_MAX: a decoder refuses longer strings instead of allocating them. */
export const XDR_STRING_MAX = 4 * 1024 * 1024;

const pad = (n: number) => (4 - (n % 4)) % 4;

export class XdrWriter {
  private chunks: Buffer[] = [];

  int(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.chunks.push(b);
    return this;
  }

  uint(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.chunks.push(b);
    return this;
  }

  hyper(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(value);
    this.chunks.push(b);
    return this;
  }

  uhyper(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(value);
    this.chunks.push(b);
    return this;
  }

  bool(value: boolean): this {
    return this.int(value ? 1 : 0);
  }

  /** Fixed-length opaque (a UUID is opaque[16]). */
  fixedOpaque(bytes: Buffer): this {
    this.chunks.push(bytes, Buffer.alloc(pad(bytes.length)));
    return this;
  }

  /** Variable-length opaque: the length, the bytes, the padding. */
  opaque(bytes: Buffer): this {
    this.uint(bytes.length);
    return this.fixedOpaque(bytes);
  }

  string(value: string): this {
    return this.opaque(Buffer.from(value, 'utf8'));
  }

  /** `remote_string` (a pointer to a string): absent is encoded as false. */
  optionalString(value: string | undefined | null): this {
    this.bool(value !== undefined && value !== null);
    if (value !== undefined && value !== null) this.string(value);
    return this;
  }

  raw(bytes: Buffer): this {
    this.chunks.push(bytes);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export class XdrError extends Error {}

export class XdrReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  private need(n: number): void {
    if (this.offset + n > this.buffer.length) {
      throw new XdrError(`XDR: truncated message (needed ${n} bytes at offset ${this.offset}, have ${this.buffer.length - this.offset})`);
    }
  }

  int(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint(): number {
    this.need(4);
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  hyper(): bigint {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  uhyper(): bigint {
    this.need(8);
    const v = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`XDR: bool must be 0 or 1, got ${v}`);
    return v === 1;
  }

  fixedOpaque(length: number): Buffer {
    this.need(length + pad(length));
    const bytes = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length + pad(length);
    return Buffer.from(bytes);
  }

  opaque(max = XDR_STRING_MAX): Buffer {
    const length = this.uint();
    if (length > max) throw new XdrError(`XDR: opaque of ${length} bytes exceeds the limit of ${max}`);
    return this.fixedOpaque(length);
  }

  string(max = XDR_STRING_MAX): string {
    return this.opaque(max).toString('utf8');
  }

  optional<T>(read: (r: XdrReader) => T): T | undefined {
    return this.bool() ? read(this) : undefined;
  }

  optionalString(): string | undefined {
    return this.optional((r) => r.string());
  }

  array<T>(read: (r: XdrReader) => T, max = 65_536): T[] {
    const count = this.uint();
    if (count > max) throw new XdrError(`XDR: array of ${count} items exceeds the limit of ${max}`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read(this));
    return items;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }
}
