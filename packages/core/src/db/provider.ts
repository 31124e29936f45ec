/** The databases the API runs on, picked by the scheme of `DATABASE_URL`. */
export const PROVIDERS = ['sqlite', 'postgresql', 'mysql'] as const;
export type Provider = (typeof PROVIDERS)[number];

const PROVIDER_BY_SCHEME: Record<string, Provider> = {
  'file:': 'sqlite',
  'postgres:': 'postgresql',
  'postgresql:': 'postgresql',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** The provider of a database URL, or an error naming the schemes we accept. */
export function providerOf(databaseUrl: string): Provider {
  const scheme = /^[a-z]+:/i.exec(databaseUrl)?.[0].toLowerCase();
  const provider = scheme ? PROVIDER_BY_SCHEME[scheme] : undefined;
  if (!provider) {
    throw new Error(
      `DATABASE_URL must start with one of ${Object.keys(PROVIDER_BY_SCHEME).join(', ')} (got "${scheme ?? databaseUrl.slice(0, 12)}")`,
    );
  }
  return provider;
}

/**
 * The file path a `file:` URL names, as better-sqlite3 wants it: `file:` alone
 * is an in-memory database, and a query string (`?connection_limit=1`) is not
 * part of the path.
 */
export function sqlitePath(databaseUrl: string): string {
  const path = databaseUrl.replace(/^file:(\/\/)?/, '').replace(/\?.*$/, '');
  return path === '' ? ':memory:' : path;
}
