import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { appSettingsOf, CONFIG_VARIABLES, ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults for a development machine, with a generated secret and a warning', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATABASE_URL: 'file:./data/mechanic-shop.db', production: false });
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.warnings.join()).toMatch(/JWT_SECRET/);
  });

  it('names the bad variable and the value it got', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: .*"eighty"/);
    expect(() => loadConfig({ DATABASE_URL: 'oracle://x' })).toThrow(/DATABASE_URL: must start with/);
  });

  it('refuses a MySQL/MariaDB URL whose TLS setting it does not know, rather than connecting in plaintext', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://shop@db:3306/shop?ssl=maybe' })).toThrow(
      /DATABASE_URL: "ssl=maybe" is not a TLS setting/,
    );
    expect(loadConfig({ DATABASE_URL: 'mysql://shop@db:3306/shop?ssl=required' }).DATABASE_URL).toMatch(/ssl=required$/);
  });

  it('refuses tokens living longer than a day in production, unless JWT_ALLOW_LONG_TTL=true', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...production, JWT_TTL_SECONDS: '86400' }).JWT_TTL_SECONDS).toBe(86_400);
    expect(() => loadConfig({ ...production, JWT_TTL_SECONDS: '86401' })).toThrow(
      /JWT_TTL_SECONDS: at most 86400 \(one day\) in production/,
    );
    expect(loadConfig({ ...production, JWT_TTL_SECONDS: '604800', JWT_ALLOW_LONG_TTL: 'true' }).JWT_TTL_SECONDS).toBe(604_800);
    expect(loadConfig({ JWT_TTL_SECONDS: '604800' }).JWT_TTL_SECONDS).toBe(604_800);
  });

  it('refuses production without a secret of at least 32 bytes, or with a weak bcrypt cost', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    const secret = 's'.repeat(32);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, BCRYPT_COST: '8' })).toThrow(/BCRYPT_COST/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).warnings).toEqual([]);
  });
});

describe('approval links', () => {
  const log = { info() {}, warn() {}, error() {} };

  it('point at PUBLIC_URL (without its trailing slash), or at this server on localhost, and work 72 hours unless told', () => {
    expect(appSettingsOf(loadConfig({ PORT: '8080' }), log).approvalLinks).toEqual({ ttlHours: 72, publicUrl: 'http://localhost:8080' });
    const config = loadConfig({ PUBLIC_URL: 'https://shop.example/', APPROVAL_LINK_TTL_HOURS: '24', RATE_LIMIT_APPROVAL_LINK: '10/600' });
    expect(appSettingsOf(config, log)).toMatchObject({
      approvalLinks: { ttlHours: 24, publicUrl: 'https://shop.example' },
      rateLimits: { approvalLink: { points: 10, seconds: 600 } },
    });
  });

  it('refuses a PUBLIC_URL that is not http(s), and a TTL out of 1 to 2160 hours', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'shop.example' })).toThrow(/PUBLIC_URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://shop.example' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ APPROVAL_LINK_TTL_HOURS: '0' })).toThrow(/APPROVAL_LINK_TTL_HOURS/);
    expect(() => loadConfig({ APPROVAL_LINK_TTL_HOURS: '2161' })).toThrow(/APPROVAL_LINK_TTL_HOURS/);
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
  const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)];

  it('lists every variable the server reads, and no other', () => {
    expect(listed.map(([, name]) => name).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('is a valid configuration as it stands (outside production)', () => {
    const env = Object.fromEntries(listed.map(([, name, value]) => [name!, value!]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
