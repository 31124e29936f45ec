import { describe, expect, it } from 'vitest';
import { clientAddressOf, parseTrustedProxies, trustedProxyTest } from './client-ip.ts';

const keyOf = (address: string, ipv6Prefix?: number) => clientAddressOf(address, address, ipv6Prefix);

describe('clientAddressOf', () => {
  it('writes each address one way: IPv4-mapped IPv6 as IPv4, IPv6 in its canonical text', () => {
    expect(keyOf('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(keyOf('::FFFF:a00:1')).toBe('10.0.0.1');
    expect(keyOf('10.0.0.1')).toBe('10.0.0.1');
    expect(keyOf('2001:DB8:0:0:0:0:0:1', 128)).toBe('2001:db8::1');
    expect(keyOf('fe80::1%eth0', 128)).toBe('fe80::1');
  });

  it('groups IPv6 clients by their /64, or by the configured prefix', () => {
    expect(keyOf('2001:db8:a:b:c:d:e:f')).toBe('2001:db8:a:b::/64');
    expect(keyOf('2001:db8:a:b:c:d:e:f', 48)).toBe('2001:db8:a::/48');
    expect(keyOf('2001:db8:a:b:c:d:e:f', 56)).toBe('2001:db8:a::/56');
    expect(keyOf('2001:db8:a:1ff:c:d:e:f', 56)).toBe('2001:db8:a:100::/56');
    expect(keyOf('::1')).toBe('::/64');
  });

  it('falls back to the peer when a forwarded hop is not an address', () => {
    expect(clientAddressOf('not-an-address', '::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('trustedProxyTest', () => {
  it('trusts the configured proxies in any spelling, and nothing that is not an address', () => {
    const trusted = trustedProxyTest(parseTrustedProxies('loopback'));
    expect(trusted('127.0.0.1')).toBe(true);
    expect(trusted('::ffff:127.0.0.1')).toBe(true);
    expect(trusted('::1')).toBe(true);
    expect(trusted('198.51.100.7')).toBe(false);
    expect(trusted('unknown')).toBe(false);
  });
});
