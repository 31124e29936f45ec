import { typesOf, type JsonSchema } from './openapi.ts';
import type { Random } from './random.ts';

/** JSON text put into a body as it is: numbers JSON.stringify cannot write (1e999, 9007199254740993), deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold `RawJson` parts. */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, inner: unknown) =>
    inner instanceof RawJson ? `\u0000raw${raws.push(inner.text) - 1}\u0000` : inner,
  );
  return (text ?? '').replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => raws[Number(index)]!);
}

const zalgo = 'Z' + '\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f'.repeat(4) + 'algo';

/**
 * Strings that are hostile in content but may well be valid for a free-text
 * field, by the kind of trouble they look for; `hostileString` draws a kind
 * first, so that each kind comes up as often as any other.
 */
const HOSTILE_STRINGS: Record<string, string[]> = {
  sql: [
    "' OR '1'='1",
    "'; DROP TABLE customers; --",
    '1); DELETE FROM mechanics; --',
    "' UNION SELECT password_hash FROM customers --",
    '1; SELECT pg_sleep(30) --',
    "' AND SLEEP(30) --",
    '" OR ""="',
    "\\'",
    '`',
  ],
  likeWildcards: ['%', '_', '%_%', '\\', '[a-z]%'],
  noSqlAndPrototypes: ['{"$gt": ""}', '$where', '$ne', '__proto__', 'constructor', '[object Object]'],
  paths: ['../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2f', 'file:///etc/passwd'],
  templatesAndMarkup: [
    '{{7*7}}',
    '${7*7}',
    '#{7*7}',
    '<%= 7*7 %>',
    "{{constructor.constructor('return process')()}}",
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
  ],
  scripts: ['\u202egnp.exe', 'مرحبا بالعالم', 'שלום עולם', '👩‍🔧🚗💨', '𝕄𝕖𝕔𝕙𝕒𝕟𝕚𝕔', 'e\u0301\u0301\u0301\u0301\u0301', zalgo, '１２３'],
  nul: ['\u0000', 'a\u0000b', 'trailing\u0000', '%00'],
  unpairedSurrogates: ['\ud800', 'a\udc00b', '\udfff\ud800', '\ud83d'],
  controlAndInvisible: ['\u0007\u001b[31mred\u001b[0m', 'line\r\nSet-Cookie: x=1', '\u200b', '\ufeffBOM', '\uffff\ufffe', '\u0085\u2028'],
  lookalikes: ['null', 'undefined', 'NaN', 'true', '-1', '1e9999', ' ', '\t\n', '', '%s%n%x'],
};

export function hostileString(random: Random): string {
  return random.pick(random.pick(Object.values(HOSTILE_STRINGS)));
}

/** Numbers as JSON text: boundaries, precision traps and values JSON.parse turns into Infinity. */
export const HOSTILE_NUMBERS = [
  '0',
  '-1',
  '-0',
  '1.5',
  '0.30000000000000004',
  '1.005',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740993',
  '1e308',
  '1e999',
  '-1e999',
  '1e-7',
  '5e-324',
  '100000000000000000000000000000',
  '1E2',
  '1000001',
  '21474836.48',
  '999999999.99',
].map((text) => new RawJson(text));

/** Values of the wrong JSON type for most fields. */
export const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  {},
  [],
  [null],
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  '1',
  1,
  [1, 2, 3],
  { toString: 'x', valueOf: 1 },
  new RawJson('['.repeat(5_000) + ']'.repeat(5_000)),
  new RawJson('{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000)),
];

/** Money as strings: separators, signs, scripts and sizes the API does not take. */
const HOSTILE_AMOUNTS = [
  '12.345',
  '-5',
  '1e3',
  '0x10',
  ' 12 ',
  '12,50',
  '١٢',
  'Infinity',
  'NaN',
  '21474836.48',
  '99999999999',
  '.5',
  '5.',
  '+5',
  '0',
];

/** Fields a client must not be able to set, with values an attacker would try. */
export const EXTRA_FIELDS: Array<[string, unknown]> = [
  ['id', 1],
  ['id', 999_999],
  ['role', 'mechanic'],
  ['role', 'admin'],
  ['password_hash', '$2b$10$abcdefghijklmnopqrstuv'],
  ['passwordHash', 'x'],
  ['customer_id', 1],
  ['mechanic_id', 1],
  ['salary_cents', 1],
  ['price_cents', 0],
  ['is_admin', true],
  ['created_at', '1970-01-01T00:00:00Z'],
  ['status', 'COMPLETED'],
  ['email', 'attacker@example.com'],
  ['__proto__', { role: 'admin' }],
  ['constructor', { prototype: { role: 'admin' } }],
  ['$where', '1 == 1'],
  ['', 'empty key'],
];

/**
 * Path segments sent raw (percent-encoded where a client would have to), none
 * of them a valid id, by kind; an existing id dressed up is one more kind.
 */
const HOSTILE_SEGMENTS: Record<string, string[]> = {
  outOfRange: ['0', '-1', '-0', '2147483648', '99999999999999999999', '9'.repeat(400), '1e9999'],
  notIntegers: ['abc', '1.5', 'NaN', 'Infinity', 'null', 'undefined', 'true', '1,2', '1_000', '1n', '0b1', '%5B1%5D', '{id}', '"1"', '|'],
  encodings: ['%00', '%', '%ZZ', '%7B%7D', '%7Bid%7D', '%F0%9F%9A%97', '%E2%80%AE1', '%EF%BC%91', '%D9%A3'],
  traversal: ['..', '.', '%2e%2e', '.%2E', '%2e', 'x\\..', '..\\..\\x', '%5C..', '%2F', '1%2F2', '..%2F..%2Fetc%2Fpasswd'],
  injection: ['%27%20OR%20%271%27%3D%271', '1%3B%20DROP%20TABLE%20customers', '__proto__', 'constructor', 'me'],
};

/** A hostile path segment, or an existing id dressed up (`7.0`, `07`, `0x7`, `7abc`…). */
export function hostileSegment(validId: string, random: Random): string {
  const hex = /^\d+$/.test(validId) ? Number(validId).toString(16) : validId;
  const dressedUp = [
    `${validId}.0`,
    `0${validId}`,
    `0x${hex}`,
    `${validId}e0`,
    `%20${validId}`,
    `${validId}%20`,
    `+${validId}`,
    `${validId}abc`,
    `${validId}%00`,
    `${validId}%2F..`,
    `${validId};x=1`,
    `-${validId}`,
    `${validId}${'0'.repeat(12)}`,
  ];
  return random.pick(random.pick([...Object.values(HOSTILE_SEGMENTS), dressedUp]));
}

/** Values of a query parameter (decoded text), hostile for its schema. */
export function hostileQueryText(schema: JsonSchema, random: Random): string {
  const types = typesOf(schema) ?? [];
  const candidates: string[] = [hostileString(random), 'x'.repeat((schema.maxLength ?? 100) + 1), ' '.repeat(300)];
  if (types.includes('integer') || types.includes('number')) {
    candidates.push(...HOSTILE_NUMBERS.map((raw) => raw.text), ' 5 ', '0x10', '5.0', '1e1', '-5', '', '5abc', '５');
  }
  if (schema.enum) {
    const value = String(random.pick(schema.enum));
    candidates.push(value.toLowerCase(), ` ${value}`, `${value}\u0000`, `${value},${value}`, value.slice(1), `${value}*`);
  }
  return random.pick(candidates);
}

/**
 * A hostile value for a body field: for its own type (hostile text, lengths
 * around the limit, boundary and unrepresentable numbers, wrong enum spellings,
 * too many items) or of another type altogether.
 */
export function hostileFieldValue(schema: JsonSchema, random: Random): unknown {
  const types = typesOf(schema) ?? [];
  const families: Array<() => unknown> = [() => random.pick(WRONG_TYPES)];
  if (types.includes('string')) {
    const max = schema.maxLength ?? 255;
    families.push(
      () => hostileString(random).slice(0, schema.maxLength),
      () => hostileString(random),
      () =>
        random.pick([
          'x'.repeat(max),
          'x'.repeat(max + 1),
          'é'.repeat(max),
          'e\u0301'.repeat(Math.ceil(max / 2)),
          '😀'.repeat(max),
          `${' '.repeat(max)}x`,
          'x'.repeat(5_000),
          'x'.repeat(90_000),
        ]),
    );
    if (types.includes('number')) families.push(() => random.pick(HOSTILE_AMOUNTS));
  }
  if (types.includes('integer') || types.includes('number')) {
    const bounds = [schema.minimum, schema.maximum].filter((bound) => bound !== undefined);
    const nearBounds = bounds.flatMap((bound) => [bound - 1, bound, bound + 1, bound + 0.5]);
    families.push(() => random.pick(HOSTILE_NUMBERS));
    if (nearBounds.length > 0) families.push(() => random.pick(nearBounds));
  }
  if (schema.enum) {
    families.push(() => {
      const value = String(random.pick(schema.enum!));
      return random.pick([value.toLowerCase(), ` ${value}`, `${value}\u0000`, [value], 'DONE', '']);
    });
  }
  if (types.includes('array')) {
    families.push(() => {
      const item = schema.items ? hostileFieldValue(schema.items, random) : null;
      return random.pick([
        [item],
        Array.from({ length: (schema.maxItems ?? 100) + 1 }, (_, index) => index + 1),
        Array(10_000).fill(1),
        [[[1]]],
      ]);
    });
  }
  return random.pick(families)();
}

/** Bodies that are not JSON, each made from the valid body's text. */
export function malformedJson(valid: string, random: Random): string {
  return random.pick([
    valid.slice(0, random.int(0, Math.max(0, valid.length - 1))),
    valid.replace(/}$/, ',}'),
    valid.replaceAll('"', "'"),
    valid.replace(/"(\w+)":/, '$1:'),
    `${valid}${valid}`,
    `${valid}}`,
    `\ufeff${valid}`,
    `/* comment */${valid}`,
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":undefined}',
    '{"a":"\\x41"}',
    '{"a":"\u0001"}',
    '{"a":"unterminated}',
    '{"a" "b"}',
    '{,}',
    '[',
    '{'.repeat(50_000),
    'null null',
    'nul',
    '\u0000',
  ]);
}

/** Content types that are not JSON (`json: false`) and JSON ones written oddly (`json: true`). */
export const CONTENT_TYPES: Array<{ value: string | undefined; json: boolean }> = [
  { value: undefined, json: false },
  { value: 'text/plain', json: false },
  { value: 'application/x-www-form-urlencoded', json: false },
  { value: 'multipart/form-data; boundary=fuzz', json: false },
  { value: 'application/xml', json: false },
  { value: 'text/html; charset=utf-8', json: false },
  { value: '*/*', json: false },
  { value: ';;;', json: false },
  { value: 'application/json; charset=utf-16', json: true },
  { value: 'application/json;charset=UTF-8', json: true },
  { value: 'APPLICATION/JSON', json: true },
  { value: 'application/merge-patch+json', json: true },
  { value: 'application/jsonx', json: true },
  { value: 'application/json, text/plain', json: true },
];

/** Query parameters no operation declares, with values an attacker would try. */
export const UNKNOWN_QUERY: Array<[string, string]> = [
  ['role', 'admin'],
  ['id', '1'],
  ['__proto__', 'x'],
  ['__proto__[role]', 'admin'],
  ['constructor', 'x'],
  ['constructor[prototype][role]', 'admin'],
  ['toString', 'x'],
  ['hasOwnProperty', 'x'],
  ['$where', '1==1'],
  ['password_hash', 'x'],
  ['sort', 'password_hash'],
  ['include', 'customer'],
  ['debug', 'true'],
  ['', 'empty'],
];

/** Request headers that have nothing to do with the input, written oddly. */
export const ODD_HEADERS: Array<[string, string]> = [
  ['if-none-match', '*'],
  ['if-none-match', 'W/"x", "y", garbage'],
  ['x-request-id', 'a'.repeat(500)],
  ['x-request-id', '../../etc/passwd'],
  ['x-request-id', '<script>alert(1)</script>'],
  ['accept', 'application/xml'],
  ['accept', 'text/html;q=0, */*;q=0'],
  ['accept-encoding', 'gzip, deflate, br, zstd'],
  ['x-forwarded-for', "1.2.3.4, ' OR 1=1 --"],
  ['x-http-method-override', 'DELETE'],
  ['origin', 'https://evil.example'],
  ['cookie', 'session=../../; admin=true'],
  ['range', 'bytes=0-1'],
];
