// The `Allowed IP addresses` box, checked as the admin types. The connector checks again (with
// Node's parser) and its answer wins; this only catches typos before Save.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The entries of the box: one per line or separated by commas or spaces. */
export function splitIpList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A plain IPv4/IPv6 address or a CIDR range. */
export function isIpOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const max = IPV4.test(address) ? 32 : isIpv6(address) ? 128 : 0;
  if (max === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max;
}

/** The first entry that is not an address or range, for the message under the box; null when all are. */
export function firstBadIp(text: string): string | null {
  return splitIpList(text).find((entry) => !isIpOrRange(entry)) ?? null;
}

function isIpv6(address: string): boolean {
  if (!address.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(address)) return false;
  // The URL parser is a complete IPv6 parser that every browser (and Node) already ships.
  try {
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}
