import { describe, expect, it } from 'vitest';
import { RESOURCES } from './cache/response-cache.ts';
import { appRouter, listProcedures } from './router.ts';

const procedures = listProcedures();

describe('every procedure of the router', () => {
  it('is a REST route too, with an access rule from its procedure builder', () => {
    for (const { path, meta } of procedures) {
      expect(meta.openapi?.path, path).toMatch(/^\//);
      expect(['public', 'authenticated', 'customer', 'mechanic'], path).toContain(meta.access);
    }
  });

  it('states its rate-limit policy and its cache choice (reads) or what it invalidates (writes)', () => {
    for (const { path, type, meta } of procedures) {
      expect(meta.rateLimit, path).toBeDefined();
      if (type === 'query') {
        expect(meta.openapi?.method, path).toBe('GET');
        // Reads spend the global budget only; an approval link's read is public and guessable, and spends a strict one too.
        expect(meta.rateLimit, path).toBe(path === 'approvalLinks.view' ? 'approvalLink' : 'read');
        expect(meta.cache, path).toBeDefined();
      } else {
        expect(meta.openapi?.method, path).not.toBe('GET');
        expect(meta.invalidates, path).toBeInstanceOf(Array);
      }
    }
  });

  it('caches per caller whatever depends on who asks among callers of one role', () => {
    for (const path of [
      'serviceTickets.byId',
      'customers.myTickets',
      'mechanics.list',
      'mechanics.byId',
      'me.get',
      'approvals.list',
      'invoices.byNumber',
      'customers.myInvoices',
    ]) {
      const meta = procedures.find((procedure) => procedure.path === path)!.meta;
      expect(meta.cache, path).toMatchObject({ scope: 'caller' });
    }
  });
});

/**
 * Routers that are no resource of their own: `me` shows the caller's account, a
 * customer or a mechanic; `declinedWork` shows tickets' declined jobs; `events`
 * and `audit` show what the other resources' changes wrote (never cached).
 */
const VIEW_ROUTERS = ['me', 'declinedWork', 'events', 'audit'];

describe('the cache resources', () => {
  it('are the router keys, one per resource router', () => {
    expect([...RESOURCES, ...VIEW_ROUTERS].sort()).toEqual(Object.keys(appRouter._def.record).sort());
  });
});
