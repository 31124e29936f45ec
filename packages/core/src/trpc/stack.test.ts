import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { createContext } from './context.ts';
import { t } from './init.ts';
import { answered, stackOf, type Step, type StepResult } from './stack.ts';
import type { AppServices } from '../app-services.ts';

/** A context with no services: the steps below use none. */
const context = () =>
  createContext({} as AppServices, { clientIp: '127.0.0.1', authorization: undefined, requestId: 'stack-test', userAgent: '' });

function probe(...steps: Step[]) {
  const router = t.router({
    read: t.procedure
      .use(stackOf<{ role: 'customer'; id: number } | undefined>(...steps))
      .input(z.object({ n: z.number() }))
      .output(z.object({ n: z.number(), caller: z.number().nullable() }))
      .query(({ input, ctx }) => ({ n: input.n, caller: ctx.caller?.id ?? null })),
  });
  return t.createCallerFactory(router)(context());
}

describe('a procedure stack', () => {
  it('runs its steps in order around the procedure, and hands the procedure the caller a step set', async () => {
    const seen: string[] = [];
    const named =
      (name: string): Step =>
      async (_call, next) => {
        seen.push(`${name} before`);
        const result = await next();
        seen.push(`${name} after`);
        return result;
      };
    const access: Step = (call, next) => {
      call.caller = { role: 'customer', id: 7 };
      return next();
    };
    await expect(probe(named('first'), access, named('last')).read({ n: 1 })).resolves.toEqual({ n: 1, caller: 7 });
    expect(seen).toEqual(['first before', 'last before', 'last after', 'first after']);
  });

  it("makes a later step's throw an error result for the steps before it, as tRPC does between middlewares", async () => {
    let before: StepResult | undefined;
    const watching: Step = async (_call, next) => (before = await next());
    const refusing: Step = () => Promise.reject(new AppError('forbidden', 'No'));
    await expect(probe(watching, refusing).read({ n: 1 })).rejects.toMatchObject({ problem: 'forbidden' });
    expect(before).toMatchObject({ ok: false, error: { problem: 'forbidden' } });
  });

  it('lets a step answer instead of the procedure, whose input parser and handler then do not run', async () => {
    const cached: Step = async () => answered({ n: 42, caller: null });
    await expect(probe(cached).read({ n: 1 })).resolves.toEqual({ n: 42, caller: null });
  });
});
