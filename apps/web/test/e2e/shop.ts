import { newCustomer, newMechanic, uniqueVin } from '@mechanic-shop/core/testing';
import { createMechanicShopClient, createSession, type MechanicShopClient } from '@mechanic-shop/sdk';

/** An account as the sign-in screen takes it. */
export interface Account {
  kind: 'staff' | 'customer';
  name: string;
  email: string;
  password: string;
}

export interface Shop {
  owner: Account;
  writer: Account;
  technician: Account;
  customer: Account;
  /** The owner's client, for what the flow sets up or reads back behind the screens. */
  api: MechanicShopClient;
  /** A part on the shelf that the estimate uses. */
  brakePads: { id: number; part_name: string };
}

/**
 * The shop the flow runs in, made over the SDK: the owner who opens it, a
 * service writer and a technician the owner adds, a customer who signed up,
 * and parts on the shelf. Everything after this happens through the screens.
 */
export async function openShop(url: string): Promise<Shop> {
  const anonymous = createMechanicShopClient({ url });
  const ownerInput = newMechanic({ name: 'Olive Owner' });
  await anonymous.mechanics.register.mutate(ownerInput);
  const api = createSession({ url, role: 'mechanic', email: ownerInput.email, password: ownerInput.password }).client;
  const writerInput = newMechanic({ name: 'Walter Writer', role: 'service_writer' });
  await api.mechanics.register.mutate(writerInput);
  const technicianInput = newMechanic({ name: 'Tess Technician', role: 'technician' });
  await api.mechanics.register.mutate(technicianInput);
  const customerInput = newCustomer({ name: 'Ada Lovelace' });
  await anonymous.customers.register.mutate(customerInput);
  // Parts are taxed and labor carries shop supplies, so that the screens show a tax breakdown.
  await api.shop.updateSettings.mutate({
    shop_name: 'Riverside Auto',
    tax_rates: { parts: '8.875' },
    shop_supplies: { percent_of_labor: '5', cap: '25.00' },
  });
  const brakePads = await api.inventory.create.mutate({
    part_name: 'Brake pad set',
    description: 'Front, ceramic',
    price: '49.90',
    quantity: 12,
  });
  // Another customer's visit, already waiting on the board.
  const grace = await anonymous.customers.register.mutate(newCustomer({ name: 'Grace Hopper' }));
  const vehicle = await api.vehicles.create.mutate({
    customer_id: grace.id,
    vin: uniqueVin(),
    year: 2015,
    make: 'Subaru',
    model: 'Outback',
  });
  await api.serviceTickets.open.mutate({ customer_id: grace.id, vehicle_id: vehicle.id, title: 'Oil change', service_date: today() });
  const account = (kind: Account['kind'], { name, email, password }: { name: string; email: string; password: string }): Account => ({
    kind,
    name,
    email,
    password,
  });
  return {
    owner: account('staff', ownerInput),
    writer: account('staff', writerInput),
    technician: account('staff', technicianInput),
    customer: account('customer', customerInput),
    api,
    brakePads,
  };
}

/** Today in UTC, as the API's dates are written (YYYY-MM-DD). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}
