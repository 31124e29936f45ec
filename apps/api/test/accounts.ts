import type { RouterInputs, StaffRole } from '@mechanic-shop/core';
import { newCustomer, newMechanic } from '@mechanic-shop/core/testing';
import { request, type TestServer } from './server-harness.ts';

// The bodies are core's fixtures (one source for every package); what this file adds is making the accounts over REST.
export { newCustomer, newMechanic, PASSWORD } from '@mechanic-shop/core/testing';

/** Registers a customer over REST (with `profile` instead of the default fields) and logs in. */
export async function registerCustomer(server: TestServer, profile: Partial<RouterInputs['customers']['register']> = {}) {
  const body = newCustomer(profile);
  const created = await request(server, 'POST', '/customers', { json: body });
  if (created.status !== 201) throw new Error(`customer registration failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await request(server, 'POST', '/customers/login', { json: { email: body.email, password: body.password } });
  return { id: created.body.id as number, email: body.email, token: login.body.token as string };
}

const founders = new WeakMap<TestServer, string>();

/**
 * Registers a staff account over REST (with `profile` instead of the default
 * fields) and logs in. The first opens the shop and is its owner; later ones
 * are registered by `registrar` (an owner's token, the first account's unless
 * given), as service writers unless `profile.role` says otherwise: a service
 * writer has every power mechanics had before staff roles except managing
 * staff, so a test about another rule need not choose a role.
 */
export async function registerMechanic(
  server: TestServer,
  profile: Partial<RouterInputs['mechanics']['register']> = {},
  registrar = founders.get(server),
) {
  // The shop's first account takes no role: it is the owner.
  const body = newMechanic(registrar ? { role: 'service_writer', ...profile } : profile);
  const created = await request(server, 'POST', '/mechanics', { json: body, token: registrar });
  if (created.status !== 201) throw new Error(`mechanic registration failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: body.password } });
  if (!founders.has(server)) founders.set(server, login.body.token as string);
  return { id: created.body.id as number, email: body.email, role: created.body.role as StaffRole, token: login.body.token as string };
}
