import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTicket, signUpCustomer, signUpMechanic, uniqueVin } from '../testing/fixtures.ts';
import { eventsAbout } from '../testing/events.ts';
import { createTestApp, reasonOf, rejectionOf, type TestApp } from '../testing/index.ts';

// Who may call each route is the authorization matrix's (apps/api/test/authorization-matrix.http.test.ts);
// these tests hold the domain rules. The VIN table itself is vin.test.ts's.

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bob: Awaited<ReturnType<typeof signUpCustomer>>;
beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  technician = await signUpMechanic(app, { role: 'technician' });
  ada = await signUpCustomer(app);
  bob = await signUpCustomer(app);
});
afterAll(() => app.close());

describe('adding vehicles', () => {
  it('a customer adds their own: the VIN upper-cased, decoded, and filling the year and make left empty', async () => {
    const added = await app.as(ada.token).vehicles.create({ vin: ' 1hgcm82633a004352 ', plate: 'acc 1', model: 'Accord', odometer: 1_000 });
    expect(added).toMatchObject({
      customer_id: ada.customer.id,
      vin: '1HGCM82633A004352',
      plate: 'ACC 1',
      year: 2003,
      make: 'Honda',
      model: 'Accord',
      odometer: 1_000,
      odometer_unit: 'mi',
      decoded: { manufacturer: 'Honda', region: 'North America', model_year: 2003, check_digit: 'valid' },
    });
    expect(await app.as(ada.token).customers.myVehicles({})).toMatchObject({ total: 1, items: [added] });
  });

  it("keeps the year and make the user gave over the decoded ones; a plate alone will do, nothing at all won't", async () => {
    const vin = uniqueVin();
    expect(await app.as(bob.token).vehicles.create({ vin, year: 2004, make: 'Acura' })).toMatchObject({ year: 2004, make: 'Acura' });
    expect(await app.as(bob.token).vehicles.create({ plate: 'BOB 2' })).toMatchObject({ vin: null, decoded: null, plate: 'BOB 2' });
    expect(await reasonOf(app.as(bob.token).vehicles.create({ color: 'Red' }))).toBe('validation_failed');
  });

  it('refuses a wrong North American check digit with invalid_vin naming the expected digit; short VINs only before 1981', async () => {
    const wrong = await rejectionOf(app.as(ada.token).vehicles.create({ vin: '1HGCM82643A004352' }));
    expect(wrong).toMatchObject({ reason: 'invalid_vin' });
    expect(wrong.message).toContain("'3'");
    expect(await reasonOf(app.as(ada.token).vehicles.create({ vin: '12345ABC' }))).toBe('invalid_vin');
    expect(await app.as(ada.token).vehicles.create({ vin: '12345ABC', year: 1975 })).toMatchObject({ vin: '12345ABC', year: 1975 });
  });

  it('gives a VIN to one vehicle only: staff learn which, a customer is sent to the shop', async () => {
    const vin = uniqueVin();
    const first = await app.as(ada.token).vehicles.create({ vin });
    const toCustomer = await rejectionOf(app.as(bob.token).vehicles.create({ vin }));
    expect(toCustomer.reason).toBe('vin_taken');
    expect(toCustomer.message).not.toContain(String(first.id));
    const toStaff = await rejectionOf(app.as(owner.token).vehicles.create({ customer_id: bob.customer.id, vin }));
    expect(toStaff).toMatchObject({ reason: 'vin_taken', message: expect.stringContaining(`Vehicle ${first.id}`) });
  });

  it('staff add one for a customer they name; a technician may not, a customer names nobody', async () => {
    const added = await app.as(owner.token).vehicles.create({ customer_id: bob.customer.id, vin: uniqueVin() });
    expect(added.customer_id).toBe(bob.customer.id);
    expect(await reasonOf(app.as(owner.token).vehicles.create({ vin: uniqueVin() }))).toBe('validation_failed');
    expect(await reasonOf(app.as(owner.token).vehicles.create({ customer_id: 999_999, vin: uniqueVin() }))).toBe('not_found');
    expect(await reasonOf(app.as(technician.token).vehicles.create({ customer_id: bob.customer.id, plate: 'T 1' }))).toBe('forbidden');
    expect(await reasonOf(app.as(ada.token).vehicles.create({ customer_id: bob.customer.id, plate: 'T 1' }))).toBe('validation_failed');
  });

  it('decodes a VIN without saving it', async () => {
    expect(await app.as(ada.token).vehicles.decode({ vin: 'wvwzzz1kz6w123456' })).toEqual({
      vin: 'WVWZZZ1KZ6W123456',
      decoded: expect.objectContaining({ manufacturer: 'Volkswagen', region: 'Europe' }),
    });
    expect(await reasonOf(app.as(ada.token).vehicles.decode({ vin: '1HGCM82643A004352' }))).toBe('invalid_vin');
    expect((await app.as(owner.token).vehicles.list({ vin: 'WVWZZZ1KZ6W123456' })).total).toBe(0);
  });
});

describe('reading, changing and deleting vehicles', () => {
  it('lists by customer, VIN, plate or text; a customer reads their own, another customer gets a 404', async () => {
    const vin = uniqueVin();
    const car = await app.as(ada.token).vehicles.create({ vin, plate: 'LIST 1', model: 'Ro_dster 100%' });
    const shop = app.as(technician.token).vehicles;
    expect((await shop.list({ vin })).items).toEqual([car]);
    expect((await shop.list({ plate: 'list 1' })).items).toEqual([car]);
    expect((await shop.list({ q: 'o_dster 100%' })).items).toEqual([car]);
    expect((await shop.list({ q: 'odster' })).items).toEqual([]);
    expect((await shop.list({ customer_id: ada.customer.id, per_page: 100 })).items).toContainEqual(car);
    expect(await shop.byId({ id: car.id })).toEqual(car);
    expect(await app.as(ada.token).vehicles.byId({ id: car.id })).toEqual(car);
    expect(await reasonOf(app.as(bob.token).vehicles.byId({ id: car.id }))).toBe('not_found');
  });

  it('its customer changes it but only staff move it to another customer; technicians change nothing', async () => {
    const car = await app.as(ada.token).vehicles.create({ plate: 'MOVE 1' });
    expect(await app.as(ada.token).vehicles.update({ id: car.id, color: 'Blue' })).toMatchObject({ color: 'Blue' });
    expect(await reasonOf(app.as(ada.token).vehicles.update({ id: car.id, customer_id: bob.customer.id }))).toBe('forbidden');
    expect(await reasonOf(app.as(bob.token).vehicles.update({ id: car.id, color: 'Red' }))).toBe('not_found');
    expect(await reasonOf(app.as(technician.token).vehicles.update({ id: car.id, color: 'Red' }))).toBe('forbidden');
    expect(await app.as(owner.token).vehicles.update({ id: car.id, customer_id: bob.customer.id })).toMatchObject({
      customer_id: bob.customer.id,
    });
    expect(await reasonOf(app.as(ada.token).vehicles.byId({ id: car.id }))).toBe('not_found');
  });

  it('keeps a short (pre-1981) VIN only with a year before 1981, on changes too', async () => {
    const classic = await app.as(ada.token).vehicles.create({ vin: '124379N123456', year: 1969 });
    expect(await reasonOf(app.as(ada.token).vehicles.update({ id: classic.id, year: 1995 }))).toBe('invalid_vin');
    expect(await app.as(ada.token).vehicles.update({ id: classic.id, year: 1970 })).toMatchObject({ vin: '124379N123456', year: 1970 });
  });

  it("tells a customer re-adding their own car's VIN which of their vehicles has it", async () => {
    const vin = uniqueVin();
    const mine = await app.as(ada.token).vehicles.create({ vin });
    expect((await rejectionOf(app.as(ada.token).vehicles.create({ vin }))).message).toContain(`Your vehicle ${mine.id}`);
  });

  it('deletes a vehicle without tickets; one with tickets stays (vehicle_has_tickets)', async () => {
    const spare = await app.as(ada.token).vehicles.create({ plate: 'DEL 1' });
    await app.as(ada.token).vehicles.delete({ id: spare.id });
    expect(await reasonOf(app.as(ada.token).vehicles.byId({ id: spare.id }))).toBe('not_found');
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await reasonOf(app.as(owner.token).vehicles.delete({ id: ticket.vehicle.id }))).toBe('vehicle_has_tickets');
    expect(await reasonOf(app.as(technician.token).vehicles.delete({ id: ticket.vehicle.id }))).toBe('forbidden');
  });
});

describe('odometer readings', () => {
  it('never go down without a correction reason; the vehicle shows the latest; listed newest first with who and why', async () => {
    const car = await app.as(ada.token).vehicles.create({ vin: uniqueVin(), odometer: 10_000 });
    await app.as(owner.token).vehicles.addReading({ id: car.id, reading: 12_000 });
    expect(await reasonOf(app.as(owner.token).vehicles.addReading({ id: car.id, reading: 11_000 }))).toBe('odometer_rollback');
    // Kilometres against miles: 17,000 km is about 10,563 mi, below 12,000.
    expect(await reasonOf(app.as(owner.token).vehicles.addReading({ id: car.id, reading: 17_000, unit: 'km' }))).toBe('odometer_rollback');
    await app.as(owner.token).vehicles.addReading({ id: car.id, reading: 1_100, correction_reason: 'Odometer replaced' });
    // A reading in kilometres is compared, and shown on the vehicle, in the vehicle's own miles.
    await app.as(owner.token).vehicles.addReading({ id: car.id, reading: 2_000, unit: 'km' });
    expect(await app.as(ada.token).vehicles.byId({ id: car.id })).toMatchObject({ odometer: 1_242, odometer_unit: 'mi' });
    await app.as(owner.token).vehicles.addReading({ id: car.id, reading: 1_300 });
    await app.as(owner.token).vehicles.addReading({ id: car.id, reading: 1_100, correction_reason: 'Back to the corrected value' });
    expect(await app.as(ada.token).vehicles.byId({ id: car.id })).toMatchObject({ odometer: 1_100, odometer_unit: 'mi' });
    const readings = await app.as(technician.token).vehicles.readings({ id: car.id });
    expect(readings.items.map(({ reading, correction_reason, recorded_by }) => [reading, correction_reason, recorded_by])).toEqual([
      [1_100, 'Back to the corrected value', { kind: 'staff', id: owner.mechanic.id }],
      [1_300, null, { kind: 'staff', id: owner.mechanic.id }],
      [2_000, null, { kind: 'staff', id: owner.mechanic.id }],
      [1_100, 'Odometer replaced', { kind: 'staff', id: owner.mechanic.id }],
      [12_000, null, { kind: 'staff', id: owner.mechanic.id }],
      [10_000, null, { kind: 'customer', id: ada.customer.id }],
    ]);
    expect(await reasonOf(app.as(bob.token).vehicles.readings({ id: car.id }))).toBe('not_found');
  });

  it('readings recorded at the same moment are checked one after the other: the recorded ones never go down', async () => {
    const car = await app.as(ada.token).vehicles.create({ vin: uniqueVin(), odometer: 1_000 });
    // A shuffled set of higher readings, sent at once by the technician and the desk.
    const readings = [9, 3, 7, 1, 5, 8, 2, 6, 4, 10].map((step) => 1_000 + step * 100);
    const outcomes = await Promise.all(
      readings.map((reading, index) => {
        const call = app.as((index % 2 ? technician : owner).token).vehicles.addReading({ id: car.id, reading });
        return call.then(
          () => 'recorded',
          () => reasonOf(call),
        );
      }),
    );
    expect(new Set(outcomes)).toEqual(new Set(outcomes.includes('odometer_rollback') ? ['recorded', 'odometer_rollback'] : ['recorded']));
    const recorded = (await app.as(owner.token).vehicles.readings({ id: car.id, per_page: 100 })).items
      .map(({ reading }) => reading)
      .reverse();
    expect(recorded).toEqual([...recorded].sort((a, b) => a - b));
    expect(recorded.length).toBe(1 + outcomes.filter((outcome) => outcome === 'recorded').length);
  });

  it('tickets record odometer_in on opening or edit and odometer_out on completion, by the same rule; history shows them', async () => {
    const car = await app.as(ada.token).vehicles.create({ vin: uniqueVin(), odometer: 5_000 });
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket({ vin: undefined, vehicle_id: car.id, odometer_in: 5_100 }));
    expect(ticket).toMatchObject({ vin: car.vin, odometer_in: 5_100, odometer_out: null });
    const desk = app.as(owner.token).serviceTickets;
    expect(await reasonOf(desk.edit({ id: ticket.id, odometer_out: 5_200 }))).toBe('validation_failed');
    expect(await reasonOf(desk.edit({ id: ticket.id, status: 'IN_PROGRESS', odometer_in: 4_000 }))).toBe('odometer_rollback');
    await desk.edit({ id: ticket.id, status: 'IN_PROGRESS' });
    expect(await desk.edit({ id: ticket.id, status: 'COMPLETED', odometer_out: 5_120, cost: '10.00' })).toMatchObject({
      odometer_out: 5_120,
    });

    const history = await app.as(ada.token).vehicles.history({ id: car.id });
    expect(history.vehicle).toMatchObject({ id: car.id, odometer: 5_120 });
    expect(history.tickets).toEqual([
      { id: ticket.id, status: 'COMPLETED', service_date: '2026-12-01', title: 'Brakes squeal', total: '10.00' },
    ]);
    expect(history.odometer.map(({ reading, service_ticket_id }) => [reading, service_ticket_id])).toEqual([
      [5_120, ticket.id],
      [5_100, ticket.id],
      [5_000, null],
    ]);
    expect(await reasonOf(app.as(bob.token).vehicles.history({ id: car.id }))).toBe('not_found');
  });
});

describe('tickets on vehicles', () => {
  it("opens on the customer's vehicle with that VIN, adding it the first time; the ticket shows it", async () => {
    const vin = uniqueVin();
    const first = await app.as(ada.token).serviceTickets.open(newTicket({ vin }));
    const second = await app.as(ada.token).serviceTickets.open(newTicket({ vin: vin.toLowerCase() }));
    expect(second.vehicle).toEqual(first.vehicle);
    expect(first).toMatchObject({ vin, vehicle: { vin, make: 'Honda', year: 2003, plate: null, model: null } });
  });

  it("refuses another customer's VIN without naming its owner, and another customer's vehicle as a 404", async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    const taken = await rejectionOf(app.as(bob.token).serviceTickets.open(newTicket({ vin: ticket.vin! })));
    expect(taken.reason).toBe('vin_taken');
    expect(taken.message).not.toContain(String(ada.customer.id));
    const byId = newTicket({ vin: undefined, vehicle_id: ticket.vehicle.id });
    expect(await reasonOf(app.as(bob.token).serviceTickets.open(byId))).toBe('not_found');
    expect(await reasonOf(app.as(ada.token).serviceTickets.open(newTicket({ vin: '1HGCM82643A004352' })))).toBe('invalid_vin');
  });

  it("lets desk staff open a ticket for a customer on that customer's vehicle (409 for another's); technicians may not", async () => {
    const car = await app.as(ada.token).vehicles.create({ vin: uniqueVin() });
    const forAda = newTicket({ vin: undefined, vehicle_id: car.id, customer_id: ada.customer.id });
    expect(await app.as(owner.token).serviceTickets.open(forAda)).toMatchObject({ customer_id: ada.customer.id, vehicle: { id: car.id } });
    const forBob = { ...forAda, customer_id: bob.customer.id };
    expect(await reasonOf(app.as(owner.token).serviceTickets.open(forBob))).toBe('vehicle_owner_mismatch');
    expect(await reasonOf(app.as(technician.token).serviceTickets.open(forAda))).toBe('forbidden');
    expect(await reasonOf(app.as(owner.token).serviceTickets.open(newTicket({ vin: undefined, vehicle_id: car.id })))).toBe(
      'validation_failed',
    );
  });

  it('an account deleted with work done keeps the vehicles its kept tickets are on, and loses the others', async () => {
    const leaver = await signUpCustomer(app);
    const worked = await app.as(leaver.token).serviceTickets.open(newTicket());
    const spare = await app.as(leaver.token).vehicles.create({ plate: 'SPARE 1' });
    await app.as(owner.token).serviceTickets.edit({ id: worked.id, status: 'IN_PROGRESS' });
    await app.as(leaver.token).customers.delete({ id: leaver.customer.id });
    expect(await app.as(owner.token).vehicles.byId({ id: worked.vehicle.id })).toMatchObject({ customer_id: leaver.customer.id });
    expect(await reasonOf(app.as(owner.token).vehicles.byId({ id: spare.id }))).toBe('not_found');
  });
});

describe('vehicle events and audit', () => {
  it('emits vehicle.created with the vehicle as its routes show it, after its first reading', async () => {
    const vehicle = await app.as(owner.token).vehicles.create({ customer_id: ada.customer.id, vin: uniqueVin(), odometer: 42_000 });
    const events = await eventsAbout(app, { type: 'vehicle', id: vehicle.id });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'vehicle.created',
        actor: { kind: 'staff', id: owner.mechanic.id },
        subject: { type: 'vehicle', id: String(vehicle.id) },
        data: vehicle,
      }),
    ]);
    expect(events[0]!.data).toMatchObject({ odometer: 42_000 });
  });

  it('emits vehicle.created for a vehicle a ticket adds from its VIN', async () => {
    const ticket = await app.as(bob.token).serviceTickets.open(newTicket());
    const [event] = await eventsAbout(app, { type: 'vehicle', id: ticket.vehicle.id });
    expect(event).toMatchObject({ type: 'vehicle.created', actor: { kind: 'customer', id: bob.customer.id } });
  });

  it('audits changes with the fields before and after', async () => {
    const vehicle = await app.as(ada.token).vehicles.create({ plate: 'AUD 1', color: 'Red' });
    await app.as(ada.token).vehicles.update({ id: vehicle.id, color: 'Blue' });
    const trail = await app.as(owner.token).audit.list({ subject_type: 'vehicle', subject_id: String(vehicle.id) });
    expect(trail.items.map((entry) => entry.action)).toEqual(['vehicle.updated', 'vehicle.created']);
    expect(trail.items[0]!.changes).toEqual({ color: { before: 'Red', after: 'Blue' } });
    expect(trail.items[1]!.changes).toMatchObject({ plate: { before: null, after: 'AUD 1' } });
  });
});
