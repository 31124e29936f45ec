import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.ts';

/** Where webhooks may point: the outbound rules of WebhookSettings. */
export interface OutboundRules {
  /** `http://` URLs too (always outside production). */
  allowHttp: boolean;
  /** Loopback, private, link-local… addresses too (tests, a shop's own network). */
  allowPrivateNetworks: boolean;
}

/**
 * Addresses a webhook must not reach unless private networks are allowed: a
 * webhook URL is chosen by an API client, and the API's host can reach what
 * the client cannot (the cloud metadata service, the database, the admin
 * panels of the local network).
 */
const REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, with the metadata service at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv6');
}

/** Whether an address (v4, v6, or v4 mapped into v6) is one a webhook may not reach. */
export function isRefusedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return REFUSED.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return REFUSED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a URL is refused, or null: the scheme, credentials in it, and (unless allowed) where its host resolves. */
export async function refusalOf(url: string, rules: OutboundRules): Promise<string | null> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && rules.allowHttp)) return 'the URL must use https://';
  if (parsed.username || parsed.password) return 'the URL must not carry credentials';
  if (rules.allowPrivateNetworks) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = await new Promise((resolve, reject) =>
      dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
    );
  } catch {
    return `the host ${host} does not resolve`;
  }
  return addresses.some(({ address }) => isRefusedAddress(address))
    ? `the host ${host} resolves to a private, loopback, link-local or reserved address`
    : null;
}

/** Refuses a URL a webhook may not use (400 `webhook_url_refused`). */
export async function assertAllowedUrl(url: string, rules: OutboundRules): Promise<void> {
  const refusal = await refusalOf(url, rules);
  if (refusal)
    throw new AppError('webhook_url_refused', `Webhook URL refused: ${refusal}`, { fields: [{ field: 'url', message: refusal }] });
}

/**
 * Whether a URL names a refused address literally: node:http connects to an IP
 * literal without calling `lookup`, so guardedLookup never sees it.
 */
export function isRefusedLiteral(url: string, rules: OutboundRules): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return !rules.allowPrivateNetworks && isIP(host) !== 0 && isRefusedAddress(host);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http that resolves as usual and refuses refused
 * addresses: the connection goes to the address that was checked, so a DNS
 * answer that changes between the check and the connection (DNS rebinding)
 * cannot redirect it.
 */
export function guardedLookup(rules: OutboundRules) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = !rules.allowPrivateNetworks && addresses.some(({ address }) => isRefusedAddress(address));
      if (refused) {
        const refusal: NodeJS.ErrnoException = new Error(`${hostname} resolves to a refused address`);
        refusal.code = 'EWEBHOOKREFUSED';
        return callback(refusal, []);
      }
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      const [first] = addresses;
      callback(null, first!.address, first!.family);
    });
  };
}
