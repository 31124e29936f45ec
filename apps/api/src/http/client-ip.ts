import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Named groups of proxy addresses for TRUST_PROXY. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
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
 * The client's address for rate limits and logs: the socket's peer, unless that
 * peer is a proxy the operator trusts, in which case the nearest address in
 * X-Forwarded-For that is not a trusted proxy. Without TRUST_PROXY the header is
 * ignored: anyone can send it.
 */
export function clientAddressOf(req: IncomingMessage, trusted: BlockList | undefined): string {
  const peer = normalize(req.socket.remoteAddress ?? 'unknown');
  if (!trusted) return peer;
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  if (!isTrusted(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map(normalize).filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!;
    if (isIP(hop) === 0) return peer;
    if (!isTrusted(hop)) return hop;
  }
  return hops[0] ?? peer;
}
