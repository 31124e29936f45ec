import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, silentLogger, uniqueEmail, type TestApp } from '@mechanic-shop/core/testing';
import { loadConfig } from '../src/config.ts';
import type { Logger } from '../src/logger.ts';
import { bootstrapFirstMechanic } from '../src/startup.ts';

/*
 * A shop left without staff (as two mechanics deleting themselves at the same
 * moment could leave it before the shop lock) cannot be reopened through the
 * API: `POST /mechanics` is open to anonymous callers only until the shop's
 * first mechanic. The operator's way back is BOOTSTRAP_MECHANIC_* at start-up or
 * `cli create-mechanic`, which create a mechanic whenever none exists.
 */

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'a long operator phrase';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  await app.as().mechanics.register({
    name: 'Gone Soon',
    email: uniqueEmail('mechanic'),
    phone: '+1 555 0100',
    address: '1 Cobol Way',
    salary: '1.00',
    password: PASSWORD,
  });
  await app.services.db.mechanic.deleteMany();
});
afterEach(() => app.close());

const logIn = (email: string) => app.as().mechanics.logIn({ email, password: PASSWORD });

describe('a shop without mechanics', () => {
  it('is closed to anonymous registration', async () => {
    const mallory = {
      name: 'Mallory',
      email: uniqueEmail(),
      phone: '+1 555 0666',
      address: '6 Claim Street',
      salary: 0,
      password: PASSWORD,
    };
    await expect(app.as().mechanics.register(mallory)).rejects.toMatchObject({ problem: 'unauthenticated' });
  });

  it('gets a mechanic from BOOTSTRAP_MECHANIC_* at start-up, and only while it has none', async () => {
    const email = uniqueEmail('operator');
    const config = loadConfig({ DATABASE_URL: app.databaseUrl, BOOTSTRAP_MECHANIC_EMAIL: email, BOOTSTRAP_MECHANIC_PASSWORD: PASSWORD });
    const log = silentLogger as unknown as Logger;
    expect(await bootstrapFirstMechanic(app.services, config, log)).toMatchObject({ email });
    await expect(logIn(email)).resolves.toMatchObject({ token_type: 'Bearer' });
    expect(await bootstrapFirstMechanic(app.services, { ...config, BOOTSTRAP_MECHANIC_EMAIL: uniqueEmail() }, log)).toBeNull();
    expect(await app.services.db.mechanic.count()).toBe(1);
  });

  it('gets a mechanic from `cli create-mechanic`, which then refuses to add another', async () => {
    const email = uniqueEmail('operator');
    const run = (account: string) =>
      promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', 'create-mechanic'], {
        cwd: apiDir,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: app.databaseUrl,
          LOG_LEVEL: 'warn',
          BOOTSTRAP_MECHANIC_EMAIL: account,
          BOOTSTRAP_MECHANIC_PASSWORD: PASSWORD,
        },
      }).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
      );
    expect(await run(email)).toMatchObject({ code: 0, output: expect.stringContaining(`(${email})`) });
    await expect(logIn(email)).resolves.toMatchObject({ token_type: 'Bearer' });
    expect(await run(uniqueEmail('operator'))).toMatchObject({ code: 1, output: expect.stringContaining('The shop has a mechanic') });
    expect(await app.services.db.mechanic.count()).toBe(1);
  });
});
