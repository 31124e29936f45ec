import { createHash } from 'node:crypto';
import type { AppServices } from '../app-services.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { retryingConflicts } from '../db/transactions.ts';
import { AppError } from '../errors.ts';

export interface IdempotencySettings {
  /** How long a key is remembered after its first request (IDEMPOTENCY_KEY_TTL_HOURS). */
  ttlHours: number;
}

/** A day, as the issue asks: longer than any client's retries last, short enough that the table stays small. */
export const DEFAULT_IDEMPOTENCY_SETTINGS: IdempotencySettings = { ttlHours: 24 };

type Deps = Pick<AppServices, 'db' | 'idempotency'>;

/** One POST as the key table knows it. */
export interface KeyedRequest {
  /** Whose key and for which route: `customer:<id>:<procedure path>`, `staff:<id>:…` or `client:<address digest>:…`. */
  scope: string;
  /** The key as the client sent it (stored as its SHA-256, see `claimKey`). */
  key: string;
  /** SHA-256 of the request's canonical input (`requestHashOf`). */
  requestHash: string;
}

/** A finished request's answer: its REST status, and its body as JSON (null for none). */
export interface StoredAnswer {
  status: number;
  body: string | null;
}

/** How many attempts a claim makes when the row it collided with vanished or had expired. */
const CLAIM_ATTEMPTS = 3;
/** How many expired keys one claim deletes at most: the table's cleaning is spread over the requests that fill it. */
const EXPIRED_BATCH = 100;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The request hash: SHA-256 of the input as the procedure parsed it, as JSON
 * with object keys sorted. Parsed rather than raw, so that one request has one
 * hash on both doors (REST hands path parameters over as strings, tRPC as
 * numbers) and the same amount written `"12.5"` or `"12.50"` is the same request.
 */
export function requestHashOf(input: unknown): string {
  return sha256(JSON.stringify(input, (_key, value: unknown) => (isPlainObject(value) ? sortedKeys(value) : value)) ?? 'null');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function sortedKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Claims a key for a request before its handler runs: inserts the key's row,
 * in flight (no status yet), in a statement of its own, so that every instance
 * sees it at once. Returns the row's id, or the stored answer when the key's
 * first request already finished with the same input. Throws 422
 * `idempotency_key_reused` when the key came with another input, and 409
 * `idempotency_key_in_flight` while the first request is still running.
 *
 * The key is stored as its SHA-256: keys are matched exactly on every database
 * (MySQL's collation would call `abc` and `ABC` one key, and ignore trailing
 * spaces), and the table holds no key a client could replay. An expired row is
 * treated as absent: deleted, and the claim made again.
 */
export async function claimKey(deps: Deps, request: KeyedRequest): Promise<{ id: number } | { answer: StoredAnswer }> {
  const { db } = deps;
  const where = { scope: request.scope, key: sha256(request.key) };
  for (let attempt = 1; ; attempt++) {
    const now = new Date();
    try {
      const { id } = await db.idempotencyKey.create({
        data: { ...where, requestHash: request.requestHash, expiresAt: new Date(now.getTime() + deps.idempotency.ttlHours * 3_600_000) },
        select: { id: true },
      });
      await deleteExpiredKeys(deps, now);
      return { id };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const previous = await db.idempotencyKey.findUnique({ where: { scope_key: where } });
    if (previous && previous.expiresAt > now) {
      if (previous.requestHash !== request.requestHash) {
        throw new AppError(
          'idempotency_key_reused',
          'This Idempotency-Key was first used with another request body: use a new key for a new request',
        );
      }
      if (previous.responseStatus === null) {
        throw new AppError(
          'idempotency_key_in_flight',
          "This Idempotency-Key's first request is still running: retry once it has answered",
        );
      }
      return { answer: { status: previous.responseStatus, body: previous.responseBody } };
    }
    // Gone since (its request failed and let the key go) or expired: claim it again.
    if (previous) await db.idempotencyKey.deleteMany({ where: { id: previous.id, expiresAt: { lte: now } } });
    if (attempt >= CLAIM_ATTEMPTS) {
      throw new AppError('transaction_conflict', 'The Idempotency-Key kept changing hands with concurrent requests; retry it');
    }
  }
}

/** Stores the answer of a claimed key's request, for its repeats to replay. */
export async function recordAnswer({ db }: Deps, id: number, answer: StoredAnswer): Promise<void> {
  // updateMany: an update would read the whole row back, the answer with it.
  const { count } = await retryingConflicts(() =>
    db.idempotencyKey.updateMany({ where: { id }, data: { responseStatus: answer.status, responseBody: answer.body } }),
  );
  if (count === 0) throw new Error(`Idempotency key ${id} was deleted before its answer was stored`);
}

/** Lets a claimed key go, so that a repeat runs the request again (its first attempt changed nothing). */
export async function releaseKey({ db }: Deps, id: number): Promise<void> {
  await retryingConflicts(() => db.idempotencyKey.deleteMany({ where: { id } }));
}

/**
 * Deletes a bounded batch of expired keys, oldest first. Best effort: a
 * failure (a deadlock with another instance doing the same) leaves them for
 * the next claim, and never fails the request that claimed.
 */
async function deleteExpiredKeys({ db }: Deps, now: Date): Promise<void> {
  try {
    const expired = await db.idempotencyKey.findMany({
      where: { expiresAt: { lte: now } },
      orderBy: { expiresAt: 'asc' },
      select: { id: true },
      take: EXPIRED_BATCH,
    });
    if (expired.length > 0) await db.idempotencyKey.deleteMany({ where: { id: { in: expired.map(({ id }) => id) } } });
  } catch {
    // Left for the next claim (see above).
  }
}
