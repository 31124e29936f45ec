import { describe, expect, it } from 'vitest';
import { providerOf, sqlitePath } from './provider.ts';

describe('providerOf', () => {
  it('names the provider of each scheme we accept, in any case', () => {
    expect(providerOf('file:./data/shop.db')).toBe('sqlite');
    expect(providerOf('POSTGRES://db/shop')).toBe('postgresql');
    expect(providerOf('postgresql://db/shop')).toBe('postgresql');
    expect(providerOf('mysql://db/shop')).toBe('mysql');
    expect(providerOf('mariadb://db/shop')).toBe('mysql');
  });

  it('refuses any other scheme, naming the ones it accepts', () => {
    expect(() => providerOf('sqlserver://db/shop')).toThrow(/must start with one of file:, postgres:.*\(got "sqlserver:"\)/);
  });
});

describe('sqlitePath', () => {
  it('is the path of a file: URL, with or without slashes, without its query string', () => {
    expect(sqlitePath('file:./data/shop.db')).toBe('./data/shop.db');
    expect(sqlitePath('file:///tmp/shop.db?connection_limit=1')).toBe('/tmp/shop.db');
  });

  it('is an in-memory database for a bare file:', () => {
    expect(sqlitePath('file:')).toBe(':memory:');
  });
});
