import { BlockList, isIP } from 'node:net';

// Allowed IP lists: plain addresses and CIDR ranges, IPv4 and IPv6, checked with Node's BlockList.

export interface ParsedRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses one entry, or returns null when it is neither an address nor a CIDR range. */
export function parseIpRange(entry: string): ParsedRange | null {
  const [address, prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined || !address) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { address, prefix, family } : null;
}

/** Strips the IPv4-mapped IPv6 form dual-stack sockets report (`::ffff:10.0.0.1`). */
export function normalizeIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

export function isLoopback(ip: string): boolean {
  const address = normalizeIp(ip);
  return address === '::1' || /^127\./.test(address);
}

/** A listen address only this machine can reach: `localhost` or a loopback IP. */
export function isLoopbackHost(host: string): boolean {
  return host.toLowerCase() === 'localhost' || (isIP(host) !== 0 && isLoopback(host));
}

const compiled = new WeakMap<readonly string[], BlockList>();

/** True when `ip` falls inside one of `ranges`; an empty list allows any address. */
export function ipInRanges(ip: string, ranges: readonly string[]): boolean {
  if (ranges.length === 0) return true;
  let list = compiled.get(ranges);
  if (!list) {
    list = new BlockList();
    for (const entry of ranges) {
      const range = parseIpRange(entry);
      if (range) list.addSubnet(range.address, range.prefix, range.family);
    }
    compiled.set(ranges, list);
  }
  const address = normalizeIp(ip);
  const version = isIP(address);
  if (version === 0) return false;
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
