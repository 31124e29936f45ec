import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, parseTrustedProxies } from './client-ip.ts';

const requestFrom = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  it('writes each address one way: IPv4-mapped IPv6 as IPv4, IPv6 in its canonical text', () => {
    expect(clientAddressOf(requestFrom('::ffff:10.0.0.1'), {})).toBe('10.0.0.1');
    expect(clientAddressOf(requestFrom('::FFFF:a00:1'), {})).toBe('10.0.0.1');
    expect(clientAddressOf(requestFrom('10.0.0.1'), {})).toBe('10.0.0.1');
    expect(clientAddressOf(requestFrom('2001:DB8:0:0:0:0:0:1'), { ipv6Prefix: 128 })).toBe('2001:db8::1');
    expect(clientAddressOf(requestFrom('fe80::1%eth0'), { ipv6Prefix: 128 })).toBe('fe80::1');
  });

  it('groups IPv6 clients by their /64, or by the configured prefix', () => {
    expect(clientAddressOf(requestFrom('2001:db8:a:b:c:d:e:f'), {})).toBe('2001:db8:a:b::/64');
    expect(clientAddressOf(requestFrom('2001:db8:a:b:c:d:e:f'), { ipv6Prefix: 48 })).toBe('2001:db8:a::/48');
    expect(clientAddressOf(requestFrom('2001:db8:a:b:c:d:e:f'), { ipv6Prefix: 56 })).toBe('2001:db8:a::/56');
    expect(clientAddressOf(requestFrom('2001:db8:a:1ff:c:d:e:f'), { ipv6Prefix: 56 })).toBe('2001:db8:a:100::/56');
    expect(clientAddressOf(requestFrom('::1'), {})).toBe('::/64');
  });

  it('groups the forwarded client behind a trusted proxy the same way', () => {
    const trustedProxies = parseTrustedProxies('loopback');
    expect(clientAddressOf(requestFrom('127.0.0.1', '2001:DB8:0:1::7, 127.0.0.1'), { trustedProxies })).toBe('2001:db8:0:1::/64');
    expect(clientAddressOf(requestFrom('::ffff:127.0.0.1', '::ffff:198.51.100.7'), { trustedProxies })).toBe('198.51.100.7');
  });
});
