import { z } from 'zod';
import {
  DATE_RANGE,
  MAX_ID,
  MAX_LENGTH,
  MAX_QUANTITY,
  PAGE_MAX,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_LENGTH,
} from './limits.ts';

/*
 * Request schemas are strict: an unknown field is a 400 naming it, never silently
 * dropped, so a typo ("emial") or an attempt to set `id`, `role` or
 * `password_hash` is refused rather than half-applied.
 *
 * Numbers in path and query strings are coerced explicitly. Numbers in JSON
 * bodies are wrapped in a pipe: trpc-to-openapi turns every plain number schema
 * of an input into a coercing one on its first REST call (for query strings),
 * which would then accept `null`, `true` or `"5"` in bodies on both doors.
 */

/** An id in a response. */
export const Id = z.int().min(1).max(MAX_ID);

/** A count or quantity in a response. */
export const Count = z.int().min(0);

/** An id from a path or query string. */
export const IdParam = z.coerce.number<number>().int().min(1).max(MAX_ID).meta({ example: 1 });

/** An id in a JSON body. */
export const IdField = z.int().min(1).max(MAX_ID).pipe(z.int());

/** A count of units in a JSON body. */
export const QuantityField = (min: 0 | 1) => z.int().min(min).max(MAX_QUANTITY).pipe(z.int());

/** A calendar date in a request (YYYY-MM-DD), within the range every database stores exactly. */
export const CalendarDate = z.iso
  .date()
  .refine((date) => date >= DATE_RANGE.min && date <= DATE_RANGE.max, `Must be between ${DATE_RANGE.min} and ${DATE_RANGE.max}`);

/** NUL characters and unpaired UTF-16 surrogates (`u` mode matches a surrogate only when it is unpaired). */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|\p{Cs}/u;

/**
 * Free text that goes to the database, into a column or a search: trimmed,
 * within the column's length, and handled alike by every database. PostgreSQL
 * refuses NUL characters in text (the write failed with a 500) where SQLite and
 * MySQL keep them; an unpaired surrogate, which only a `\ud800` escape in JSON
 * can carry, has no UTF-8 form and would be stored as U+FFFD, or on SQLite as
 * bytes that read back as three of them.
 */
export const DatabaseText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((text) => !UNSTORABLE.test(text), 'Must not contain NUL characters or unpaired surrogates');

export const PersonName = DatabaseText(1, MAX_LENGTH.personName);

/** Emails are stored trimmed and lower-cased: "A@X.com " and "a@x.com" are one account. */
export const Email = z.string().trim().toLowerCase().max(MAX_LENGTH.email).email();

export const Phone = z
  .string()
  .trim()
  .min(3)
  .max(MAX_LENGTH.phone)
  .regex(/^[0-9+()\-. x]+$/, 'Expected digits, spaces and + ( ) - . x');

export const Address = DatabaseText(1, MAX_LENGTH.address);

export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(PASSWORD_MAX_BYTES)
  .refine((password) => Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES, {
    message: `Must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt ignores the rest)`,
  });

/** The contact fields both kinds of account have. */
export const accountProfile = { name: PersonName, email: Email, phone: Phone, address: Address };

/** An update of an account's fields: any subset of them, with the account id from the path. */
export function accountChanges<Extra extends z.ZodRawShape>(extra: Extra) {
  return z
    .strictObject({ ...accountProfile, ...extra, password: Password })
    .partial()
    .extend({ id: IdParam });
}

/**
 * A login's input. Its example, which /docs sends with "Test Request", is the
 * demo shop's account of that role (`pnpm db:seed`): it exists only after seeding.
 */
function credentials(role: 'customer' | 'mechanic') {
  return z
    .strictObject({
      email: Email,
      // No length rules at login: a wrong password is a 401, whatever its length.
      password: z.string().min(1).max(1024),
    })
    .meta({
      id: role === 'customer' ? 'CustomerCredentials' : 'MechanicCredentials',
      description: `The demo ${role} of \`pnpm db:seed\` is the example; it exists only after seeding.`,
      examples: [{ email: `demo.${role}@shop.example`, password: `demo ${role} password` }],
    });
}
export const CustomerCredentials = credentials('customer');
export const MechanicCredentials = credentials('mechanic');

export const Token = z
  .object({
    token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.int().min(1).meta({ description: 'Seconds until the token expires.' }),
  })
  .meta({
    id: 'Token',
    example: {
      token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoibWVjaGFuaWMiLCJzdWIiOiIxIn0.c2lnbmF0dXJl',
      token_type: 'Bearer',
      expires_in: 3600,
    },
  });

export const PaginationInput = z.strictObject({
  page: z.coerce.number<number>().int().min(1).max(PAGE_MAX).default(1).meta({ description: 'Page number, from 1.', example: 1 }),
  per_page: z.coerce
    .number<number>()
    .int()
    .min(1)
    .max(PAGE_SIZE_MAX)
    .default(PAGE_SIZE_DEFAULT)
    .meta({ description: `Items per page, at most ${PAGE_SIZE_MAX}.`, example: PAGE_SIZE_DEFAULT }),
});
export type PaginationInput = z.output<typeof PaginationInput>;

/** The one list shape of the API. */
export function paginated<Item extends z.ZodType>(item: Item, id: string) {
  const itemExample = (item.meta() as { example?: unknown } | undefined)?.example;
  return z
    .object({
      items: z.array(item),
      page: z.int().min(1),
      per_page: z.int().min(1),
      total: Count.meta({ description: 'Items in all pages.' }),
      pages: Count.meta({ description: 'Number of pages; 0 when there are no items.' }),
    })
    .meta({
      id,
      example: { items: itemExample === undefined ? [] : [itemExample], page: 1, per_page: PAGE_SIZE_DEFAULT, total: 1, pages: 1 },
    });
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
  pages: number;
}

export function toPage<T>(items: T[], total: number, { page, per_page }: PaginationInput): Page<T> {
  return { items, page, per_page, total, pages: Math.ceil(total / per_page) };
}

/** Prisma's skip/take for a page. */
export function pageWindow({ page, per_page }: PaginationInput): { skip: number; take: number } {
  return { skip: (page - 1) * per_page, take: per_page };
}

/** `{ id }` from the path, for routes like `GET /customers/{id}`. */
export const ById = z.strictObject({ id: IdParam });
