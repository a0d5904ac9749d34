/** IPv4 helpers for prefixes and available-ips (the simulator models IPv4 only). */
export interface Cidr {
  network: number;
  length: number;
}

export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** `10.0.0.5/24` → host 10.0.0.5 and length 24; undefined when malformed. */
export function parseInterfaceAddress(text: string): { ip: number; length: number } | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  const length = Number(m[2]);
  if (ip === undefined || length > 32) return undefined;
  return { ip, length };
}

export function networkOf(ip: number, length: number): number {
  const size = 2 ** (32 - length);
  return Math.floor(ip / size) * size;
}

export function parsePrefix(text: string): Cidr | undefined {
  const a = parseInterfaceAddress(text);
  if (!a) return undefined;
  return { network: networkOf(a.ip, a.length), length: a.length };
}

/** Host addresses of a prefix, as NetBox lists them (network and broadcast left out for IPv4 below /31). */
export function* hosts(cidr: Cidr): Generator<number> {
  const size = 2 ** (32 - cidr.length);
  const first = cidr.length >= 31 ? cidr.network : cidr.network + 1;
  const last = cidr.length >= 31 ? cidr.network + size - 1 : cidr.network + size - 2;
  for (let ip = first; ip <= last; ip++) yield ip;
}
