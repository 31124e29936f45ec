import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertV2, type Options } from 'openapi-to-postmanv2';
import { appRouter } from '@mechanic-shop/core';
import { buildOpenApiDocument } from '../src/rest/openapi.ts';

/** The committed collection, at the repository root. */
export const COLLECTION_FILE = fileURLToPath(new URL('../../../postman_collection.json', import.meta.url));

/** Where the collection sends requests unless told otherwise: the server's default address. */
const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

type Caller = 'mechanic' | 'customer';

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
  /** The JSON body. A string that is only `{{name}}` is sent as the bare value: the ids stored are numbers. */
  body?: Record<string, unknown>;
  status: number;
  /** Collection variables to set from fields of the JSON response: variable → field. */
  store?: Record<string, string>;
}

interface Folder {
  name: string;
  description: string;
  steps: Step[];
}

const PASSWORD = 'a long secret phrase';
const MECHANIC = { name: 'Grace Hopper', email: 'grace@shop.example', phone: '+1 555 0100', address: '1 Cobol Way' };
const COLLEAGUE = { name: 'Katherine Johnson', email: 'katherine@shop.example', phone: '+1 555 0102', address: '3 Orbit Lane' };
const CUSTOMER = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000', address: '12 Analytical Row' };

/**
 * A repair shop's day, in order, through every REST operation. It needs a new
 * shop (an empty database): its first request opens the shop.
 */
const FLOW: Folder[] = [
  {
    name: 'Open the shop',
    description:
      'The first mechanic opens the shop and adds a colleague; a customer registers; both log in. Tokens and ids are kept as collection variables.',
    steps: [
      {
        operation: 'POST /mechanics',
        name: 'Register the first mechanic (opens the shop)',
        body: { ...MECHANIC, salary: '58000.00', password: PASSWORD },
        status: 201,
        store: { mechanic_id: 'id' },
      },
      {
        operation: 'POST /mechanics/login',
        body: { email: MECHANIC.email, password: PASSWORD },
        status: 200,
        store: { mechanic_token: 'token' },
      },
      {
        operation: 'POST /mechanics',
        name: 'Add a colleague (mechanics only, once the shop is open)',
        as: 'mechanic',
        body: { ...COLLEAGUE, salary: '61000.00', password: PASSWORD },
        status: 201,
        store: { colleague_id: 'id' },
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
    description: 'Customers and mechanics read and change their accounts.',
    steps: [
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
      { operation: 'GET /mechanics/{id}', as: 'mechanic', path: { id: '{{colleague_id}}' }, status: 200 },
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
    description: 'The customer books a ticket; the mechanics assign themselves, take parts from stock and put them on the ticket.',
    steps: [
      {
        operation: 'POST /service_tickets',
        as: 'customer',
        body: {
          title: 'Brakes squeal',
          description: 'Front brakes squeal when stopping',
          vin: '1HGCM82633A004352',
          service_date: '2026-12-01',
        },
        status: 201,
        store: { ticket_id: 'id' },
      },
      {
        operation: 'POST /assignments',
        as: 'mechanic',
        body: { service_ticket_id: '{{ticket_id}}', mechanic_id: '{{colleague_id}}' },
        status: 201,
      },
      { operation: 'GET /assignments', as: 'mechanic', query: { service_ticket_id: '{{ticket_id}}' }, status: 200 },
      {
        operation: 'DELETE /assignments',
        as: 'mechanic',
        query: { service_ticket_id: '{{ticket_id}}', mechanic_id: '{{colleague_id}}' },
        status: 204,
      },
      {
        operation: 'PUT /service_tickets/{id}/edit',
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        body: { add_ids: ['{{mechanic_id}}'], status: 'IN_PROGRESS', cost: '120.00' },
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
        as: 'mechanic',
        path: { id: '{{ticket_id}}' },
        body: { inventory_id: '{{inventory_id}}', quantity: 2 },
        status: 200,
      },
      {
        operation: 'DELETE /service_tickets/{id}/parts/{inventory_id}',
        as: 'mechanic',
        path: { id: '{{ticket_id}}', inventory_id: '{{inventory_id}}' },
        status: 204,
      },
      { operation: 'GET /mechanics/top', query: { limit: '5' }, status: 200 },
    ],
  },
  {
    name: 'Clean up',
    description: 'Everything the flow created is deleted, but the colleague, who keeps the shop open.',
    steps: [
      { operation: 'DELETE /inventory/{id}', as: 'mechanic', path: { id: '{{inventory_id}}' }, status: 204 },
      { operation: 'DELETE /service_tickets/{id}', as: 'mechanic', path: { id: '{{ticket_id}}' }, status: 204 },
      { operation: 'DELETE /customers/{id}', as: 'customer', path: { id: '{{customer_id}}' }, status: 204 },
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
  event: Array<{ listen: 'test'; script: { type: 'text/javascript'; exec: string[] } }>;
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
          `Run the folders in order against a new shop (an empty database): the first request opens the shop. ` +
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
      header: converted.header.filter((header) => header.key.toLowerCase() !== 'accept'),
      ...(step.body ? { body: { mode: 'raw', raw: jsonWithVariables(step.body), options: { raw: { language: 'json' } } } } : {}),
      auth: step.as ? { type: 'bearer', bearer: [{ key: 'token', value: `{{${step.as}_token}}`, type: 'string' }] } : { type: 'noauth' },
    },
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: testScript(step) } }],
  };
}

function testScript(step: Step): string[] {
  const lines = [`pm.test('answers ${step.status}', function () {`, `  pm.response.to.have.status(${step.status});`, '});'];
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
  return JSON.stringify(body, null, 2).replace(/"(\{\{\w+\}\})"/g, '$1');
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
