/**
 * Replaces every known secret value in text and in nested data with a mask.
 * Values shorter than 4 characters are not masked: masking "a" or "1" would destroy logs
 * and protect nothing.
 */
export const MASK = '******';

export class SecretMasker {
  private readonly values = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length < 4) return;
    this.values.add(value);
    // Common encodings a task might print: base64 and URL-encoding of the same value.
    this.values.add(Buffer.from(value, 'utf8').toString('base64'));
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.values.add(encoded);
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) this.values.add(json);
  }

  get size(): number {
    return this.values.size;
  }

  maskText(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    // Longest first, so a value that contains another is masked whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(value)) out = out.split(value).join(MASK);
    }
    return out;
  }

  mask<T>(data: T): T {
    if (this.values.size === 0) return data;
    return this.maskDeep(data, 0) as T;
  }

  private maskDeep(data: unknown, depth: number): unknown {
    if (depth > 64) return data;
    if (typeof data === 'string') return this.maskText(data);
    if (Array.isArray(data)) return data.map((v) => this.maskDeep(v, depth + 1));
    if (data && typeof data === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(data)) out[k] = this.maskDeep(v, depth + 1);
      return out;
    }
    return data;
  }
}
