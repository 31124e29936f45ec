import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAllEvents, type ProblemCode, type Role } from '@mechanic-shop/core';
import { TEST_JWT_SECRET, testTokenSettings } from '@mechanic-shop/core/testing';
import { everyRestRoute } from '../src/documents-routes.ts';
import { newCustomer, newMechanic, PASSWORD, registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type JsonResponse, type TestServer } from './server-harness.ts';
import { uniqueVin } from '@mechanic-shop/core/testing';

/*
 * OWASP API1 (object level) and API5 (function level) authorization: every REST
 * route, called by every kind of caller, answers exactly the status below, and
 * a refused caller gets problem details without anybody's data.
 */

/**
 * Who calls. The three tokens that must not authenticate are the owner's token
 * (the strongest one to forge) made expired with the right key, or signed with
 * another key. "customer" is the customer whose objects the call involves;
 * "technician" is the technician the call involves: assigned to the call's
 * ticket, and on `/mechanics/{id}` that account. "owner" (the account that
 * opened the shop) and "serviceWriter" are staff the call does not involve;
 * the two "other" accounts are bystanders ("otherTechnician" is assigned to no
 * ticket of the call).
 */
const CALLERS = [
  'none',
  'garbage',
  'expired',
  'otherKey',
  'customer',
  'otherCustomer',
  'owner',
  'serviceWriter',
  'technician',
  'otherTechnician',
] as const;
type Caller = (typeof CALLERS)[number];
type Staff = Extract<Caller, 'owner' | 'serviceWriter' | 'technician' | 'otherTechnician'>;
/** One status per caller, in the order of `CALLERS`. */
type StatusPerCaller<Callers extends readonly Caller[]> = { readonly [Index in keyof Callers]: number };
type Statuses = StatusPerCaller<typeof CALLERS>;

/**
 * A row per REST route; a route whose rule depends on what the request asks
 * has a row per kind of request, named after the route in parentheses.
 */
// Aligned by hand: the table is read by columns.
// prettier-ignore
const EXPECTED_STATUS = {
  //                                                   no token  garbage  expired  other key  customer  other customer  owner  service writer  technician  other technician
  'POST /customers':                                   [201,     201,     201,     201,       201,      201,            201,   201,            201,        201],
  'POST /customers/login':                             [200,     200,     200,     200,       200,      200,            200,   200,            200,        200],
  'GET /customers':                                    [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'GET /customers/my-tickets':                         [401,     401,     401,     401,       200,      200,            403,   403,            403,        403],
  'GET /customers/{id}':                               [401,     401,     401,     401,       200,      403,            200,   200,            200,        200],
  'PUT /customers/{id}':                               [401,     401,     401,     401,       200,      403,            403,   403,            403,        403],
  'DELETE /customers/{id}':                            [401,     401,     401,     401,       204,      403,            403,   403,            403,        403],
  'POST /mechanics':                                   [401,     401,     401,     401,       403,      403,            201,   403,            403,        403],
  'POST /mechanics/login':                             [200,     200,     200,     200,       200,      200,            200,   200,            200,        200],
  'GET /mechanics':                                    [200,     200,     200,     200,       200,      200,            200,   200,            200,        200],
  'GET /mechanics/top':                                [200,     200,     200,     200,       200,      200,            200,   200,            200,        200],
  'GET /mechanics/{id}':                               [200,     200,     200,     200,       200,      200,            200,   200,            200,        200],
  'PUT /mechanics/{id} (contact details)':             [401,     401,     401,     401,       403,      403,            200,   403,            200,        403],
  'PUT /mechanics/{id} (salary)':                      [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'PUT /mechanics/{id}/role':                          [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'DELETE /mechanics/{id}':                            [401,     401,     401,     401,       403,      403,            204,   403,            204,        403],
  'GET /me':                                           [401,     401,     401,     401,       200,      200,            200,   200,            200,        200],
  'POST /service_tickets (with a vin)':                [401,     401,     401,     401,       201,      201,            400,   400,            403,        403],
  'POST /service_tickets (with a vehicle_id)':         [401,     401,     401,     401,       201,      404,            400,   400,            403,        403],
  'POST /service_tickets (for a customer)':            [401,     401,     401,     401,       400,      400,            201,   201,            403,        403],
  'GET /service_tickets':                              [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'GET /service_tickets/{id}':                         [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'PUT /service_tickets/{id}/edit (mechanics, cost)':  [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'PUT /service_tickets/{id}/edit (status only)':      [401,     401,     401,     401,       403,      403,            200,   200,            200,        403],
  'DELETE /service_tickets/{id}':                      [401,     401,     401,     401,       403,      403,            204,   403,            403,        403],
  'POST /service_tickets/{id}/parts':                  [401,     401,     401,     401,       403,      403,            200,   200,            200,        403],
  'DELETE /service_tickets/{id}/parts/{inventory_id}': [401,     401,     401,     401,       403,      403,            204,   204,            204,        403],
  'POST /service_tickets/{id}/jobs':                    [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'PUT /service_tickets/{id}/jobs/{job_id} (title)':    [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'PUT /service_tickets/{id}/jobs/{job_id} (cause, correction)':
                                                       [401,     401,     401,     401,       403,      403,            200,   200,            200,        403],
  'DELETE /service_tickets/{id}/jobs/{job_id}':         [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (labor)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            201,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (labor with a rate)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (part)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            201,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (part with a unit_price)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (with a discount)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (fee)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'POST /service_tickets/{id}/jobs/{job_id}/lines (sublet)':
                                                       [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'PUT /service_tickets/{id}/jobs/{job_id}/lines/{line_id}':
                                                       [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'DELETE /service_tickets/{id}/jobs/{job_id}/lines/{line_id}':
                                                       [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'GET /shop/settings':                                [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'PUT /shop/settings':                                [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'POST /inventory':                                   [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'GET /inventory':                                    [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'GET /inventory/{id}':                               [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'PUT /inventory/{id}':                               [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'DELETE /inventory/{id}':                            [401,     401,     401,     401,       403,      403,            204,   204,            403,        403],
  'POST /assignments':                                 [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'GET /assignments':                                  [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'DELETE /assignments':                               [401,     401,     401,     401,       403,      403,            204,   204,            403,        403],
  'POST /vehicles (their own)':                        [401,     401,     401,     401,       201,      201,            400,   400,            403,        403],
  'POST /vehicles (for a customer)':                   [401,     401,     401,     401,       400,      400,            201,   201,            403,        403],
  'GET /vehicles':                                     [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'GET /vehicles/decode/{vin}':                        [401,     401,     401,     401,       200,      200,            200,   200,            200,        200],
  'GET /customers/my-vehicles':                        [401,     401,     401,     401,       200,      200,            403,   403,            403,        403],
  'GET /vehicles/{id}':                                [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'PUT /vehicles/{id} (details)':                      [401,     401,     401,     401,       200,      404,            200,   200,            403,        403],
  'PUT /vehicles/{id} (change of owner)':              [401,     401,     401,     401,       403,      403,            200,   200,            403,        403],
  'DELETE /vehicles/{id}':                             [401,     401,     401,     401,       204,      404,            204,   204,            403,        403],
  'POST /vehicles/{id}/odometer':                      [401,     401,     401,     401,       403,      403,            201,   201,            201,        201],
  'GET /vehicles/{id}/odometer':                       [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'GET /vehicles/{id}/history':                        [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'POST /service_tickets/{id}/approvals (in the portal)':
                                                       [401,     401,     401,     401,       201,      404,            400,   400,            403,        403],
  "POST /service_tickets/{id}/approvals (on the customer's behalf)":
                                                       [401,     401,     401,     401,       400,      400,            201,   201,            403,        403],
  'GET /service_tickets/{id}/approvals':               [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'GET /invoices/{number}/pdf':                        [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'GET /service_tickets/{id}/estimate/pdf':            [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'GET /reports/sales':                                [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'POST /webhooks':                                    [401,     401,     401,     401,       403,      403,            201,   403,            403,        403],
  'GET /webhooks':                                     [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'GET /webhooks/{id}':                                [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'PATCH /webhooks/{id}':                              [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'DELETE /webhooks/{id}':                             [401,     401,     401,     401,       403,      403,            204,   403,            403,        403],
  'POST /webhooks/{id}/rotate_secret':                 [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'POST /webhooks/{id}/test':                          [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'GET /webhooks/{id}/deliveries':                     [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'POST /webhooks/{id}/deliveries/{delivery_id}/retry':
                                                       [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'GET /events':                                       [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'GET /audit':                                        [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'GET /service_tickets/{id}/history':                 [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'POST /service_tickets/{id}/approval_link':          [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'GET /approvals/{token}':                            [200,     200,     200,     200,       200,      200,            200,   200,            200,        200],
  'POST /approvals/{token}':                           [201,     201,     201,     201,       201,      201,            201,   201,            201,        201],
  'GET /declined_work':                                [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'POST /declined_work/{job_id}/revive':               [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'POST /service_tickets/{id}/invoice':                [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'GET /invoices':                                     [401,     401,     401,     401,       403,      403,            200,   200,            200,        200],
  'GET /customers/my-invoices':                        [401,     401,     401,     401,       200,      200,            403,   403,            403,        403],
  'GET /invoices/{number}':                            [401,     401,     401,     401,       200,      404,            200,   200,            200,        200],
  'POST /invoices/{number}/void':                      [401,     401,     401,     401,       403,      403,            200,   403,            403,        403],
  'POST /invoices/{number}/payments':                  [401,     401,     401,     401,       403,      403,            201,   201,            403,        403],
  'POST /payments/{id}/refunds':                       [401,     401,     401,     401,       403,      403,            201,   403,            403,        403],
} satisfies Record<string, Statuses>;

type Row = keyof typeof EXPECTED_STATUS;
/** The REST route of a row: `PUT /mechanics/{id} (salary)` → `PUT /mechanics/{id}`. */
const routeOf = (row: string) => row.replace(/ \(.*\)$/, '');

interface Account {
  id: number;
  email: string;
  token: string;
}

/**
 * The accounts of one call, and what the others must not see. Calls share the
 * accounts and never change them: a call that changes or deletes an account
 * gets one of its own (`customerOfItsOwn`, `technicianOfItsOwn`), and each set-up makes the
 * objects its call reads or consumes. So no call depends on another's.
 */
interface Scene extends Record<Exclude<Caller, 'none' | 'garbage' | 'expired' | 'otherKey'>, Account> {
  /** Values only the customer and staff may see: the customer's account, and the tickets made for them. */
  customerData: string[];
  /** Values only staff may see: the staff's contact details. */
  staffData: string[];
  /** Values only one staff account and the owner may see: each account's salary. */
  salaries: Partial<Record<Staff, string>>;
  /** Values only owners and service writers may see: what the shop pays for sublet work. */
  subletCosts: string[];
}

interface Call {
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
}

/** Per row, a request that succeeds for the authorized callers; its set-up makes what the call reads or consumes. */
const REQUESTS: Record<Row, (scene: Scene) => Call | Promise<Call>> = {
  'POST /customers': () => ({ path: '/customers', json: newCustomer() }),
  'POST /customers/login': ({ customer }) => ({ path: '/customers/login', json: { email: customer.email, password: PASSWORD } }),
  'GET /customers': () => ({ path: '/customers' }),
  'GET /customers/my-tickets': async (scene) => {
    await openTicket(scene);
    return { path: '/customers/my-tickets' };
  },
  'GET /customers/{id}': ({ customer }) => ({ path: `/customers/${customer.id}` }),
  'PUT /customers/{id}': async (scene) => ({
    path: `/customers/${(await customerOfItsOwn(scene)).id}`,
    json: { phone: '+44 20 7946 0001' },
  }),
  'DELETE /customers/{id}': async (scene) => {
    const customer = await customerOfItsOwn(scene);
    await openTicket(scene);
    return { path: `/customers/${customer.id}` };
  },
  'POST /mechanics': () => ({ path: '/mechanics', json: newMechanic({ role: 'technician' }) }),
  'POST /mechanics/login': ({ technician }) => ({ path: '/mechanics/login', json: { email: technician.email, password: PASSWORD } }),
  'GET /mechanics': () => ({ path: '/mechanics?per_page=100' }),
  'GET /mechanics/top': () => ({ path: '/mechanics/top' }),
  'GET /mechanics/{id}': ({ technician }) => ({ path: `/mechanics/${technician.id}` }),
  'PUT /mechanics/{id} (contact details)': async (scene) => ({
    path: `/mechanics/${(await technicianOfItsOwn(scene)).id}`,
    json: { phone: '+1 555 0101' },
  }),
  'PUT /mechanics/{id} (salary)': async (scene) => ({
    path: `/mechanics/${(await technicianOfItsOwn(scene)).id}`,
    json: { salary: '99999.99' },
  }),
  'PUT /mechanics/{id}/role': async (scene) => ({
    path: `/mechanics/${(await technicianOfItsOwn(scene)).id}/role`,
    json: { role: 'service_writer' },
  }),
  'DELETE /mechanics/{id}': async (scene) => ({ path: `/mechanics/${(await technicianOfItsOwn(scene)).id}` }),
  'GET /me': () => ({ path: '/me' }),
  'POST /service_tickets (with a vin)': () => ({ path: '/service_tickets', json: ticketBody() }),
  'POST /service_tickets (with a vehicle_id)': async (scene) => ({
    path: '/service_tickets',
    json: { ...ticketDetails(), vehicle_id: await customerVehicle(scene) },
  }),
  'POST /service_tickets (for a customer)': async (scene) => ({
    path: '/service_tickets',
    json: { ...ticketDetails(), customer_id: scene.customer.id, vehicle_id: await customerVehicle(scene) },
  }),
  'GET /service_tickets': async (scene) => {
    await assignedTicket(scene);
    return { path: `/service_tickets?customer_id=${scene.customer.id}` };
  },
  'GET /service_tickets/{id}': async (scene) => ({ path: `/service_tickets/${(await estimatedTicket(scene)).ticketId}` }),
  'PUT /service_tickets/{id}/edit (mechanics, cost)': async (scene) => ({
    path: `/service_tickets/${await assignedTicket(scene)}/edit`,
    json: { add_ids: [scene.otherTechnician.id], status: 'IN_PROGRESS', cost: '120.00' },
  }),
  'PUT /service_tickets/{id}/edit (status only)': async (scene) => ({
    path: `/service_tickets/${await assignedTicket(scene)}/edit`,
    json: { status: 'IN_PROGRESS' },
  }),
  'DELETE /service_tickets/{id}': async (scene) => ({ path: `/service_tickets/${await assignedTicket(scene)}` }),
  'POST /service_tickets/{id}/parts': async (scene) => ({
    path: `/service_tickets/${await assignedTicket(scene)}/parts`,
    json: { inventory_id: await stockPart(scene), quantity: 2 },
  }),
  'DELETE /service_tickets/{id}/parts/{inventory_id}': async (scene) => {
    const ticketId = await assignedTicket(scene);
    const partId = await stockPart(scene);
    await made(200, 'POST', `/service_tickets/${ticketId}/parts`, {
      token: scene.owner.token,
      json: { inventory_id: partId, quantity: 2 },
    });
    return { path: `/service_tickets/${ticketId}/parts/${partId}` };
  },
  'POST /service_tickets/{id}/jobs': async (scene) => ({
    path: `/service_tickets/${(await estimatedTicket(scene)).ticketId}/jobs`,
    json: { title: 'Alignment', concern: 'Pulls to the left', pay_type: 'customer' },
  }),
  'PUT /service_tickets/{id}/jobs/{job_id} (title)': async (scene) => ({
    path: (await estimatedTicket(scene)).jobPath,
    json: { title: 'Front brakes and rotors', pay_type: 'warranty' },
  }),
  'PUT /service_tickets/{id}/jobs/{job_id} (cause, correction)': async (scene) => ({
    path: (await estimatedTicket(scene)).jobPath,
    json: { cause: 'Pads worn to the backing plate', correction: 'Replaced the front pads' },
  }),
  'DELETE /service_tickets/{id}/jobs/{job_id}': async (scene) => ({ path: (await estimatedTicket(scene)).jobPath }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (labor)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'labor', description: 'Replace front pads', hours: '1.50', technician_id: scene.technician.id },
  }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (labor with a rate)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'labor', description: 'Replace front pads', hours: '1.50', rate: '99.99' },
  }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (part)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'part', inventory_id: await stockPart(scene), quantity: 2 },
  }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (part with a unit_price)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'part', inventory_id: await stockPart(scene), quantity: 2, unit_price: '45.00' },
  }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (with a discount)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'labor', description: 'Replace front pads', hours: '1.50', discount: { percent: '10.00' } },
  }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (fee)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'fee', description: 'Hazardous waste disposal', amount: '3.50', taxable: false },
  }),
  'POST /service_tickets/{id}/jobs/{job_id}/lines (sublet)': async (scene) => ({
    path: `${(await estimatedTicket(scene)).jobPath}/lines`,
    json: { type: 'sublet', description: 'Alignment at Straight Line Co', amount: '89.00', cost: uniqueCost(scene) },
  }),
  'PUT /service_tickets/{id}/jobs/{job_id}/lines/{line_id}': async (scene) => ({
    path: (await estimatedTicket(scene)).linePath,
    json: { amount: '4100.00', discount: { amount: '100.00' } },
  }),
  'DELETE /service_tickets/{id}/jobs/{job_id}/lines/{line_id}': async (scene) => ({ path: (await estimatedTicket(scene)).linePath }),
  'GET /shop/settings': () => ({ path: '/shop/settings' }),
  'PUT /shop/settings': () => ({ path: '/shop/settings', json: { labor_rate: '120.00' } }),
  'POST /inventory': () => ({ path: '/inventory', json: partBody() }),
  'GET /inventory': async (scene) => {
    await stockPart(scene);
    return { path: '/inventory' };
  },
  'GET /inventory/{id}': async (scene) => ({ path: `/inventory/${await stockPart(scene)}` }),
  'PUT /inventory/{id}': async (scene) => ({ path: `/inventory/${await stockPart(scene)}`, json: { price: '52.00', quantity: 7 } }),
  'DELETE /inventory/{id}': async (scene) => ({ path: `/inventory/${await stockPart(scene)}` }),
  'POST /assignments': async (scene) => ({
    path: '/assignments',
    json: { service_ticket_id: await openTicket(scene), mechanic_id: scene.technician.id },
  }),
  'GET /assignments': async (scene) => ({ path: `/assignments?service_ticket_id=${await assignedTicket(scene)}` }),
  'DELETE /assignments': async (scene) => ({
    path: `/assignments?service_ticket_id=${await assignedTicket(scene)}&mechanic_id=${scene.technician.id}`,
  }),
  'POST /vehicles (their own)': () => ({ path: '/vehicles', json: vehicleBody() }),
  'POST /vehicles (for a customer)': ({ customer }) => ({ path: '/vehicles', json: { ...vehicleBody(), customer_id: customer.id } }),
  'GET /vehicles': async (scene) => {
    await customerVehicle(scene);
    return { path: `/vehicles?customer_id=${scene.customer.id}` };
  },
  'GET /vehicles/decode/{vin}': () => ({ path: `/vehicles/decode/${uniqueVin()}` }),
  'GET /customers/my-vehicles': async (scene) => {
    await customerVehicle(scene);
    return { path: '/customers/my-vehicles' };
  },
  'GET /vehicles/{id}': async (scene) => ({ path: `/vehicles/${await customerVehicle(scene)}` }),
  'PUT /vehicles/{id} (details)': async (scene) => ({
    path: `/vehicles/${await customerVehicle(scene)}`,
    json: { color: 'Midnight blue' },
  }),
  'PUT /vehicles/{id} (change of owner)': async (scene) => ({
    path: `/vehicles/${await customerVehicle(scene)}`,
    json: { customer_id: (await registerCustomer(server)).id },
  }),
  'DELETE /vehicles/{id}': async (scene) => ({ path: `/vehicles/${await customerVehicle(scene)}` }),
  'POST /vehicles/{id}/odometer': async (scene) => ({
    path: `/vehicles/${await customerVehicle(scene)}/odometer`,
    json: { reading: 42_000, unit: 'mi' },
  }),
  'GET /vehicles/{id}/odometer': async (scene) => ({ path: `/vehicles/${await customerVehicle(scene)}/odometer` }),
  'GET /vehicles/{id}/history': async (scene) => {
    const vehicleId = await customerVehicle(scene);
    await made(201, 'POST', '/service_tickets', { token: scene.customer.token, json: { ...ticketDetails(), vehicle_id: vehicleId } });
    return { path: `/vehicles/${vehicleId}/history` };
  },
  // A customer approves without saying how (400 when staff leave the method out); staff say how (400 for a customer).
  'POST /service_tickets/{id}/approvals (in the portal)': (scene) => approvalOfJob(scene),
  "POST /service_tickets/{id}/approvals (on the customer's behalf)": async (scene) => {
    const call = await approvalOfJob(scene);
    return { ...call, json: { ...call.json, method: 'in_person' } };
  },
  'GET /service_tickets/{id}/approvals': async (scene) => {
    const { path, json } = await approvalOfJob(scene);
    await made(201, 'POST', path, { token: scene.owner.token, json: { ...json, method: 'phone', ...PHONE_CONTACT } });
    return { path };
  },
  'POST /service_tickets/{id}/approval_link': async (scene) => ({
    path: `/service_tickets/${(await estimatedTicket(scene)).ticketId}/approval_link`,
    json: {},
  }),
  // The token stands for the customer: whoever holds it sees the estimate, and no one's contact details or the sublet cost.
  'GET /approvals/{token}': async (scene) => ({ path: `/approvals/${(await approvalLink(scene)).token}` }),
  'POST /approvals/{token}': async (scene) => {
    const { token, jobId } = await approvalLink(scene);
    return { path: `/approvals/${token}`, json: { decisions: [{ job_id: jobId, decision: 'approve' }], signature_name: 'A. Holder' } };
  },
  'GET /declined_work': async (scene) => {
    await declinedJob(scene);
    return { path: `/declined_work?customer_id=${scene.customer.id}` };
  },
  'POST /declined_work/{job_id}/revive': async (scene) => ({ path: `/declined_work/${await declinedJob(scene)}/revive`, json: {} }),
  'GET /invoices/{number}/pdf': async (scene) => ({ path: `/invoices/${await issuedInvoice(scene)}/pdf` }),
  'GET /service_tickets/{id}/estimate/pdf': async (scene) => ({
    path: `/service_tickets/${(await estimatedTicket(scene)).ticketId}/estimate/pdf`,
  }),
  'GET /reports/sales': () => ({ path: '/reports/sales?from=2026-01-01&to=2026-12-31' }),
  'POST /webhooks': () => ({ path: '/webhooks', json: { url: WEBHOOK_URL, event_types: ['invoice.issued'] } }),
  'GET /webhooks': async (scene) => {
    await webhook(scene);
    return { path: '/webhooks' };
  },
  'GET /webhooks/{id}': async (scene) => ({ path: `/webhooks/${await webhook(scene)}` }),
  'PATCH /webhooks/{id}': async (scene) => ({ path: `/webhooks/${await webhook(scene)}`, json: { description: 'Accounting' } }),
  'DELETE /webhooks/{id}': async (scene) => ({ path: `/webhooks/${await webhook(scene)}` }),
  'POST /webhooks/{id}/rotate_secret': async (scene) => ({ path: `/webhooks/${await webhook(scene)}/rotate_secret`, json: {} }),
  'POST /webhooks/{id}/test': async (scene) => ({ path: `/webhooks/${await webhook(scene)}/test`, json: {} }),
  'GET /webhooks/{id}/deliveries': async (scene) => ({ path: `/webhooks/${(await webhookDelivery(scene)).webhookId}/deliveries` }),
  'POST /webhooks/{id}/deliveries/{delivery_id}/retry': async (scene) => {
    const { webhookId, deliveryId } = await webhookDelivery(scene);
    return { path: `/webhooks/${webhookId}/deliveries/${deliveryId}/retry`, json: {} };
  },
  'GET /events': () => ({ path: '/events?types=ticket.created&limit=10' }),
  'GET /audit': () => ({ path: '/audit?subject_type=service_ticket&per_page=5' }),
  'GET /service_tickets/{id}/history': async (scene) => ({ path: `/service_tickets/${await openTicket(scene)}/history` }),
  'POST /service_tickets/{id}/invoice': async (scene) => ({ path: `/service_tickets/${await completedTicket(scene)}/invoice`, json: {} }),
  'GET /invoices': async (scene) => {
    await issuedInvoice(scene);
    return { path: `/invoices?customer_id=${scene.customer.id}` };
  },
  'GET /customers/my-invoices': async (scene) => {
    await issuedInvoice(scene);
    return { path: '/customers/my-invoices' };
  },
  'GET /invoices/{number}': async (scene) => ({ path: `/invoices/${await issuedInvoice(scene)}` }),
  'POST /invoices/{number}/void': async (scene) => ({
    path: `/invoices/${await issuedInvoice(scene)}/void`,
    json: { reason: 'Duplicate' },
  }),
  'POST /invoices/{number}/payments': async (scene) => ({
    path: `/invoices/${await issuedInvoice(scene)}/payments`,
    json: { amount: '100.00', method: 'cash' },
    headers: newIdempotencyKey(),
  }),
  'POST /payments/{id}/refunds': async (scene) => ({
    path: `/payments/${await receivedPayment(scene)}/refunds`,
    json: { amount: '25.00', reason: 'Goodwill' },
    headers: newIdempotencyKey(),
  }),
};

let server: TestServer;
let shared: Scene;

let salarySerial = 0;
/** A salary nobody else has, to look for in answers. */
const uniqueSalary = () => `6${String(++salarySerial).padStart(4, '0')}.57`;

beforeAll(async () => {
  server = await startTestServer();
  // The first account opens the shop as its owner: from then on, only the owner adds staff.
  const owner = await registerMechanic(server);
  const serviceWriter = await registerMechanic(server, { role: 'service_writer' });
  const technician = await registerMechanic(server, { role: 'technician' });
  const otherTechnician = await registerMechanic(server, { role: 'technician' });
  const customer = await registerNamedCustomer();
  const otherCustomer = await registerCustomer(server);
  const staff = { owner, serviceWriter, technician, otherTechnician };
  const salaries: Scene['salaries'] = {};
  // Only the owner sets salaries, their own included.
  for (const [name, account] of Object.entries(staff) as Array<[Staff, Account]>) {
    salaries[name] = uniqueSalary();
    await made(200, 'PUT', `/mechanics/${account.id}`, { token: owner.token, json: { salary: salaries[name] } });
  }
  shared = {
    ...staff,
    customer,
    otherCustomer,
    customerData: [customer.name, customer.email],
    staffData: Object.values(staff).map((account) => account.email),
    salaries,
    subletCosts: [],
  };
});
afterAll(() => server.close());

const ticketDetails = () => ({ title: `Brakes squeal ${randomUUID()}`, description: 'Front', service_date: '2026-12-01' });
const ticketBody = () => ({ ...ticketDetails(), vin: uniqueVin() });
const vehicleBody = () => ({ vin: uniqueVin(), plate: `P ${randomUUID().slice(0, 8).toUpperCase()}`, model: 'Accord' });
const partBody = () => ({ part_name: 'Brake pad set', description: 'Front, ceramic', price: '49.90', quantity: 5 });

/** The scene of one call: the shared accounts, until the call's set-up replaces one. */
const stage = (): Scene => ({
  ...shared,
  customerData: [...shared.customerData],
  staffData: [...shared.staffData],
  salaries: { ...shared.salaries },
  subletCosts: [],
});

/** A customer with a name nobody else has, to look for in answers. */
async function registerNamedCustomer() {
  const name = `Customer ${randomUUID()}`;
  return { ...(await registerCustomer(server, { name })), name };
}

/** For a call that changes or deletes the customer's account: a customer of its own. */
async function customerOfItsOwn(scene: Scene): Promise<Account> {
  const customer = await registerNamedCustomer();
  scene.customerData.push(customer.name, customer.email);
  return (scene.customer = customer);
}

/** For a call that changes or deletes the technician's account: a technician of its own. */
async function technicianOfItsOwn(scene: Scene): Promise<Account> {
  const salary = uniqueSalary();
  const technician = await registerMechanic(server, { role: 'technician', salary }, scene.owner.token);
  scene.staffData.push(technician.email);
  scene.salaries.technician = salary;
  return (scene.technician = technician);
}

/** A set-up request that must succeed with `status`; its body. */
async function made(status: number, method: string, path: string, options: { token: string; json?: unknown }) {
  const response = await request(server, method, path, options);
  if (response.status !== status) throw new Error(`set-up ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A public address literally: the URL check needs no DNS, and no delivery worker runs in this server. */
const WEBHOOK_URL = 'https://93.184.215.14/hook';

/** A webhook of the owner's; its id. */
async function webhook(scene: Scene): Promise<number> {
  const json = { url: WEBHOOK_URL, event_types: ['invoice.issued'] };
  return (await made(201, 'POST', '/webhooks', { token: scene.owner.token, json })).id;
}

/** A webhook with one delivery (of its test event, published here: this server runs no publisher). */
async function webhookDelivery(scene: Scene): Promise<{ webhookId: number; deliveryId: number }> {
  const webhookId = await webhook(scene);
  await made(200, 'POST', `/webhooks/${webhookId}/test`, { token: scene.owner.token, json: {} });
  await publishAllEvents(server.app.services);
  const { items } = await made(200, 'GET', `/webhooks/${webhookId}/deliveries`, { token: scene.owner.token });
  return { webhookId, deliveryId: items[0].id };
}

/** A ticket of the scene's customer, with no mechanic; its id. */
async function openTicket(scene: Scene): Promise<number> {
  const body = ticketBody();
  scene.customerData.push(body.title, body.vin);
  return (await made(201, 'POST', '/service_tickets', { token: scene.customer.token, json: body })).id;
}

/** A vehicle of the scene's customer, without tickets; its id. */
async function customerVehicle(scene: Scene): Promise<number> {
  const body = vehicleBody();
  scene.customerData.push(body.vin, body.plate);
  return (await made(201, 'POST', '/vehicles', { token: scene.customer.token, json: body })).id;
}

/** A ticket of the scene's customer with the scene's technician assigned to it; the ticket's id. */
async function assignedTicket(scene: Scene): Promise<number> {
  const ticketId = await openTicket(scene);
  await made(201, 'POST', '/assignments', {
    token: scene.owner.token,
    json: { service_ticket_id: ticketId, mechanic_id: scene.technician.id },
  });
  return ticketId;
}

let costSerial = 0;
/** A sublet cost nobody else has, to look for in answers; kept among the scene's. */
function uniqueCost(scene: Scene): string {
  const cost = `3${String(++costSerial).padStart(3, '0')}.71`;
  scene.subletCosts.push(cost);
  return cost;
}

/**
 * An assigned ticket (`assignedTicket`) with a job whose one line is sublet
 * work at a cost only owners and service writers may see; the paths of its job and line.
 */
async function estimatedTicket(scene: Scene) {
  const ticketId = await assignedTicket(scene);
  const withJob = await made(201, 'POST', `/service_tickets/${ticketId}/jobs`, { token: scene.owner.token, json: { title: 'Windshield' } });
  const jobPath = `/service_tickets/${ticketId}/jobs/${withJob.jobs[0].id}`;
  const withLine = await made(201, 'POST', `${jobPath}/lines`, {
    token: scene.owner.token,
    json: { type: 'sublet', description: 'Windshield by Clear View Glass', amount: '4000.00', cost: uniqueCost(scene) },
  });
  return { ticketId, jobPath, linePath: `${jobPath}/lines/${withLine.jobs[0].lines[0].id}` };
}

const PHONE_CONTACT = { contact_name: 'A. Holder', contact_phone: '+1 555 0142' };

/** The approval of an estimated ticket's job (`estimatedTicket`) at the version it is at: its path and body, without a method. */
async function approvalOfJob(scene: Scene): Promise<{ path: string; json: Record<string, unknown> }> {
  const { ticketId } = await estimatedTicket(scene);
  const { estimate_version, jobs } = await made(200, 'GET', `/service_tickets/${ticketId}`, { token: scene.owner.token });
  return {
    path: `/service_tickets/${ticketId}/approvals`,
    json: { estimate_version, decisions: [{ job_id: jobs[0].id, decision: 'approve' }], signature_name: 'A. Holder' },
  };
}

/** An approval link the owner made for an estimated ticket (`estimatedTicket`): its token, and the id of the ticket's job. */
async function approvalLink(scene: Scene): Promise<{ token: string; jobId: number }> {
  const { ticketId, jobPath } = await estimatedTicket(scene);
  const { token } = await made(201, 'POST', `/service_tickets/${ticketId}/approval_link`, { token: scene.owner.token, json: {} });
  return { token, jobId: Number(jobPath.split('/').at(-1)) };
}

/** The job of an estimated ticket, declined by its customer through an approval link; the job's id. */
async function declinedJob(scene: Scene): Promise<number> {
  const { token, jobId } = await approvalLink(scene);
  await made(201, 'POST', `/approvals/${token}`, {
    token: scene.owner.token,
    json: { decisions: [{ job_id: jobId, decision: 'decline', reason: 'Later' }], signature_name: 'A. Holder' },
  });
  return jobId;
}

/** An estimated ticket (`estimatedTicket`) approved, worked and completed: ready to invoice; its id. */
async function completedTicket(scene: Scene): Promise<number> {
  const { ticketId } = await estimatedTicket(scene);
  const staff = { token: scene.owner.token };
  const { estimate_version, jobs } = await made(200, 'GET', `/service_tickets/${ticketId}`, staff);
  await made(201, 'POST', `/service_tickets/${ticketId}/approvals`, {
    ...staff,
    json: { estimate_version, decisions: [{ job_id: jobs[0].id, decision: 'approve' }], signature_name: 'Customer', method: 'in_person' },
  });
  for (const status of ['IN_PROGRESS', 'COMPLETED'])
    await made(200, 'PUT', `/service_tickets/${ticketId}/edit`, { ...staff, json: { status } });
  return ticketId;
}

/** An invoice of the scene's customer, for a completed ticket (`completedTicket`); its number. */
async function issuedInvoice(scene: Scene): Promise<string> {
  const ticketId = await completedTicket(scene);
  return (await made(201, 'POST', `/service_tickets/${ticketId}/invoice`, { token: scene.owner.token, json: {} })).number;
}

/** A payment and a refund need an Idempotency-Key of their own. */
const newIdempotencyKey = () => ({ 'idempotency-key': randomUUID() });

/** A payment of 100.00 on an invoice of the scene's customer (`issuedInvoice`); its id. */
async function receivedPayment(scene: Scene): Promise<number> {
  const json = { amount: '100.00', method: 'card', reference: 'ch_3MmlLrLkdIwHu7ix' };
  const path = `/invoices/${await issuedInvoice(scene)}/payments`;
  const response = await request(server, 'POST', path, { token: scene.owner.token, json, headers: newIdempotencyKey() });
  if (response.status !== 201) throw new Error(`set-up POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** An inventory item with stock; its id. */
async function stockPart(scene: Scene): Promise<number> {
  return (await made(201, 'POST', '/inventory', { token: scene.owner.token, json: partBody() })).id;
}

const ANOTHER_SECRET = 'another-secret-that-is-at-least-32-bytes-long';

/** A token like the server's own for `principal`, signed with `secret`, valid for an hour from `issuedAt` (seconds). */
function forgeToken(principal: { role: Role; id: number }, secret: string, issuedAt: number): Promise<string> {
  return new SignJWT({ role: principal.role, ver: 0 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(principal.id))
    .setIssuer(testTokenSettings.issuer)
    .setAudience(testTokenSettings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 3600)
    .sign(new TextEncoder().encode(secret));
}

const now = () => Math.floor(Date.now() / 1000);

async function tokenOf(caller: Caller, scene: Scene): Promise<string | undefined> {
  const owner = { role: 'mechanic' as const, id: scene.owner.id };
  switch (caller) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'not-a-token';
    case 'expired':
      return forgeToken(owner, TEST_JWT_SECRET, now() - 2 * 3600);
    case 'otherKey':
      return forgeToken(owner, ANOTHER_SECRET, now());
    default:
      return scene[caller].token;
  }
}

/** RFC 6750 §3: what each rejected kind of token is told. */
const CHALLENGES: Partial<Record<Caller, string>> = {
  none: 'Bearer',
  garbage: 'Bearer error="invalid_token", error_description="invalid"',
  expired: 'Bearer error="invalid_token", error_description="expired"',
  otherKey: 'Bearer error="invalid_token", error_description="invalid"',
};

// A 400 in the table: the request names a field that is not this caller's to send (staff's customer_id), or lacks one it must.
const REFUSALS: Record<number, ProblemCode> = { 400: 'validation_failed', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };
const STAFF: ReadonlySet<Caller> = new Set<Staff>(['owner', 'serviceWriter', 'technician', 'otherTechnician']);
const PROBLEM_FIELDS = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'request_id']);

function expectNoDataFor(caller: Caller, scene: Scene, response: JsonResponse) {
  const text = JSON.stringify(response.body ?? null);
  const hidden = [
    ...(STAFF.has(caller) ? [] : scene.staffData),
    ...(STAFF.has(caller) || caller === 'customer' ? [] : scene.customerData),
    // The owner sees every salary; anyone else their own only.
    ...(caller === 'owner' ? [] : Object.entries(scene.salaries).flatMap(([account, salary]) => (account === caller ? [] : [salary]))),
    ...(caller === 'owner' || caller === 'serviceWriter' ? [] : scene.subletCosts),
  ];
  for (const value of hidden) expect(text, `shows ${value}`).not.toContain(value);
}

function expectRefusal(caller: Caller, response: JsonResponse, status: number) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, code: REFUSALS[status] });
  expect(Object.keys(response.body).filter((field) => !PROBLEM_FIELDS.has(field))).toEqual([]);
  if (status === 401) expect(response.headers.get('www-authenticate')).toBe(CHALLENGES[caller]);
}

describe('the authorization matrix', () => {
  it('has a row for each REST route', () => {
    const routes = everyRestRoute().map(({ method, path }) => `${method} ${path}`);
    const rows = Object.keys(EXPECTED_STATUS);
    // Named, not counted: the failure says which row to add or remove.
    expect({
      'routes without a row': routes.filter((route) => !rows.some((row) => routeOf(row) === route)),
      'rows without a route': rows.filter((row) => !routes.includes(routeOf(row))),
    }).toEqual({ 'routes without a row': [], 'rows without a route': [] });
  });

  it('refuses the forged tokens for what they test only: forged with the right key and time, a token works', async () => {
    const token = await forgeToken({ role: 'mechanic', id: shared.owner.id }, TEST_JWT_SECRET, now());
    expect((await request(server, 'GET', '/customers', { token })).status).toBe(200);
  });

  it("answers another customer's ticket as a ticket that does not exist: ids reveal nothing", async () => {
    const ticketId = await openTicket(stage());
    const missingId = ticketId + 1_000_000;
    const answer = async (id: number) => {
      const { status, body } = await request(server, 'GET', `/service_tickets/${id}`, { token: shared.otherCustomer.token });
      return { status, body: { ...body, detail: body.detail.replace(String(id), '{id}'), request_id: undefined } };
    };
    expect(await answer(ticketId)).toEqual(await answer(missingId));
  });

  it('tells a refused staff member why: the roles the route needs, or that the ticket is not assigned to them', async () => {
    const scene = stage();
    const ticketId = await assignedTicket(scene);
    const byServiceWriter = await request(server, 'DELETE', `/service_tickets/${ticketId}`, { token: scene.serviceWriter.token });
    expect(byServiceWriter.body).toMatchObject({ status: 403, code: 'forbidden', detail: expect.stringContaining('owner') });
    const byOtherTechnician = await request(server, 'PUT', `/service_tickets/${ticketId}/edit`, {
      token: scene.otherTechnician.token,
      json: { status: 'IN_PROGRESS' },
    });
    expect(byOtherTechnician.body).toMatchObject({
      status: 403,
      code: 'forbidden',
      detail: expect.stringContaining('not assigned to this ticket'),
    });
  });

  describe.each(Object.keys(EXPECTED_STATUS) as Row[])('%s', (row) => {
    const method = row.slice(0, row.indexOf(' '));
    const cases = CALLERS.map((caller, index) => ({ caller, status: EXPECTED_STATUS[row][index]! }));
    it.each(cases)('$caller → $status', async ({ caller, status }) => {
      const scene = stage();
      const call = await REQUESTS[row](scene);
      const response = await request(server, method, call.path, {
        token: await tokenOf(caller, scene),
        json: call.json,
        headers: call.headers,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expectNoDataFor(caller, scene, response);
      if (status >= 400) expectRefusal(caller, response, status);
    });
  });
});
