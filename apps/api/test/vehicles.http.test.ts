import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';
import { uniqueVin } from '@mechanic-shop/core/testing';

/*
 * The vehicle routes over REST: VIN rules and their problem codes, ownership,
 * odometer readings, and tickets on vehicles. Who may call each route is the
 * authorization matrix's; the VIN table itself is core's (vin.test.ts).
 */

type Account = Awaited<ReturnType<typeof registerCustomer>>;

let server: TestServer;
let owner: Account;
let serviceWriter: Account;
let technician: Account;
let customer: Account;
let stranger: Account;

beforeAll(async () => {
  server = await startTestServer();
  owner = await registerMechanic(server);
  serviceWriter = await registerMechanic(server, { role: 'service_writer' });
  technician = await registerMechanic(server, { role: 'technician' });
  customer = await registerCustomer(server);
  stranger = await registerCustomer(server);
});
afterAll(() => server.close());

const addVehicle = (as: Account, json: Record<string, unknown>) => request(server, 'POST', '/vehicles', { token: as.token, json });

/** A vehicle of `as` (a customer) with a VIN of its own; its body. */
async function ownVehicle(as: Account, json: Record<string, unknown> = {}) {
  const added = await addVehicle(as, { vin: uniqueVin(), ...json });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body;
}

const ticketBody = (json: Record<string, unknown>) => ({ title: 'Brakes squeal', service_date: '2026-12-01', ...json });
const openTicket = (as: Account, json: Record<string, unknown>) =>
  request(server, 'POST', '/service_tickets', { token: as.token, json: ticketBody(json) });

describe('POST /vehicles: VIN rules', () => {
  it('a customer adds their own car: trimmed and upper-cased, decoded offline, and the decode fills what they left empty', async () => {
    const added = await addVehicle(customer, { vin: '  1hgcm82633a004352 ', plate: 'ACC 1', odometer: 120_000, odometer_unit: 'km' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(Number),
      customer_id: customer.id,
      vin: '1HGCM82633A004352',
      plate: 'ACC 1',
      year: 2003,
      make: added.body.decoded.manufacturer,
      model: null,
      trim: null,
      engine: null,
      color: null,
      odometer: 120_000,
      odometer_unit: 'km',
      decoded: { manufacturer: expect.any(String), region: 'North America', model_year: 2003, check_digit: 'valid' },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it("the user's year and make win over the decoded ones", async () => {
    const added = await ownVehicle(customer, { year: 2004, make: 'Acura' });
    expect(added).toMatchObject({ year: 2004, make: 'Acura', decoded: { model_year: 2003 } });
  });

  it('a wrong North American check digit is a 400 invalid_vin naming the expected digit', async () => {
    const refused = await addVehicle(customer, { vin: '1M8GDM9A0KP042788' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'invalid_vin', detail: expect.stringMatching(/\bX\b/) } });
    const other = await addVehicle(customer, { vin: '1HGCM82623A004352' });
    expect(other).toMatchObject({ status: 400, body: { code: 'invalid_vin', detail: expect.stringMatching(/\b3\b/) } });
  });

  it('outside North America the check digit is reported, not enforced', async () => {
    // A Volkswagen Golf's VIN from Germany: "Z" stands where North America requires the check digit.
    const added = await ownVehicle(customer, { vin: 'WVWZZZ1JZXW000001' });
    expect(added.decoded).toMatchObject({ region: 'Europe', check_digit: expect.stringMatching(/^(invalid|not_required)$/) });
    expect(added.decoded.check_digit).not.toBe('valid');
  });

  it('refuses I, O and Q, other characters and wrong lengths; a 6–16 character VIN only before 1981', async () => {
    for (const vin of ['1HGCM82633A00435I', '1HGCM82633A0O4352', '1HGCM8263QA004352', '1HGCM82633A00435-', '1HGCM82633A0043521', 'ABC12']) {
      const refused = await addVehicle(customer, { vin });
      expect(refused.status, vin).toBe(400);
      expect(['invalid_vin', 'validation_failed'], vin).toContain(refused.body.code);
    }
    expect(await addVehicle(customer, { vin: '124377N123456' })).toMatchObject({ status: 400, body: { code: 'invalid_vin' } });
    expect(await addVehicle(customer, { vin: '124377N123456', year: 1981 })).toMatchObject({ status: 400, body: { code: 'invalid_vin' } });
    const classic = await addVehicle(customer, { vin: '124377n123456', year: 1967, make: 'Chevrolet', model: 'Camaro' });
    expect(classic).toMatchObject({ status: 201, body: { vin: '124377N123456', year: 1967, make: 'Chevrolet' } });
  });

  it('needs a VIN or a plate', async () => {
    expect((await addVehicle(customer, { make: 'Honda', model: 'Civic' })).status).toBe(400);
    expect(await addVehicle(customer, { plate: 'NO VIN 1', make: 'Honda' })).toMatchObject({ status: 201, body: { vin: null } });
  });

  it('a VIN belongs to one vehicle: 409 vin_taken, naming the vehicle to staff only', async () => {
    const vehicle = await ownVehicle(customer);
    const byStranger = await addVehicle(stranger, { vin: vehicle.vin });
    expect(byStranger).toMatchObject({ status: 409, body: { code: 'vin_taken' } });
    expect(byStranger.body.detail).not.toContain(String(vehicle.id));
    const byStaff = await addVehicle(serviceWriter, { customer_id: stranger.id, vin: vehicle.vin.toLowerCase() });
    expect(byStaff).toMatchObject({ status: 409, body: { code: 'vin_taken', detail: expect.stringContaining(String(vehicle.id)) } });
  });

  it('staff add a vehicle for a customer with customer_id', async () => {
    const added = await addVehicle(owner, { customer_id: stranger.id, plate: 'STAFF 1', vin: uniqueVin() });
    expect(added).toMatchObject({ status: 201, body: { customer_id: stranger.id, plate: 'STAFF 1' } });
    expect((await addVehicle(serviceWriter, { customer_id: 987_654, plate: 'NOBODY' })).status).toBe(404);
  });
});

describe('GET /vehicles/decode/{vin}', () => {
  it('decodes and validates without saving anything', async () => {
    const before = (await request(server, 'GET', '/vehicles?per_page=1', { token: owner.token })).body.total;
    const decoded = await request(server, 'GET', '/vehicles/decode/1hgcm82633a004352', { token: stranger.token });
    expect(decoded.status, JSON.stringify(decoded.body)).toBe(200);
    expect(JSON.stringify(decoded.body)).toContain('North America');
    expect(JSON.stringify(decoded.body)).toMatch(/Honda/i);
    expect(JSON.stringify(decoded.body)).toContain('2003');
    expect(await request(server, 'GET', '/vehicles/decode/1HGCM82623A004352', { token: technician.token })).toMatchObject({
      status: 400,
      body: { code: 'invalid_vin', detail: expect.stringMatching(/\b3\b/) },
    });
    expect((await request(server, 'GET', '/vehicles?per_page=1', { token: owner.token })).body.total).toBe(before);
  });
});

describe('reading, changing and deleting vehicles', () => {
  it('lists for staff by customer_id, vin, plate and q; a customer sees their own at /customers/my-vehicles', async () => {
    const mine = await ownVehicle(customer, { plate: 'LIST 77', model: 'Odyssey' });
    const theirs = await ownVehicle(stranger, { plate: 'LIST 78' });
    const ids = async (query: string) =>
      (await request(server, 'GET', `/vehicles?${query}`, { token: technician.token })).body.items.map(
        (vehicle: { id: number }) => vehicle.id,
      );
    expect(await ids(`customer_id=${stranger.id}&per_page=100`)).toContain(theirs.id);
    expect(await ids(`customer_id=${stranger.id}&per_page=100`)).not.toContain(mine.id);
    expect(await ids(`vin=${mine.vin}`)).toEqual([mine.id]);
    expect(await ids('plate=LIST%2077')).toEqual([mine.id]);
    expect(await ids('q=odyssey')).toContain(mine.id);
    const page = await request(server, 'GET', '/vehicles?page=1&per_page=1', { token: owner.token });
    expect(page.body).toMatchObject({ page: 1, per_page: 1, items: [expect.any(Object)] });
    const own = await request(server, 'GET', '/customers/my-vehicles', { token: customer.token });
    expect(own.status).toBe(200);
    expect(own.body.items.every((vehicle: { customer_id: number }) => vehicle.customer_id === customer.id)).toBe(true);
    expect(own.body.items.map((vehicle: { id: number }) => vehicle.id)).toContain(mine.id);
  });

  it("another customer's vehicle does not exist for them: 404 on get, change, delete and history", async () => {
    const vehicle = await ownVehicle(customer);
    const path = `/vehicles/${vehicle.id}`;
    expect((await request(server, 'GET', path, { token: customer.token })).body).toEqual(vehicle);
    expect((await request(server, 'GET', path, { token: stranger.token })).status).toBe(404);
    expect((await request(server, 'PUT', path, { token: stranger.token, json: { color: 'Red' } })).status).toBe(404);
    expect((await request(server, 'DELETE', path, { token: stranger.token })).status).toBe(404);
    expect((await request(server, 'GET', `${path}/history`, { token: stranger.token })).status).toBe(404);
  });

  it('the owning customer changes their car but cannot give it away; staff move it to another customer', async () => {
    const vehicle = await ownVehicle(customer);
    const path = `/vehicles/${vehicle.id}`;
    expect(await request(server, 'PUT', path, { token: customer.token, json: { color: 'Blue', plate: 'NEW 1' } })).toMatchObject({
      status: 200,
      body: { color: 'Blue', plate: 'NEW 1', vin: vehicle.vin },
    });
    const giveAway = await request(server, 'PUT', path, { token: customer.token, json: { customer_id: stranger.id } });
    expect([400, 403]).toContain(giveAway.status);
    expect(await request(server, 'PUT', path, { token: serviceWriter.token, json: { customer_id: stranger.id } })).toMatchObject({
      status: 200,
      body: { customer_id: stranger.id },
    });
    expect((await request(server, 'GET', path, { token: customer.token })).status).toBe(404);
    expect((await request(server, 'GET', path, { token: stranger.token })).body).toMatchObject({ customer_id: stranger.id, color: 'Blue' });
    expect(await request(server, 'PUT', path, { token: stranger.token, json: { vin: '1HGCM82623A004352' } })).toMatchObject({
      status: 400,
      body: { code: 'invalid_vin' },
    });
  });

  it('deletes a vehicle without tickets; one with tickets is a 409 vehicle_has_tickets', async () => {
    const spare = await ownVehicle(customer);
    expect((await request(server, 'DELETE', `/vehicles/${spare.id}`, { token: customer.token })).status).toBe(204);
    expect((await request(server, 'GET', `/vehicles/${spare.id}`, { token: owner.token })).status).toBe(404);
    const worked = await ownVehicle(customer);
    expect((await openTicket(customer, { vehicle_id: worked.id })).status).toBe(201);
    expect(await request(server, 'DELETE', `/vehicles/${worked.id}`, { token: owner.token })).toMatchObject({
      status: 409,
      body: { code: 'vehicle_has_tickets' },
    });
    // The VIN of a deleted vehicle is free again.
    expect((await addVehicle(stranger, { vin: spare.vin })).status).toBe(201);
  });
});

describe('odometer readings', () => {
  it('never go down unless corrected with a reason; listed newest first with who recorded them and why', async () => {
    const vehicle = await ownVehicle(customer, { odometer: 1_000 });
    const record = (json: Record<string, unknown>) =>
      request(server, 'POST', `/vehicles/${vehicle.id}/odometer`, { token: serviceWriter.token, json });
    const first = await record({ reading: 52_000, unit: 'mi' });
    expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
    expect(await record({ reading: 51_000 })).toMatchObject({ status: 409, body: { code: 'odometer_rollback' } });
    const corrected = await record({ reading: 25_000, correction_reason: 'typo: one digit too many' });
    expect(corrected.status, JSON.stringify(corrected.body)).toBeLessThan(300);
    expect((await request(server, 'GET', `/vehicles/${vehicle.id}`, { token: customer.token })).body).toMatchObject({
      odometer: 25_000,
      odometer_unit: 'mi',
    });
    const readings = await request(server, 'GET', `/vehicles/${vehicle.id}/odometer`, { token: technician.token });
    expect(readings.status).toBe(200);
    const list = Array.isArray(readings.body) ? readings.body : readings.body.items;
    expect(list.slice(0, 2)).toEqual([
      expect.objectContaining({ reading: 25_000, correction_reason: 'typo: one digit too many' }),
      expect.objectContaining({ reading: 52_000, correction_reason: null }),
    ]);
    expect(JSON.stringify(list[0])).toContain(String(serviceWriter.id));
  });
});

describe('tickets on vehicles', () => {
  it("POST /service_tickets with a vin uses the caller's vehicle with that VIN, or creates it; the ticket shows it and keeps vin", async () => {
    const vin = uniqueVin();
    const first = await openTicket(customer, { vin: vin.toLowerCase() });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      vin,
      vehicle: { id: expect.any(Number), vin, plate: null, year: 2003, make: expect.any(String), model: null },
    });
    const second = await openTicket(customer, { vin });
    expect(second.body.vehicle.id).toBe(first.body.vehicle.id);
    expect((await request(server, 'GET', `/vehicles/${first.body.vehicle.id}`, { token: customer.token })).body).toMatchObject({
      customer_id: customer.id,
      vin,
    });
  });

  it("another customer's VIN is a 409 vin_taken that tells them to ask the shop and reveals no owner", async () => {
    const vehicle = await ownVehicle(customer);
    const refused = await openTicket(stranger, { vin: vehicle.vin });
    expect(refused).toMatchObject({ status: 409, body: { code: 'vin_taken', detail: expect.stringMatching(/shop/i) } });
    expect(refused.body.detail).not.toContain(String(vehicle.id));
    expect(refused.body.detail).not.toContain(String(customer.id));
  });

  it("vehicle_id must be one of the caller's vehicles, else 404", async () => {
    const vehicle = await ownVehicle(customer);
    expect(await openTicket(customer, { vehicle_id: vehicle.id })).toMatchObject({
      status: 201,
      body: { vin: vehicle.vin, vehicle: { id: vehicle.id } },
    });
    expect((await openTicket(stranger, { vehicle_id: vehicle.id })).status).toBe(404);
    expect((await openTicket(customer, { vehicle_id: 987_654 })).status).toBe(404);
  });

  it('staff open a ticket for a customer on their vehicle; another customer’s vehicle is a 409 vehicle_owner_mismatch', async () => {
    const vehicle = await ownVehicle(customer);
    const opened = await openTicket(serviceWriter, { customer_id: customer.id, vehicle_id: vehicle.id });
    expect(opened).toMatchObject({ status: 201, body: { customer_id: customer.id, vehicle: { id: vehicle.id } } });
    expect(await openTicket(owner, { customer_id: stranger.id, vehicle_id: vehicle.id })).toMatchObject({
      status: 409,
      body: { code: 'vehicle_owner_mismatch' },
    });
    expect((await openTicket(technician, { customer_id: customer.id, vehicle_id: vehicle.id })).status).toBe(403);
  });

  it('odometer_in and odometer_out are readings with the same rule; the history lists tickets and readings newest first', async () => {
    const vehicle = await ownVehicle(customer);
    const opened = await openTicket(customer, { vehicle_id: vehicle.id, odometer_in: 40_000 });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ odometer_in: 40_000 });
    const edit = (json: Record<string, unknown>) =>
      request(server, 'PUT', `/service_tickets/${opened.body.id}/edit`, { token: serviceWriter.token, json });
    expect(await edit({ odometer_in: 39_000 })).toMatchObject({ status: 409, body: { code: 'odometer_rollback' } });
    expect((await edit({ status: 'IN_PROGRESS', cost: '80.00' })).status).toBe(200);
    expect(await edit({ status: 'COMPLETED', odometer_out: 40_012 })).toMatchObject({ status: 200, body: { odometer_out: 40_012 } });
    expect((await request(server, 'GET', `/vehicles/${vehicle.id}`, { token: customer.token })).body.odometer).toBe(40_012);
    expect(await openTicket(customer, { vehicle_id: vehicle.id, odometer_in: 100 })).toMatchObject({
      status: 409,
      body: { code: 'odometer_rollback' },
    });

    const later = await openTicket(customer, { vehicle_id: vehicle.id, service_date: '2027-01-15' });
    const history = await request(server, 'GET', `/vehicles/${vehicle.id}/history`, { token: customer.token });
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(history.body.tickets.map((ticket: { id: number }) => ticket.id)).toEqual([later.body.id, opened.body.id]);
    expect(history.body.tickets[1]).toMatchObject({ id: opened.body.id, status: 'COMPLETED', title: 'Brakes squeal', total: '80.00' });
    expect(history.body.odometer.map((reading: { reading: number }) => reading.reading)).toEqual([40_012, 40_000]);
    expect((await request(server, 'GET', `/vehicles/${vehicle.id}/history`, { token: technician.token })).status).toBe(200);
  });
});
