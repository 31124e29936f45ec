import type { RouterInputs } from '@mechanic-shop/core';
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

/** Registers a mechanic over REST (the first opens the shop, later ones by the first) and logs in. */
export async function registerMechanic(server: TestServer) {
  const body = newMechanic();
  const created = await request(server, 'POST', '/mechanics', { json: body, token: founders.get(server) });
  if (created.status !== 201) throw new Error(`mechanic registration failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: body.password } });
  if (!founders.has(server)) founders.set(server, login.body.token as string);
  return { id: created.body.id as number, email: body.email, token: login.body.token as string };
}
