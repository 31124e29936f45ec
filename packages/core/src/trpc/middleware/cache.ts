import type { Principal } from '../../auth/tokens.ts';
import { AppError } from '../../errors.ts';
import { MAX_INPUT_DEPTH, nestedDeeperThan } from '../../shared/input-depth.ts';
import { answered, type Step } from '../stack.ts';
import type { CachePolicy } from '../meta.ts';

/**
 * Serves read procedures from the response cache and makes writes invalidate it.
 *
 * It runs after the access check, so a cached answer only ever reaches a caller
 * who passed the route's rule, and it keys answers by procedure, input and, as
 * the route's `cache.scope` says, the caller's role or account: a mechanic's view
 * of the mechanics list is never served to a customer, nor one customer's
 * tickets to another. A hit skips input parsing, the handler and the output
 * schema: the answer was checked when it was stored.
 */
export const cacheAnswers: Step = async ({ ctx, services, meta, type, path, getRawInput }, next) => {
  const rawInput = await getRawInput();
  // First thing after the access check: the key below, and zod after it, walk the input by recursion.
  if (nestedDeeperThan(rawInput, MAX_INPUT_DEPTH)) throw tooDeep();
  const { cache } = services;
  if (type === 'mutation') {
    const result = await next();
    // Awaited: once the client has this answer, no instance may serve what the write replaced.
    if (result.ok && meta?.invalidates?.length) await cache.invalidate(meta.invalidates);
    return result;
  }
  const policy = meta?.cache;
  if (!cache.enabled || !policy || policy === 'no-store') return next();
  // Without the shared versions, another instance's write could go unseen: answer from the database.
  if (!(await cache.refresh(policy.dependsOn))) return next();

  const key = answerKey(path, policy, (await ctx.authenticate()).principal, rawInput);
  const hit = cache.get(key);
  if (hit !== undefined) return answered(hit);
  const versions = cache.versions(policy.dependsOn);
  const result = await next();
  if (result.ok) cache.set(key, result.data, policy.dependsOn, versions);
  return result;
};

/**
 * The cache key of a read's answer: the procedure, whose answer it is (as the
 * route's scope says), and the raw input as the door received it.
 */
export function answerKey(path: string, policy: CachePolicy, caller: Principal | null, rawInput: unknown): string {
  return `${path}|${scopeKey(policy, caller)}|${stableJson(rawInput)}`;
}

function scopeKey(policy: CachePolicy, caller: Principal | null): string {
  switch (policy.scope) {
    case 'public':
      return '*';
    case 'role':
      return caller?.role ?? 'anonymous';
    case 'caller':
      return caller ? `${caller.role}:${caller.id}` : 'anonymous';
  }
}

const tooDeep = () => new AppError('validation_failed', `The input may nest at most ${MAX_INPUT_DEPTH} levels deep`);

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` are one key; refuses inputs deeper than any door lets through. */
function stableJson(value: unknown, depth = 1): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (depth > MAX_INPUT_DEPTH) throw tooDeep();
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item, depth + 1)}`).join(',')}}`;
}
