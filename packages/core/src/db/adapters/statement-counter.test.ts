import { describe, expect, it } from 'vitest';
import { openDatabase } from '../client.ts';

describe('countStatements', () => {
  it('reports every statement the client sends, inside transactions too, and changes no answer', async () => {
    const heard: string[] = [];
    const handle = await openDatabase({ url: 'file:', onStatement: (sql) => heard.push(sql) });
    try {
      heard.length = 0;
      const answer = await handle.db.$transaction(async (tx) => tx.$queryRawUnsafe<Array<{ one: bigint }>>('SELECT 1 AS one'));
      expect(answer).toEqual([{ one: 1n }]);
      await handle.db.$executeRawUnsafe('CREATE TABLE part (id INTEGER PRIMARY KEY)');
      // Prisma ends the transaction with a statement of its own, heard too.
      expect(heard).toEqual(['SELECT 1 AS one', 'COMMIT', 'CREATE TABLE part (id INTEGER PRIMARY KEY)']);
    } finally {
      await handle.close();
    }
  });
});
