import { uniqueVin } from '@mechanic-shop/core/testing';
import { startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDocumentDownloads, createMechanicShopClient, isMechanicShopError } from '../src/index.ts';

let server: TestServer;
let ticketId: number;
let ownerToken: string;
let customerToken: string;
let otherToken: string;

const account = (name: string) => ({
  name,
  email: `${name.toLowerCase()}.${process.pid}@example.com`,
  phone: '+1 555 0100',
  address: '1 Main St',
  password: 'correct horse battery',
});

beforeAll(async () => {
  server = await startTestServer();
  const shop = createMechanicShopClient({ url: server.url });
  const owner = account('Owner');
  await shop.mechanics.register.mutate({ ...owner, salary: '50000' });
  ownerToken = (await shop.mechanics.logIn.mutate({ email: owner.email, password: owner.password })).token;
  const logIn = async (name: string) => {
    const customer = account(name);
    await shop.customers.register.mutate(customer);
    return (await shop.customers.logIn.mutate({ email: customer.email, password: customer.password })).token;
  };
  customerToken = await logIn('Ada');
  otherToken = await logIn('Bob');
  const client = createMechanicShopClient({ url: server.url, token: customerToken });
  ticketId = (await client.serviceTickets.open.mutate({ title: 'Brakes', vin: uniqueVin(), service_date: '2026-12-01' })).id;
  const staff = createMechanicShopClient({ url: server.url, token: ownerToken });
  await staff.serviceTickets.addJob.mutate({ id: ticketId, title: 'Front brakes' });
});
afterAll(() => server.close());

it("downloads a document's bytes with the client's token, or its getToken", async () => {
  const bytes = await createDocumentDownloads({ url: `${server.url}/`, token: customerToken }).estimatePdf(ticketId);
  expect(bytes).toBeInstanceOf(Uint8Array);
  expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
  const viaGetToken = await createDocumentDownloads({ url: server.url, getToken: () => ownerToken }).estimatePdf(ticketId);
  expect(viaGetToken.length).toBeGreaterThan(1_000);
});

it('turns a refusal into the typed error of any call, with its problem code', async () => {
  const refusal = await createDocumentDownloads({ url: server.url, token: otherToken })
    .estimatePdf(ticketId)
    .catch((error: unknown) => error);
  expect(isMechanicShopError(refusal) && refusal.data?.reason).toBe('not_found');
  const anonymous = await createDocumentDownloads({ url: server.url })
    .invoicePdf('INV-000001')
    .catch((error: unknown) => error);
  expect(isMechanicShopError(anonymous) && [anonymous.data?.httpStatus, anonymous.data?.reason]).toEqual([401, 'unauthenticated']);
});
