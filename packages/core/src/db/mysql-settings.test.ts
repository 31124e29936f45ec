import { describe, expect, it } from 'vitest';
import { mariadbPoolConfig, mysqlTlsOf } from './mysql-settings.ts';

const poolSsl = (url: string) => mariadbPoolConfig({ url, poolSize: 1, connectTimeoutMs: 1_000 }).ssl;

describe('TLS of a MySQL/MariaDB URL', () => {
  it('verifies the server certificate for every common spelling that asks for TLS', () => {
    for (const query of ['ssl=true', 'ssl=required', 'sslmode=require', 'sslmode=REQUIRED', 'sslmode=verify-full', 'sslaccept=strict']) {
      expect(mysqlTlsOf(`mysql://shop@db:3306/shop?${query}`), query).toBe('verify');
      expect(poolSsl(`mariadb://shop@db:3306/shop?${query}`), query).toEqual({ rejectUnauthorized: true });
    }
  });

  it('encrypts without verifying only when the URL says so by name', () => {
    expect(poolSsl('mysql://shop@db/shop?ssl=insecure')).toEqual({ rejectUnauthorized: false });
    expect(poolSsl('mysql://shop@db/shop?sslaccept=accept_invalid_certs')).toEqual({ rejectUnauthorized: false });
  });

  it('connects in plaintext without a TLS parameter or with one that says so', () => {
    expect(poolSsl('mysql://shop@db/shop')).toBeUndefined();
    expect(poolSsl('mysql://shop@db/shop?ssl=false')).toBeUndefined();
    expect(poolSsl('mysql://shop@db/shop?sslmode=disabled')).toBeUndefined();
  });

  it('refuses unknown values, unknown TLS parameters and parameters that disagree', () => {
    expect(() => mysqlTlsOf('mysql://shop@db/shop?ssl=yes')).toThrow(/"ssl=yes" is not a TLS setting we know/);
    expect(() => mysqlTlsOf('mysql://shop@db/shop?sslmode=prefer')).toThrow(/sslmode=prefer/);
    expect(() => mysqlTlsOf('mysql://shop@db/shop?sslaccept=constructor')).toThrow(/sslaccept=constructor/);
    expect(() => mysqlTlsOf('mysql://shop@db/shop?sslrootcert=/ca.pem')).toThrow(/"sslrootcert" is not supported/);
    expect(() => mysqlTlsOf('mysql://shop@db/shop?ssl=insecure&sslmode=require')).toThrow(/disagree/);
    expect(() => poolSsl('mysql://shop@db/shop?ssl=required&ssl=maybe')).toThrow(/ssl=maybe/);
  });
});
