import { BlockList, isIP } from 'node:net';

/** Named groups of proxy addresses for TRUST_PROXY. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** How IPv6 clients are grouped by default: one /64 is one subscriber's network (RFC 6177), which it can rotate through at will. */
export const DEFAULT_IPV6_PREFIX = 64;

/**
 * One spelling per address: `::ffff:10.0.0.1` (an IPv4 client on a dual-stack
 * socket) is 10.0.0.1, and an IPv6 address takes its canonical text (RFC 5952:
 * lower case, zeros compressed), so that `2001:DB8:0::1` and `2001:db8::1`
 * are one client. A zone (`fe80::1%eth0`) is dropped. Anything else is left as it is.
 */
function normalize(address: string): string {
  const trimmed = address.trim();
  const groups = ipv6Groups(trimmed);
  if (!groups) return trimmed;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return ipv6Text(groups);
}

/** The eight 16-bit groups of an IPv6 address (any spelling, an embedded IPv4 part too), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const unzoned = address.replace(/%.*$/, '');
  if (isIP(unzoned) !== 6) return undefined;
  // The URL parser writes IPv6 hosts in canonical form, dotted parts included, so only `::` remains to expand.
  const canonical = new URL(`http://[${unzoned}]`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const before = parse(head);
  const after = tail === undefined ? [] : parse(tail);
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

function ipv6Text(groups: number[]): string {
  return new URL(`http://[${groups.map((group) => group.toString(16)).join(':')}]`).hostname.slice(1, -1);
}

/**
 * The key of an address for per-client budgets: an IPv4 address, or the IPv6
 * network of `prefix` bits it is in (`2001:db8:1:2::/64`), since one IPv6
 * client holds a whole network of addresses.
 */
function clientKeyOf(address: string, prefix: number): string {
  const groups = address.includes(':') ? ipv6Groups(address) : undefined;
  if (!groups || prefix >= 128) return address;
  const masked = groups.map((group, index) => {
    const bits = Math.min(16, Math.max(0, prefix - index * 16));
    return group & ((0xffff << (16 - bits)) & 0xffff);
  });
  return `${ipv6Text(masked)}/${prefix}`;
}

/**
 * Parses TRUST_PROXY: addresses, CIDR ranges and the names `loopback` and
 * `private`, comma-separated. Throws on anything else, naming it.
 */
export function parseTrustedProxies(setting: string): BlockList {
  const trusted = new BlockList();
  for (const item of setting
    .split(',')
    .flatMap((part) => NAMED_RANGES[part.trim()] ?? [part.trim()])
    .filter(Boolean)) {
    const [address = '', prefix] = item.split('/');
    const family = isIP(address);
    if (family === 0 || (prefix !== undefined && !/^\d+$/.test(prefix))) throw new Error(`"${item}" is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  return trusted;
}

/**
 * Fastify's `trustProxy` test (proxy-addr calls it for the socket's peer, then
 * for each X-Forwarded-For hop from the nearest): whether a hop is a proxy the
 * operator trusts. Without TRUST_PROXY the header is ignored: anyone can send it.
 */
export function trustedProxyTest(trusted: BlockList): (address: string) => boolean {
  return (address) => {
    const normalized = normalize(address);
    const family = isIP(normalized);
    return family !== 0 && trusted.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client for rate limits, from the address Fastify's proxy-addr found (the
 * socket's peer, or the nearest untrusted X-Forwarded-For hop behind trusted
 * proxies; a hop that is not an address counts as no client: the peer is used).
 * IPv6 clients are grouped by their network of `ipv6Prefix` bits (RATE_LIMIT_IPV6_PREFIX).
 */
export function clientAddressOf(address: string, peer: string | undefined, ipv6Prefix: number = DEFAULT_IPV6_PREFIX): string {
  const normalized = normalize(address);
  return clientKeyOf(isIP(normalized) === 0 ? normalize(peer ?? 'unknown') : normalized, ipv6Prefix);
}
