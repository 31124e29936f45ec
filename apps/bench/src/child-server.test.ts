import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScriptNodeFlags } from './child-server.ts';
import { REPO_ROOT } from './paths.ts';

describe('startScriptNodeFlags', () => {
  it("reads the Node flags of the root package.json's start script", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const flags = startScriptNodeFlags(scripts.start);
    expect(flags).toContain('--enable-source-maps');
    expect(flags.every((flag) => flag.startsWith('--'))).toBe(true);
  });

  it('takes every flag before the script, and none from the build before it', () => {
    expect(startScriptNodeFlags('turbo run build --filter=x && exec node --a --b=8 apps/api/dist/main.js')).toEqual(['--a', '--b=8']);
    expect(startScriptNodeFlags('exec node apps/api/dist/main.js')).toEqual([]);
  });

  it('refuses a start script of another shape rather than starting the API differently', () => {
    expect(() => startScriptNodeFlags('node apps/api/dist/main.js --port 3000')).toThrow(/start script/);
  });
});
