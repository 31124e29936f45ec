/*
 * What a `mysql://` or `mariadb://` URL asks of the mariadb driver: its pool
 * settings and TLS. Both the API's client and the migration runner connect
 * with these, so a URL means the same to both.
 */

/** The mariadb driver's pool settings from a `mysql://` or `mariadb://` URL. */
export function mariadbPoolConfig(options: { url: string; poolSize: number; connectTimeoutMs: number }) {
  const url = new URL(options.url);
  const tls = mysqlTlsOf(options.url);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    connectionLimit: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    acquireTimeout: options.connectTimeoutMs,
    // No `queryTimeout`: the mariadb driver (3.4, 3.5) sets it with a statement
    // whose failure nobody awaits (an unhandled rejection when a connection drops
    // while opening), and refuses MySQL servers with it. Statement time limits for
    // MySQL/MariaDB belong in the server's configuration (README).
    ...(tls === 'off' ? {} : { ssl: { rejectUnauthorized: tls === 'verify' } }),
  };
}

/** What a MySQL/MariaDB URL asks of TLS: none, encrypted with the server certificate verified, or encrypted only. */
export type MysqlTls = 'off' | 'verify' | 'insecure';

/**
 * The TLS parameters a MySQL/MariaDB URL may carry, with the spellings of the
 * tools operators copy URLs from (Prisma, MySQL's `--ssl-mode`, libpq). Every
 * spelling that asks for TLS verifies the certificate, except the two that say
 * otherwise by name; the driver itself reads none of them.
 */
const MYSQL_TLS_PARAMETERS: Record<string, Record<string, MysqlTls>> = {
  ssl: { true: 'verify', required: 'verify', insecure: 'insecure', false: 'off' },
  sslmode: {
    require: 'verify',
    required: 'verify',
    verify_ca: 'verify',
    'verify-ca': 'verify',
    verify_identity: 'verify',
    'verify-full': 'verify',
    disable: 'off',
    disabled: 'off',
  },
  sslaccept: { strict: 'verify', accept_invalid_certs: 'insecure' },
};

/**
 * The TLS a MySQL/MariaDB URL asks for. A value or `ssl…` parameter not listed
 * above, or parameters that disagree, throw: unrecognised, `?ssl=required` once
 * meant a plaintext connection without a word.
 */
export function mysqlTlsOf(databaseUrl: string): MysqlTls {
  const asked = new Set<MysqlTls>();
  for (const [name, value] of new URL(databaseUrl).searchParams) {
    const key = name.toLowerCase();
    if (!key.startsWith('ssl')) continue;
    const known = Object.hasOwn(MYSQL_TLS_PARAMETERS, key) ? MYSQL_TLS_PARAMETERS[key]! : undefined;
    if (!known) {
      throw new Error(`the TLS parameter "${name}" is not supported: use ${Object.keys(MYSQL_TLS_PARAMETERS).join(', ')}`);
    }
    const tls = Object.hasOwn(known, value.toLowerCase()) ? known[value.toLowerCase()] : undefined;
    if (!tls) throw new Error(`"${name}=${value}" is not a TLS setting we know: use ${name}=${Object.keys(known).join(' | ')}`);
    asked.add(tls);
  }
  if (asked.size > 1) throw new Error(`its TLS parameters disagree (${[...asked].join(' and ')})`);
  return [...asked][0] ?? 'off';
}
