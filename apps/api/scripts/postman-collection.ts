import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertV2, type Options } from 'openapi-to-postmanv2';
import { appRouter } from '@mechanic-shop/core';
import { buildOpenApiDocument } from '../src/rest/openapi.ts';

/** The committed collection, at the repository root. */
export const COLLECTION_FILE = fileURLToPath(new URL('../../../postman_collection.json', import.meta.url));

/** Where the collection sends requests unless told otherwise: the server's default address. */
const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

type Caller = 'founder' | 'mechanic' | 'technician' | 'customer';

/** One request of the flow. Values may use the collection variables stored by earlier steps, as `{{name}}`. */
interface Step {
  /** The operation of the OpenAPI document, as `METHOD /path`. */
  operation: string;
  /** Instead of the operation's summary, where the flow uses the operation for a purpose of its own. */
  name?: string;
  /** Whose bearer token goes with the request; none: no Authorization header. */
  as?: Caller;
  path?: Record<string, string>;
  /** The query parameters sent; the operation's others are listed, unchecked and empty. */
  query?: Record<string, string>;
  /**
   * The JSON body. A string that is only `{{<name>_id}}` or `{{<name>_version}}` is sent as the bare value: the ids
   * and versions stored are numbers.
   */
  body?: Record<string, unknown>;
  /** Values of the operation's header parameters, e.g. `Idempotency-Key` (`{{$guid}}`: a new UUID on each run). */
  headers?: Record<string, string>;
  /** The expected status, or the statuses that are all fine. */
  status: number | number[];
  /** Collection variables to set from fields of the JSON response: variable → field. */
  store?: Record<string, string>;
}

interface Folder {
  name: string;
  description: string;
  steps: Step[];
}

const PASSWORD = 'a long secret phrase';
/** The account that opens a new shop, its owner; on a shop that has staff already, set `founder_email` and `founder_password` to an owner's login. */
const FOUNDER = { name: 'Grace Hopper', email: 'founder@shop.example', phone: '+1 555 0100', address: '1 Cobol Way' };
// `{{run}}` is new on every run (set by the first request): a run never meets the accounts of an earlier one.
const MECHANIC = { name: 'Katherine Johnson', email: 'katherine.{{run}}@shop.example', phone: '+1 555 0102', address: '3 Orbit Lane' };
const TECHNICIAN = { name: 'Mary Jackson', email: 'mary.{{run}}@shop.example', phone: '+1 555 0103', address: '4 Wind Tunnel Road' };
const CUSTOMER = { name: 'Ada Lovelace', email: 'ada.{{run}}@example.com', phone: '+44 20 7946 0000', address: '12 Analytical Row' };

/**
 * A repair shop's day, in order, through every REST operation. It runs on a
 * new shop (its first request opens it) and again on the same server: the
 * founder stays, everything else is created with unique emails and deleted.
 */
const FLOW: Folder[] = [
  {
    name: 'Open the shop',
    description:
      'The founder opens a new shop as its owner (on an open shop this is refused, and the founder logs in), adds a mechanic ' +
      'and makes her a service writer, and adds a technician; a customer registers; all log in. ' +
      'Tokens and ids are kept as collection variables.',
    steps: [
      {
        operation: 'POST /mechanics',
        name: 'Register the founder (opens a new shop; refused once the shop is open)',
        body: { ...FOUNDER, email: '{{founder_email}}', salary: '58000.00', password: '{{founder_password}}' },
        status: [201, 401],
      },
      {
        operation: 'POST /mechanics/login',
        name: 'Log in as the founder',
        body: { email: '{{founder_email}}', password: '{{founder_password}}' },
        status: 200,
        store: { founder_token: 'token' },
      },
      {
        operation: 'POST /mechanics',
        name: 'Add a mechanic (the owner only, once the shop is open; a technician by default)',
        as: 'founder',
        body: { ...MECHANIC, salary: '61000.00', password: PASSWORD },
        status: 201,
        store: { mechanic_id: 'id' },
      },
      {
        operation: 'PUT /mechanics/{id}/role',
        name: 'Make the mechanic a service writer',
        as: 'founder',
        path: { id: '{{mechanic_id}}' },
        body: { role: 'service_writer' },
        status: 200,
      },
      {
        operation: 'POST /mechanics/login',
        body: { email: MECHANIC.email, password: PASSWORD },
        status: 200,
        store: { mechanic_token: 'token' },
      },
      {
        operation: 'POST /mechanics',
        name: 'Add a technician',
        as: 'founder',
        body: { ...TECHNICIAN, salary: '54000.00', password: PASSWORD, role: 'technician' },
        status: 201,
        store: { technician_id: 'id' },
      },
      {
        operation: 'POST /mechanics/login',
        name: 'Log in as the technician',
        body: { email: TECHNICIAN.email, password: PASSWORD },
        status: 200,
        store: { technician_token: 'token' },
      },
      { operation: 'POST /customers', body: { ...CUSTOMER, password: PASSWORD }, status: 201, store: { customer_id: 'id' } },
      {
        operation: 'POST /customers/login',
        body: { email: CUSTOMER.email, password: PASSWORD },
        status: 200,
        store: { customer_token: 'token' },
      },
    ],
  },
  {
    name: 'Accounts',
    description: 'Customers and staff see who they are logged in as, and read and change their accounts.',
    steps: [
      { operation: 'GET /me', as: 'technician', status: 200 },
      { operation: 'GET /customers', as: 'mechanic', query: { page: '1', per_page: '20' }, status: 200 },
      { operation: 'GET /customers/{id}', as: 'customer', path: { id: '{{customer_id}}' }, status: 200 },
      {
        operation: 'PUT /customers/{id}',
        as: 'customer',
        path: { id: '{{customer_id}}' },
        body: { phone: '+44 20 7946 0001' },
        status: 200,
      },
      { operation: 'GET /mechanics', query: { page: '1', per_page: '20' }, status: 200 },
      { operation: 'GET /mechanics/{id}', as: 'founder', path: { id: '{{mechanic_id}}' }, status: 200 },
      {
        operation: 'PUT /mechanics/{id}',
        as: 'mechanic',
        path: { id: '{{mechanic_id}}' },
        body: { phone: '+1 555 0101' },
        status: 200,
      },
    ],
  },
  {
    name: 'A repair',
    description:
      'The customer books a ticket; the service writer assigns the technician and prices the work, and stocks parts; ' +
      'the technician puts parts on the ticket assigned to them.',
    steps: [
      {
        operation: 'POST /service_tickets',
        as: 'customer',
        body: {
          title: 'Brakes squeal',
          description: 'Front brakes squeal when stopping',
          vin: '1HGCM82633A004352',
          service_date: '2026-12-01',
          odometer_in: 60500,
        },
        status: 201,
        store: { ticket_id: 'id', vehicle_id: 'vehicle.id' },
      },
      {
        operation: 'POST /assignments',
        as: 'mechanic',
        body: { service_ticket_id: '{{ticket_id}}', mechanic_id: '{{mechanic_id}}' },
        status: 201,
      },
      { operation: 'GET /assignments', as: 'mechanic', query: { service_ticket_id: '{{ticket_id}}' }, status: 200 },
      {
        operation: 'DELETE /assignments',
        as: 'mechanic',
        query: { service_ticket_id: '{{ticket_id}}', mechanic_id: '{{mechanic_id}}' },
        status: 204,
      },
      {
        operation: 'PUT /service_tickets/{id}/edit',
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        body: { add_ids: ['{{technician_id}}'], status: 'IN_PROGRESS', cost: '120.00' },
        status: 200,
      },
      {
        operation: 'GET /service_tickets',
        as: 'mechanic',
        query: { status: 'IN_PROGRESS', customer_id: '{{customer_id}}' },
        status: 200,
      },
      { operation: 'GET /service_tickets/{id}', as: 'customer', path: { id: '{{ticket_id}}' }, status: 200 },
      { operation: 'GET /customers/my-tickets', as: 'customer', status: 200 },
      {
        operation: 'POST /inventory',
        as: 'mechanic',
        body: { part_name: 'Brake pad set', description: 'Front, ceramic', price: '49.90', quantity: 12 },
        status: 201,
        store: { inventory_id: 'id' },
      },
      { operation: 'GET /inventory', as: 'mechanic', query: { q: 'brake' }, status: 200 },
      { operation: 'GET /inventory/{id}', as: 'mechanic', path: { id: '{{inventory_id}}' }, status: 200 },
      {
        operation: 'PUT /inventory/{id}',
        as: 'mechanic',
        path: { id: '{{inventory_id}}' },
        body: { price: '52.00' },
        status: 200,
      },
      {
        operation: 'POST /service_tickets/{id}/parts',
        as: 'technician',
        path: { id: '{{ticket_id}}' },
        body: { inventory_id: '{{inventory_id}}', quantity: 2 },
        status: 200,
      },
      {
        operation: 'DELETE /service_tickets/{id}/parts/{inventory_id}',
        as: 'technician',
        path: { id: '{{ticket_id}}', inventory_id: '{{inventory_id}}' },
        status: 204,
      },
      { operation: 'GET /mechanics/top', query: { limit: '5' }, status: 200 },
    ],
  },
  {
    name: 'An estimate',
    description:
      'The owner sets the sales tax and shop supplies; the service writer writes the repair up as jobs priced by labor, parts, ' +
      'fees and sublet work; the technician adds their labor and records what they found and did; a line is changed, ' +
      'a part line and a job are removed (the part goes back to stock), and the customer reads the priced estimate and approves ' +
      'it in the portal, bound to the version they read. ' +
      'The clean-up puts back the settings of a new shop.',
    steps: [
      { operation: 'GET /shop/settings', as: 'technician', status: 200 },
      {
        operation: 'PUT /shop/settings',
        as: 'founder',
        body: {
          tax_rates: { labor: '0.000', parts: '8.875', fees: '8.875', sublet: '0.000' },
          shop_supplies: { percent_of_labor: '5.000', cap: '25.00', taxable: true },
        },
        status: 200,
      },
      {
        operation: 'POST /service_tickets/{id}/jobs',
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        body: { title: 'Front brakes', concern: 'Squeal when stopping', pay_type: 'customer' },
        status: 201,
        store: { job_id: 'jobs.at(-1).id' },
      },
      {
        operation: 'POST /service_tickets/{id}/jobs/{job_id}/lines',
        name: 'Add labor (the assigned technician, at the shop rate)',
        as: 'technician',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}' },
        body: { type: 'labor', description: 'Replace front pads', hours: '1.50', technician_id: '{{technician_id}}' },
        status: 201,
        store: { labor_line_id: 'jobs.at(-1).lines.at(-1).id' },
      },
      {
        operation: 'POST /service_tickets/{id}/jobs/{job_id}/lines',
        name: 'Add a part from stock',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}' },
        body: { type: 'part', inventory_id: '{{inventory_id}}', quantity: 2 },
        status: 201,
        store: { part_line_id: 'jobs.at(-1).lines.at(-1).id' },
      },
      {
        operation: 'POST /service_tickets/{id}/jobs/{job_id}/lines',
        name: 'Add a fee',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}' },
        body: { type: 'fee', description: 'Hazardous waste disposal', amount: '3.50' },
        status: 201,
      },
      {
        operation: 'POST /service_tickets/{id}/jobs/{job_id}/lines',
        name: 'Add sublet work, at 10% off (its cost is shown to owners and service writers only)',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}' },
        body: {
          type: 'sublet',
          description: 'Brake fluid flush by Fluid Pros',
          amount: '60.00',
          cost: '45.00',
          discount: { percent: '10.000' },
        },
        status: 201,
      },
      {
        operation: 'PUT /service_tickets/{id}/jobs/{job_id}',
        name: 'Record the cause and the correction (the assigned technician)',
        as: 'technician',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}' },
        body: { cause: 'Pads worn to 2 mm', correction: 'Replaced the front pads' },
        status: 200,
      },
      {
        operation: 'PUT /service_tickets/{id}/jobs/{job_id}/lines/{line_id}',
        name: 'Change the labor line: more hours, 10.00 off',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}', line_id: '{{labor_line_id}}' },
        body: { hours: '1.75', discount: { amount: '10.00' } },
        status: 200,
      },
      {
        operation: 'DELETE /service_tickets/{id}/jobs/{job_id}/lines/{line_id}',
        name: 'Remove the part line (the parts go back to stock)',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{job_id}}', line_id: '{{part_line_id}}' },
        status: 200,
      },
      {
        operation: 'POST /service_tickets/{id}/jobs',
        name: 'Add a second job',
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        body: { title: 'Wiper blades', pay_type: 'internal' },
        status: 201,
        store: { second_job_id: 'jobs.at(-1).id' },
      },
      {
        operation: 'DELETE /service_tickets/{id}/jobs/{job_id}',
        name: 'Remove the second job',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{second_job_id}}' },
        status: 200,
      },
      {
        operation: 'GET /service_tickets/{id}',
        name: 'The customer reads the priced estimate',
        as: 'customer',
        path: { id: '{{ticket_id}}' },
        status: 200,
        store: { estimate_version: 'estimate_version' },
      },
      {
        operation: 'POST /service_tickets/{id}/approvals',
        name: 'The customer approves the job in the portal, at the version they read',
        as: 'customer',
        path: { id: '{{ticket_id}}' },
        body: {
          estimate_version: '{{estimate_version}}',
          decisions: [{ job_id: '{{job_id}}', decision: 'approve' }],
          signature_name: 'Ada Lovelace',
        },
        status: 201,
      },
      { operation: 'GET /service_tickets/{id}/approvals', as: 'mechanic', path: { id: '{{ticket_id}}' }, status: 200 },
      {
        operation: 'GET /service_tickets/{id}/estimate/pdf',
        name: 'Print the estimate, with the job approved (a PDF)',
        as: 'customer',
        path: { id: '{{ticket_id}}' },
        status: 200,
      },
    ],
  },
  {
    name: 'Approval by link',
    description:
      'The service writer offers a second job and sends the customer an approval link; the customer opens it without logging ' +
      'in, approves the brakes and declines the timing belt; the declined job shows on the follow-up list, and the service ' +
      "writer brings it back as new work at today's prices on a new ticket for the car.",
    steps: [
      {
        operation: 'POST /service_tickets/{id}/jobs',
        name: 'Offer a second job: the timing belt',
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        body: { title: 'Timing belt', concern: 'Due at 100,000 miles' },
        status: 201,
        store: { belt_job_id: 'jobs.at(-1).id' },
      },
      {
        operation: 'POST /service_tickets/{id}/jobs/{job_id}/lines',
        name: 'Price the timing belt',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', job_id: '{{belt_job_id}}' },
        body: { type: 'labor', description: 'Replace the timing belt', hours: '3.00' },
        status: 201,
      },
      {
        operation: 'POST /service_tickets/{id}/approval_link',
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        status: 201,
        store: { approval_token: 'token' },
      },
      {
        operation: 'GET /approvals/{token}',
        name: 'The customer opens the link (no login)',
        path: { token: '{{approval_token}}' },
        status: 200,
      },
      {
        operation: 'POST /approvals/{token}',
        name: 'The customer approves the brakes and declines the timing belt, through the link',
        path: { token: '{{approval_token}}' },
        body: {
          decisions: [
            { job_id: '{{job_id}}', decision: 'approve' },
            { job_id: '{{belt_job_id}}', decision: 'decline', reason: 'Next month' },
          ],
          signature_name: CUSTOMER.name,
        },
        status: 201,
      },
      { operation: 'GET /declined_work', as: 'technician', query: { customer_id: '{{customer_id}}' }, status: 200 },
      {
        operation: 'POST /declined_work/{job_id}/revive',
        name: 'Bring the timing belt back on a new ticket for the car',
        as: 'mechanic',
        path: { job_id: '{{belt_job_id}}' },
        body: {},
        status: 201,
        store: { revived_ticket_id: 'id' },
      },
    ],
  },
  {
    name: 'Vehicles',
    description:
      "The ticket's VIN made the customer's car a vehicle: the customer decodes the VIN, sees their cars and names this one; " +
      'the service writer records its mileage and adds a second car for the customer; the technician reads the odometer ' +
      "readings, and the customer the car's history.",
    steps: [
      { operation: 'GET /vehicles/decode/{vin}', as: 'customer', path: { vin: '1HGCM82633A004352' }, status: 200 },
      { operation: 'GET /customers/my-vehicles', as: 'customer', status: 200 },
      {
        operation: 'PUT /vehicles/{id}',
        as: 'customer',
        path: { id: '{{vehicle_id}}' },
        body: { plate: 'ADA 1815', model: 'Accord', color: 'Silver' },
        status: 200,
      },
      {
        operation: 'POST /vehicles/{id}/odometer',
        as: 'mechanic',
        path: { id: '{{vehicle_id}}' },
        body: { reading: 61000, unit: 'mi' },
        status: 201,
      },
      { operation: 'GET /vehicles/{id}/odometer', as: 'technician', path: { id: '{{vehicle_id}}' }, status: 200 },
      {
        operation: 'POST /vehicles',
        name: 'Add a car for the customer (staff; a customer adds their own without customer_id)',
        as: 'mechanic',
        body: { customer_id: '{{customer_id}}', plate: 'ADA 1816', year: 1967, make: 'Ford', model: 'Mustang' },
        status: 201,
        store: { second_vehicle_id: 'id' },
      },
      { operation: 'GET /vehicles', as: 'technician', query: { customer_id: '{{customer_id}}' }, status: 200 },
      { operation: 'GET /vehicles/{id}', as: 'customer', path: { id: '{{second_vehicle_id}}' }, status: 200 },
      { operation: 'GET /vehicles/{id}/history', as: 'customer', path: { id: '{{vehicle_id}}' }, status: 200 },
    ],
  },
  {
    name: 'Invoices and payments',
    description:
      "A second car of the customer's gets an oil change: approved, done and invoiced. The customer pays by card and the " +
      'owner refunds it (it was the wrong card); the invoice, holding no money, is voided and the ticket invoiced anew under ' +
      'the next number, then paid in full. Payments and refunds carry an Idempotency-Key, so that a retry never charges ' +
      'twice. Invoices are never deleted: this ticket and its car stay as their record.',
    steps: [
      {
        operation: 'POST /vehicles',
        name: 'Add the car to invoice (by its plate)',
        as: 'mechanic',
        body: { customer_id: '{{customer_id}}', plate: 'ADA 1817', year: 1990, make: 'Volvo', model: '240' },
        status: 201,
        store: { invoiced_vehicle_id: 'id' },
      },
      {
        operation: 'POST /service_tickets',
        name: 'Book an oil change for the customer',
        as: 'mechanic',
        body: {
          customer_id: '{{customer_id}}',
          vehicle_id: '{{invoiced_vehicle_id}}',
          title: 'Oil change',
          description: 'Oil and filter',
          service_date: '2026-12-02',
        },
        status: 201,
        store: { invoiced_ticket_id: 'id' },
      },
      {
        operation: 'POST /service_tickets/{id}/jobs',
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}' },
        body: { title: 'Oil change', concern: 'Service due' },
        status: 201,
        store: { oil_job_id: 'jobs.at(-1).id' },
      },
      {
        operation: 'POST /service_tickets/{id}/jobs/{job_id}/lines',
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}', job_id: '{{oil_job_id}}' },
        body: { type: 'labor', description: 'Change the oil and the filter', hours: '0.50' },
        status: 201,
        store: { estimate_version: 'estimate_version' },
      },
      {
        operation: 'POST /service_tickets/{id}/approvals',
        name: 'The customer approves it in the portal',
        as: 'customer',
        path: { id: '{{invoiced_ticket_id}}' },
        body: {
          estimate_version: '{{estimate_version}}',
          decisions: [{ job_id: '{{oil_job_id}}', decision: 'approve' }],
          signature_name: CUSTOMER.name,
        },
        status: 201,
      },
      {
        operation: 'PUT /service_tickets/{id}/edit',
        name: 'Start the work',
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}' },
        body: { status: 'IN_PROGRESS' },
        status: 200,
      },
      {
        operation: 'PUT /service_tickets/{id}/edit',
        name: 'Finish the work',
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}' },
        body: { status: 'COMPLETED' },
        status: 200,
      },
      {
        operation: 'POST /service_tickets/{id}/invoice',
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}' },
        status: 201,
        store: { invoice_number: 'number' },
      },
      { operation: 'GET /invoices/{number}', as: 'customer', path: { number: '{{invoice_number}}' }, status: 200 },
      {
        operation: 'POST /invoices/{number}/payments',
        name: 'The customer pays 20.00 by card',
        as: 'mechanic',
        path: { number: '{{invoice_number}}' },
        headers: { 'Idempotency-Key': '{{$guid}}' },
        body: { amount: '20.00', method: 'card', reference: 'ch_3MmlLrLkdIwHu7ix' },
        status: 201,
        store: { payment_id: 'id' },
      },
      {
        operation: 'POST /payments/{id}/refunds',
        name: 'Refund it: the wrong card',
        as: 'founder',
        path: { id: '{{payment_id}}' },
        headers: { 'Idempotency-Key': '{{$guid}}' },
        body: { amount: '20.00', reason: 'Paid with the wrong card' },
        status: 201,
      },
      {
        operation: 'POST /invoices/{number}/void',
        name: 'Void the invoice, which holds no money now',
        as: 'founder',
        path: { number: '{{invoice_number}}' },
        body: { reason: 'Reissued with the car on it' },
        status: 200,
      },
      {
        operation: 'POST /service_tickets/{id}/invoice',
        name: 'Invoice the ticket anew, under the next number',
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}' },
        status: 201,
        store: { invoice_number: 'number', invoice_balance: 'balance' },
      },
      {
        operation: 'POST /invoices/{number}/payments',
        name: 'The customer pays the balance in cash',
        as: 'mechanic',
        path: { number: '{{invoice_number}}' },
        headers: { 'Idempotency-Key': '{{$guid}}' },
        body: { amount: '{{invoice_balance}}', method: 'cash' },
        status: 201,
      },
      {
        operation: 'GET /invoices/{number}/pdf',
        name: 'Print the paid invoice (a PDF)',
        as: 'customer',
        path: { number: '{{invoice_number}}' },
        status: 200,
      },
      { operation: 'GET /customers/my-invoices', as: 'customer', status: 200 },
      {
        operation: 'GET /invoices',
        as: 'technician',
        query: { status: 'paid', customer_id: '{{customer_id}}' },
        status: 200,
      },
      {
        operation: 'GET /reports/sales',
        name: "The owner's sales report of the year",
        as: 'founder',
        query: { from: '2026-01-01', to: '2026-12-31' },
        status: 200,
      },
    ],
  },
  {
    name: 'Events and audit',
    description:
      'What the flow changed, as an integration and the owner see it: the event feed from the start, the history of the ' +
      'invoiced ticket (the staff view and the customer-safe one) and the audit trail of the founder’s changes.',
    steps: [
      { operation: 'GET /events', as: 'founder', query: { after: '0', limit: '20' }, status: 200 },
      {
        operation: 'GET /service_tickets/{id}/history',
        name: "The invoiced ticket's history, as staff see it",
        as: 'mechanic',
        path: { id: '{{invoiced_ticket_id}}' },
        status: 200,
      },
      {
        operation: 'GET /service_tickets/{id}/history',
        name: "The same history, as the ticket's customer sees it",
        as: 'customer',
        path: { id: '{{invoiced_ticket_id}}' },
        status: 200,
      },
      { operation: 'GET /audit', as: 'founder', query: { subject_type: 'service_ticket', per_page: '20' }, status: 200 },
    ],
  },
  {
    name: 'Webhooks',
    description:
      'The owner subscribes a URL to events (the signing secret is shown once: verify deliveries with a Standard Webhooks ' +
      'library), changes it, rotates its secret, sends it a test event and reads its delivery log. The URL is a public ' +
      'address that answers nothing here: its deliveries are retried and logged as failed attempts.',
    steps: [
      {
        operation: 'POST /webhooks',
        as: 'founder',
        body: { url: 'https://93.184.215.14/hooks/mechanic-shop', event_types: ['ticket.status_changed', 'invoice.issued'] },
        status: 201,
        store: { webhook_id: 'id' },
      },
      { operation: 'GET /webhooks', as: 'founder', status: 200 },
      { operation: 'GET /webhooks/{id}', as: 'founder', path: { id: '{{webhook_id}}' }, status: 200 },
      {
        operation: 'PATCH /webhooks/{id}',
        name: 'Subscribe it to payments too',
        as: 'founder',
        path: { id: '{{webhook_id}}' },
        body: { event_types: ['ticket.status_changed', 'invoice.issued', 'payment.received'], description: 'Accounting' },
        status: 200,
      },
      { operation: 'POST /webhooks/{id}/rotate_secret', as: 'founder', path: { id: '{{webhook_id}}' }, status: 200 },
      { operation: 'POST /webhooks/{id}/test', as: 'founder', path: { id: '{{webhook_id}}' }, status: 200 },
      { operation: 'GET /webhooks/{id}/deliveries', as: 'founder', path: { id: '{{webhook_id}}' }, status: 200 },
      {
        operation: 'POST /webhooks/{id}/deliveries/{delivery_id}/retry',
        name: 'Retry a delivery now (404 while the test event is not yet published, or for a delivery of another webhook)',
        as: 'founder',
        path: { id: '{{webhook_id}}', delivery_id: '1' },
        status: [200, 404],
      },
    ],
  },
  {
    name: 'Clean up',
    description:
      "Everything the run created is deleted, and the shop's settings are a new shop's again; the founder stays and keeps the shop open for the next run.",
    steps: [
      {
        operation: 'PUT /shop/settings',
        name: "Put back a new shop's tax rates and shop supplies",
        as: 'founder',
        body: {
          tax_rates: { labor: '0.000', parts: '0.000', fees: '0.000', sublet: '0.000' },
          shop_supplies: { percent_of_labor: '0.000', cap: '0.00', taxable: false },
        },
        status: 200,
      },
      { operation: 'DELETE /webhooks/{id}', as: 'founder', path: { id: '{{webhook_id}}' }, status: 204 },
      { operation: 'DELETE /inventory/{id}', as: 'mechanic', path: { id: '{{inventory_id}}' }, status: 204 },
      { operation: 'DELETE /service_tickets/{id}', as: 'founder', path: { id: '{{ticket_id}}' }, status: 204 },
      {
        operation: 'DELETE /service_tickets/{id}',
        name: 'Delete the ticket the timing belt was brought back on',
        as: 'founder',
        path: { id: '{{revived_ticket_id}}' },
        status: 204,
      },
      { operation: 'DELETE /vehicles/{id}', as: 'customer', path: { id: '{{second_vehicle_id}}' }, status: 204 },
      // Once its ticket is gone: a VIN belongs to one vehicle, and the next run brings the same car.
      { operation: 'DELETE /vehicles/{id}', as: 'mechanic', path: { id: '{{vehicle_id}}' }, status: 204 },
      { operation: 'DELETE /customers/{id}', as: 'customer', path: { id: '{{customer_id}}' }, status: 204 },
      { operation: 'DELETE /mechanics/{id}', as: 'technician', path: { id: '{{technician_id}}' }, status: 204 },
      { operation: 'DELETE /mechanics/{id}', as: 'mechanic', path: { id: '{{mechanic_id}}' }, status: 204 },
    ],
  },
];

/* The parts of the Postman collection format (v2.1) that the converter writes and this module uses. */
interface Description {
  content: string;
  type?: string;
}
interface KeyValue {
  key: string;
  value: string;
  disabled?: boolean;
  description?: Description;
  type?: string;
}
interface Request {
  method: string;
  description?: Description;
  url: { host: string[]; path: string[]; query: KeyValue[]; variable: KeyValue[] };
  header: KeyValue[];
  body?: { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } };
  auth: { type: 'noauth' } | { type: 'bearer'; bearer: KeyValue[] };
}
interface Item {
  name: string;
  request: Request;
  event: Array<{ listen: 'prerequest' | 'test'; script: { type: 'text/javascript'; exec: string[] } }>;
}
interface ItemGroup {
  name: string;
  description?: string;
  item: Item[];
}
export interface PostmanCollection {
  info: { name: string; description: Description; schema: string };
  item: ItemGroup[];
  variable: KeyValue[];
}

/**
 * The Postman collection of the REST door: openapi-to-postmanv2 converts the
 * OpenAPI document (names, descriptions, URLs, parameters), then the flow above
 * orders the requests and gives them working bodies, ids, tokens and a test of
 * the expected status. Throws when the flow and the document disagree, so a
 * new route cannot be left out.
 */
export async function buildPostmanCollection(): Promise<PostmanCollection> {
  const document = buildOpenApiDocument(appRouter, { version: packageVersion() });
  const converted = await convertOpenApi(document);
  const operations = new Map(converted.item.flatMap((folder) => folder.item).map((item) => [operationKey(item.request), item]));

  const steps = FLOW.flatMap((folder) => folder.steps);
  const missing = [...operations.keys()].filter((operation) => !steps.some((step) => step.operation === operation));
  if (missing.length) throw new Error(`The Postman flow has no request for: ${missing.join(', ')}`);

  return {
    info: {
      name: converted.info.name,
      description: {
        content:
          `${converted.info.description.content}\n\n` +
          `Run the folders in order. On a new shop (an empty database) the first request opens it with the founder ` +
          `(\`founder_email\`, \`founder_password\`); the collection runs again on the same server, and on a shop that has ` +
          `staff already when those two variables are an owner's login. ` +
          `Set \`baseUrl\` to the server's address (default ${DEFAULT_BASE_URL}).`,
        type: 'text/markdown',
      },
      schema: converted.info.schema,
    },
    item: FLOW.map((folder) => ({
      name: folder.name,
      description: folder.description,
      item: folder.steps.map((step) => flowItem(step, operations.get(step.operation))),
    })),
    variable: [
      { key: 'baseUrl', value: DEFAULT_BASE_URL },
      { key: 'founder_email', value: FOUNDER.email },
      { key: 'founder_password', value: PASSWORD },
      { key: 'run', value: '' },
      ...steps.flatMap((step) => Object.keys(step.store ?? {})).map((key) => ({ key, value: '' })),
    ],
  };
}

/** The file's text: what `pnpm postman` writes. */
export function serializeCollection(collection: PostmanCollection): string {
  return `${JSON.stringify(collection, null, 2)}\n`;
}

function flowItem(step: Step, operation: ConvertedItem | undefined): Item {
  if (!operation) throw new Error(`The Postman flow names ${step.operation}, which the OpenAPI document does not have`);
  const { request: converted } = operation;
  const { description, url } = converted;
  if (Boolean(step.body) !== Boolean(converted.body?.raw)) {
    throw new Error(
      `${step.operation}: the flow ${step.body ? 'sends a body the operation does not take' : 'sends none of the body it takes'}`,
    );
  }
  for (const key of Object.keys(step.query ?? {})) {
    if (!url.query.some((parameter) => parameter.key === key)) throw new Error(`${step.operation} has no query parameter ${key}`);
  }
  for (const key of Object.keys(step.headers ?? {})) {
    if (!converted.header.some((header) => header.key === key)) throw new Error(`${step.operation} has no header parameter ${key}`);
  }
  const pathKeys = url.variable.map((variable) => variable.key).sort();
  const givenPathKeys = Object.keys(step.path ?? {}).sort();
  if (pathKeys.join() !== givenPathKeys.join()) {
    throw new Error(`${step.operation}: the flow must give the path parameters ${pathKeys.join(', ') || '(none)'}`);
  }

  return {
    name: step.name ?? operation.name,
    request: {
      method: converted.method,
      description,
      url: {
        host: url.host,
        path: url.path,
        query: url.query.map((parameter) => {
          // Unsent ones keep no value: the converter's would be random numbers.
          const value = step.query?.[parameter.key];
          return { ...parameter, value: value ?? '', disabled: value === undefined };
        }),
        variable: url.variable.map((variable) => ({ ...variable, value: step.path![variable.key]! })),
      },
      // The server answers JSON whatever the Accept header says; the converter's is the first error type for a 204.
      header: converted.header
        .filter((header) => header.key.toLowerCase() !== 'accept')
        .map((header) => {
          const value = step.headers?.[header.key];
          if (value !== undefined) return { ...header, value };
          // Header parameters the flow does not give stay unsent, like query parameters: the converter's made-up
          // value would send one Idempotency-Key with every POST (a 422 for the second body on a route).
          return header.key.toLowerCase() === 'content-type' ? header : { ...header, value: '', disabled: true };
        }),
      ...(step.body ? { body: { mode: 'raw', raw: jsonWithVariables(step.body), options: { raw: { language: 'json' } } } } : {}),
      auth: step.as ? { type: 'bearer', bearer: [{ key: 'token', value: `{{${step.as}_token}}`, type: 'string' }] } : { type: 'noauth' },
    },
    event: [
      ...(step === FLOW[0]!.steps[0]
        ? [{ listen: 'prerequest' as const, script: { type: 'text/javascript' as const, exec: NEW_RUN } }]
        : []),
      { listen: 'test', script: { type: 'text/javascript', exec: testScript(step) } },
    ],
  };
}

/** Before the first request: a new `run`, which makes the emails of this run's accounts unique. */
const NEW_RUN = [`pm.collectionVariables.set('run', Date.now().toString(36) + Math.random().toString(36).slice(2, 8));`];

function testScript(step: Step): string[] {
  const statuses = [step.status].flat();
  const lines =
    statuses.length === 1
      ? [`pm.test('answers ${statuses[0]}', function () {`, `  pm.response.to.have.status(${statuses[0]});`, '});']
      : [
          `pm.test('answers ${statuses.join(' or ')}', function () {`,
          `  pm.expect(pm.response.code).to.be.oneOf(${JSON.stringify(statuses)});`,
          '});',
        ];
  for (const [variable, field] of Object.entries(step.store ?? {})) {
    lines.push(
      `pm.test('stores ${field} as ${variable}', function () {`,
      `  const value = pm.response.json().${field};`,
      '  pm.expect(value).to.not.be.undefined;',
      `  pm.collectionVariables.set('${variable}', value);`,
      '});',
    );
  }
  return lines;
}

function jsonWithVariables(body: Record<string, unknown>): string {
  return JSON.stringify(body, null, 2).replace(/"(\{\{\w+_(?:id|version)\}\})"/g, '$1');
}

function operationKey(request: ConvertedRequest): string {
  return `${request.method} /${request.url.path.map((segment) => segment.replace(/^:(.+)$/, '{$1}')).join('/')}`;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

type ConvertedRequest = Pick<Request, 'method' | 'description' | 'url' | 'header'> & { body?: { raw?: string } };
interface ConvertedItem {
  name: string;
  request: ConvertedRequest;
}
// One folder per tag, each holding its operations; no fake values: the flow gives every value the requests send.
const CONVERTER_OPTIONS: Options = { folderStrategy: 'Tags', schemaFaker: false };

interface ConvertedCollection {
  info: { name: string; description: Description; schema: string };
  item: Array<{ item: ConvertedItem[] }>;
}

function convertOpenApi(document: object): Promise<ConvertedCollection> {
  return new Promise((resolve, reject) => {
    convertV2({ type: 'json', data: document }, CONVERTER_OPTIONS, (error, result) => {
      const output = result?.output?.[0];
      if (error) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      else if (!output) reject(new Error(`openapi-to-postmanv2: ${result?.reason}`));
      else resolve(output.data as ConvertedCollection);
    });
  });
}
