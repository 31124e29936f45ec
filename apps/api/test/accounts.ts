import { request, type TestServer } from './server-harness.ts';

let sequence = 0;
const unique = (prefix: string) => `${prefix}.${process.pid}.${++sequence}@example.com`;

export const PASSWORD = 'correct horse battery';

export const customerBody = () => ({
  name: 'Ada Lovelace',
  email: unique('customer'),
  phone: '+44 20 7946 0000',
  address: '12 Analytical Row',
  password: PASSWORD,
});
export const mechanicBody = () => ({
  name: 'Grace Hopper',
  email: unique('mechanic'),
  phone: '+1 555 0100',
  address: '1 Cobol Way',
  salary: '58000.00',
  password: PASSWORD,
});

/** Registers a customer over REST (with `profile` instead of the default fields) and logs in. */
export async function registerCustomer(server: TestServer, profile: Partial<ReturnType<typeof customerBody>> = {}) {
  const body = { ...customerBody(), ...profile };
  const created = await request(server, 'POST', '/customers', { json: body });
  if (created.status !== 201) throw new Error(`customer registration failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await request(server, 'POST', '/customers/login', { json: { email: body.email, password: body.password } });
  return { id: created.body.id as number, email: body.email, token: login.body.token as string };
}

const founders = new WeakMap<TestServer, string>();

/** Registers a mechanic over REST (the first opens the shop, later ones by the first) and logs in. */
export async function registerMechanic(server: TestServer) {
  const body = mechanicBody();
  const created = await request(server, 'POST', '/mechanics', { json: body, token: founders.get(server) });
  if (created.status !== 201) throw new Error(`mechanic registration failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: body.password } });
  if (!founders.has(server)) founders.set(server, login.body.token as string);
  return { id: created.body.id as number, email: body.email, token: login.body.token as string };
}
