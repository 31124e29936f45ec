import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { listProcedures } from './router.ts';

/** A schema and what its `.meta()` documents. */
interface Documented {
  safeParse: z.ZodType['safeParse'];
  meta(): { example?: unknown; examples?: unknown[] } | undefined;
}

const procedures = listProcedures().map(({ path, meta, procedure }) => ({
  path,
  meta,
  input: (procedure._def.inputs as unknown as Documented[])[0],
  output: (procedure._def as { output?: Documented }).output,
}));

/** The docs' examples are the API's promises: each must pass its own schema. */
describe('the examples in the API documentation', () => {
  it('are valid inputs of their procedures (path ids filled in)', () => {
    let checked = 0;
    for (const { path, meta, input } of procedures) {
      // Each path parameter as its schema's example shows it (an id: 1; an invoice number: text).
      const shape = (input as unknown as { shape?: Record<string, Documented> } | undefined)?.shape ?? {};
      const pathParameters = [...(meta.openapi?.path ?? '').matchAll(/\{(.+?)\}/g)].map(([, name]) => [
        name!,
        shape[name!]?.meta()?.example ?? 1,
      ]);
      for (const example of input?.meta()?.examples ?? []) {
        const result = input!.safeParse({ ...(example as object), ...Object.fromEntries(pathParameters) });
        expect(result.success, `${path}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('are valid outputs of their procedures', () => {
    let checked = 0;
    for (const { path, output } of procedures) {
      const example = output?.meta()?.example;
      if (example === undefined) continue;
      const result = output!.safeParse(example);
      expect(result.success, `${path}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
