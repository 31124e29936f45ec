import type { AnyProcedure, AnyRouter } from '@trpc/server';
import { generateOpenApiDocument, type GenerateOpenApiDocumentOptions, type OpenAPIObject } from 'trpc-to-openapi';
import { z, type ZodObject } from 'zod';
import {
  documentRouter,
  EVENT_TYPES,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  PROBLEMS,
  StaffRole,
  type ProblemCode,
  type ProcedureMeta,
} from '@mechanic-shop/core';
import { EVENT_CATALOGUE, eventCatalogueSchemas, eventSchemaName } from '@mechanic-shop/core/event-catalogue';
import { problemType } from '../http/problem.ts';
import { DOCUMENT_ROUTES } from '../documents-routes.ts';
import { restRoutesOf, type RestRoute } from './routes.ts';

export const SECURITY_SCHEME = 'bearerAuth';

/**
 * What each tag is about. The document's tag list itself comes from the routes
 * (`tagsOf`); `apps/api/test/openapi.test.ts` names a tag missing here, or one
 * no route uses any more.
 */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  customers: 'Customer accounts and logins.',
  mechanics: "The shop's staff (owner, service writers, technicians): accounts, roles, logins and the busiest mechanics.",
  'service-tickets': 'Repair jobs on a customer vehicle, with their mechanics and parts.',
  inventory: 'Parts in stock (staff only).',
  assignments: 'Which mechanic works on which ticket.',
  me: 'Who the token belongs to: a customer, or a member of staff and their role.',
  vehicles:
    "Customers' cars: VINs checked and decoded offline (ISO 3779), owners, odometer readings that never go down, and each car's tickets.",
  estimates:
    "A ticket's estimate: jobs (concern, cause, correction) priced by labor, part, fee and sublet lines, with discounts, " +
    'shop supplies and sales tax, exact to the cent (README, "Money: how an estimate is priced").',
  shop: "The shop's settings that price every estimate: labor rate, tax rate per category, shop supplies.",
  approvals:
    "The customer's decision on each job of a ticket's estimate, bound to the estimate_version they saw: recorded in the portal " +
    "or by staff on the customer's behalf (how, and with whom), never edited. Work starts on approved jobs; declined ones leave " +
    'the totals and give their parts back to stock.',
  reports: "The owner's figures: sales of a period from the invoices, by category, tax and payment method.",
  invoices:
    "Numbered, frozen records of a completed ticket's approved work (numbers without gaps, from the shop's invoice_prefix), " +
    'voided only while they hold no money; paid, balance and status derived from their payments and refunds.',
  payments:
    'Money received against an invoice, at most its balance, and refunds of it; each needs an Idempotency-Key, so that a retry never charges twice.',
  'approval-links':
    'Links the desk sends a customer to review and decide on an estimate without logging in: random tokens kept as hashes, ' +
    'bound to the estimate_version, replaced by the next link, expiring, and rate limited on their own.',
  'declined-work':
    'Jobs customers declined, to follow up: the list by due day, customer or vehicle, and bringing a job back as new work at ' +
    "today's prices.",
  events:
    'Every change as a typed event, written in the same transaction as the change: a pull feed in commit order with a ' +
    'stable cursor; each type and its data schema is listed under the webhooks of this document.',
  webhooks:
    "The owner's subscriptions of URLs to event types: deliveries signed per Standard Webhooks (verify them with any " +
    'Standard Webhooks library, or the SDK’s verifyWebhook), retried with backoff, in order per subject, with a delivery log.',
  audit:
    'Who changed what, when, with the fields before and after: the whole trail (owner) and a ticket’s history (staff, and ' +
    'the ticket’s customer for a customer-safe part). Entries are never changed or deleted.',
};

/** The tags the routes use, in the router's order, with their descriptions. */
export function tagsOf(routes: RestRoute[]): Array<{ name: string; description?: string }> {
  const names = new Set(routes.flatMap((route) => route.meta.openapi?.tags ?? []));
  return [...names].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] }));
}

type Operation = {
  security?: Array<Record<string, string[]>>;
  description?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

/**
 * The OpenAPI 3.1 document of the REST door: generated from the router by
 * trpc-to-openapi, then completed from each route's meta so that it tells the
 * truth about what the server does (success statuses, who may call, problem+json
 * errors, response headers), which the generator cannot know.
 */
export function buildOpenApiDocument(router: AnyRouter, options: { version: string; serverUrl?: string }): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: 'Mechanic Shop API',
    version: options.version,
    description:
      'Customers, mechanics, service tickets, inventory and mechanic assignments of an auto-repair shop. ' +
      'The same API is served over tRPC at /trpc and typed for TypeScript by the @mechanic-shop/sdk package.\n\n' +
      'Log in with `POST /customers/login` or `POST /mechanics/login` and send the token as `Authorization: Bearer <token>`. ' +
      'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.\n\n' +
      'Every POST takes an `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header): send a new UUID with each ' +
      'new request and the same one when retrying it, and the request runs once, its repeats getting its first answer ' +
      'again with `Idempotent-Replayed: true`. Payments and refunds require one.',
    baseUrl: options.serverUrl ?? '/',
    securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    paths: documentPaths(),
  });
  document.webhooks = eventWebhooks();
  const routes = [...restRoutesOf(router), ...DOCUMENT_ROUTES];
  document.tags = tagsOf(routes);
  document.components ??= {};
  // The routes' components first: an event's data is the same read model a route answers with.
  document.components.schemas = { ...eventCatalogueSchemas(), ...document.components.schemas, ...PROBLEM_SCHEMAS };
  document.components.headers = { ...document.components.headers, ...HEADERS };

  for (const route of routes) {
    const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as 'get'] as Operation | undefined;
    if (operation) completeOperation(operation, route);
  }
  return document;
}

function completeOperation(operation: Operation, route: RestRoute): void {
  const { meta } = route;
  addBodyExamples(operation, route);
  if (route.method === 'POST') operation.parameters = [...(operation.parameters ?? []), idempotencyKeyParameter(meta)];
  const access = meta.access ?? 'public';
  const bearer = { [SECURITY_SCHEME]: [] };
  operation.security = access !== 'public' ? [bearer] : meta.tokenEffect ? [{}, bearer] : [];

  operation.description = [operation.description, `**Access:** ${accessRule(meta)}`].filter(Boolean).join('\n\n');

  const success = operation.responses['200'] as { description: string; content?: unknown; headers?: unknown };
  delete operation.responses['200'];
  // A PDF is not revalidated with an ETag: it is never kept (`Cache-Control: private, no-store`).
  const json = !DOCUMENT_ROUTES.includes(route);
  const status = meta.successStatus ?? 200;
  operation.responses = {
    [String(status)]:
      status === 204
        ? {
            description: 'Done; no content.',
            headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' }, ...RATE_LIMIT_HEADERS },
          }
        : {
            ...success,
            description: status === 201 ? 'Created.' : 'OK.',
            headers: {
              'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
              ...RATE_LIMIT_HEADERS,
              ...(route.method === 'GET' && json
                ? { ETag: { $ref: '#/components/headers/ETag' }, 'Cache-Control': { $ref: '#/components/headers/Cache-Control' } }
                : {}),
              ...(json ? {} : DOCUMENT_HEADERS),
              ...(recordsKeys(route)
                ? { [IDEMPOTENT_REPLAYED_HEADER]: { $ref: `#/components/headers/${IDEMPOTENT_REPLAYED_HEADER}` } }
                : {}),
            },
          },
    ...(route.method === 'GET' && json ? { '304': { description: 'Not modified: the `If-None-Match` ETag is current.' } } : {}),
    ...errorResponses(route, Boolean(operation.parameters?.length || operation.requestBody)),
  };
}

/** Whether a route records its keys: every POST but the logins (idempotency/idempotency.middleware.ts says why). */
const recordsKeys = (route: RestRoute) => route.method === 'POST' && route.meta.rateLimit !== 'login';

/** The `Idempotency-Key` header of a POST: what it does, and what is kept of an answer. */
function idempotencyKeyParameter(meta: ProcedureMeta): Record<string, unknown> {
  const description =
    meta.rateLimit === 'login'
      ? 'Accepted and checked like on every POST, but a login is not recorded: it changes nothing, so a retried login ' +
        'just logs in again, and its answer, a live token, is never stored.'
      : (meta.idempotency === 'required' ? '**Required:** this request must never run twice. ' : '') +
        'Makes a retry safe: the request runs once per key, and a repeat with the same key and the same body gets the ' +
        'first answer again (same status and body, with `Idempotent-Replayed: true`) without running again. Send a new ' +
        'key (a UUID) for each new request. The same key with another body is 422 `idempotency_key_reused`; a repeat ' +
        'while the first request still runs is 409 `idempotency_key_in_flight` (retry shortly). A key belongs to the ' +
        'calling account (anonymous calls: to the client address) and this route, and is kept 24 hours by default ' +
        '(`IDEMPOTENCY_KEY_TTL_HOURS`). Successes and the errors of the request itself (4xx, such as ' +
        '`overpayment`) are replayed; a 400 for the body, a 409 `transaction_conflict` or `conflict`, a 429 or a 5xx ' +
        'is not kept: the same key may be sent again, and the request runs again.';
  return {
    name: IDEMPOTENCY_KEY_HEADER,
    in: 'header',
    required: meta.idempotency === 'required',
    description,
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
      pattern: '^[\\x20-\\x7E]+$',
      example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    },
  };
}

/**
 * zod-openapi leaves out the `examples` of input schemas that contain a
 * transform (our money fields); put the procedure's examples back, without the
 * path parameters, which are not part of the body.
 */
function addBodyExamples(operation: Operation, route: RestRoute): void {
  const schema = (operation.requestBody as { content?: Record<string, { schema?: Record<string, unknown> }> } | undefined)?.content?.[
    'application/json'
  ]?.schema;
  if (!schema || schema.examples || schema.example || !route.inputExamples) return;
  const pathParameters = route.parameterNames;
  schema.examples = route.inputExamples.map((example) =>
    Object.fromEntries(Object.entries(example as Record<string, unknown>).filter(([key]) => !pathParameters.includes(key))),
  );
}

/** Who may call a route, in words: said in the docs and in the README's route table (`pnpm docs:routes`). */
export function accessRule(meta: ProcedureMeta): string {
  const access = meta.access ?? 'public';
  return [
    access === 'mechanic' ? `Staff token: ${staffRolesText(meta.staffRoles ?? StaffRole.options)}.` : ACCESS_TEXT[access],
    meta.ownership && `${meta.ownership.charAt(0).toUpperCase()}${meta.ownership.slice(1)}.`,
    meta.tokenEffect && `Token: ${meta.tokenEffect}`,
  ]
    .filter(Boolean)
    .join(' ');
}

const ACCESS_TEXT = {
  public: 'Public.',
  authenticated: 'Any customer or staff token.',
  customer: 'Customer token.',
} as const;

/** A staff role as the docs say it. */
export const STAFF_ROLE_NAMES: Record<StaffRole, string> = {
  owner: 'owner',
  service_writer: 'service writer',
  technician: 'technician',
};

const staffRolesText = (roles: readonly StaffRole[]) =>
  new Intl.ListFormat('en', { type: 'disjunction' }).format(roles.map((role) => STAFF_ROLE_NAMES[role]));

function errorResponses(route: RestRoute, hasInput: boolean): Record<string, unknown> {
  const { meta, method, path } = route;
  const codes = new Set<ProblemCode>(meta.errors ?? []);
  if (hasInput) codes.add('validation_failed');
  if (method !== 'GET' && method !== 'DELETE')
    ['malformed_json', 'payload_too_large', 'unsupported_media_type'].forEach((code) => codes.add(code as ProblemCode));
  if (meta.access !== 'public' || meta.tokenEffect?.startsWith('Required')) {
    codes.add('unauthenticated');
    codes.add('forbidden');
  }
  if (path.includes('{')) codes.add('not_found');
  if (meta.idempotency === 'required') codes.add('idempotency_key_required');
  if (recordsKeys(route)) ['idempotency_key_in_flight', 'idempotency_key_reused'].forEach((code) => codes.add(code as ProblemCode));
  ['rate_limited', 'internal_error', 'service_unavailable'].forEach((code) => codes.add(code as ProblemCode));

  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.map((code) => `\`${code}\`: ${PROBLEMS[code].title}`).join('; '),
          ...(status === 401 ? { headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } } } : {}),
          ...(status === 429 ? { headers: { ...RATE_LIMIT_HEADERS, 'Retry-After': { $ref: '#/components/headers/Retry-After' } } } : {}),
          content: {
            'application/problem+json': {
              schema: { $ref: `#/components/schemas/${list.includes('validation_failed') ? 'ValidationProblem' : 'Problem'}` },
              example: {
                type: problemType(list[0]!),
                title: PROBLEMS[list[0]!].title,
                status,
                detail: PROBLEMS[list[0]!].title,
                code: list[0],
                request_id: '5f0c6f1e-2f0a-4d8e-9a53-1c2b3d4e5f60',
              },
            },
          },
        },
      ]),
  );
}

type Components = NonNullable<OpenAPIObject['components']>;

const PROBLEM_SCHEMAS: NonNullable<Components['schemas']> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: {
        type: 'string',
        description: 'A URI reference naming the problem type; `GET` it for a description.',
        example: '/problems/not_found',
      },
      title: { type: 'string', description: 'A short summary of the problem type.' },
      status: { type: 'integer', description: 'The HTTP status code.' },
      detail: { type: 'string', description: 'What went wrong with this request.' },
      code: { type: 'string', enum: Object.keys(PROBLEMS), description: 'Stable machine-readable code; switch on this.' },
      request_id: { type: 'string', description: 'The request id (also in `X-Request-Id`); quote it when reporting a 5xx.' },
    },
  },
  ValidationProblem: {
    allOf: [
      { $ref: '#/components/schemas/Problem' },
      {
        type: 'object',
        properties: {
          errors: {
            type: 'array',
            description: 'The invalid fields.',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: {
                field: { type: 'string', description: 'Dotted path of the field, e.g. `add_ids.2`.' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    ],
  },
};

const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
  RateLimit: { $ref: '#/components/headers/RateLimit' },
};

const HEADERS: NonNullable<Components['headers']> = {
  'RateLimit-Policy': {
    description: 'The rate-limit policies this call counts against (IETF httpapi draft): `"<name>";q=<quota>;w=<window seconds>`.',
    schema: { type: 'string' },
    example: '"global";q=600;w=60, "write";q=120;w=60',
  },
  RateLimit: {
    description: 'What is left of each policy: `"<name>";r=<remaining>;t=<seconds until reset>`.',
    schema: { type: 'string' },
    example: '"global";r=599;t=60, "write";r=119;t=60',
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  'Cache-Control': {
    description:
      'Always revalidate (`no-cache`); `private` when the answer depends on the token; `private, no-store` for answers never ' +
      'kept (those found by a secret, such as an approval link’s estimate).',
    schema: { type: 'string' },
  },
  'X-Request-Id': { description: 'The request id, echoed from the request when it sent a valid one.', schema: { type: 'string' } },
  ETag: { description: 'Validator of the representation; send it back in `If-None-Match` to get a 304.', schema: { type: 'string' } },
  'WWW-Authenticate': { description: 'The authentication scheme (RFC 6750).', schema: { type: 'string' } },
  [IDEMPOTENT_REPLAYED_HEADER]: {
    description: "`true` on an answer replayed from the `Idempotency-Key`'s first request (absent otherwise).",
    schema: { type: 'string', enum: ['true'] },
  },
};

/**
 * The PDF routes (core's documentRouter), which trpc-to-openapi cannot
 * describe: their path parameters from their procedures' input schemas, and
 * an application/pdf answer. `completeOperation` adds the rest, as for every route.
 */
function documentPaths(): NonNullable<GenerateOpenApiDocumentOptions['paths']> {
  const procedures = documentRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.fromEntries(
    DOCUMENT_ROUTES.map(({ procedurePath, path, meta }) => [
      path,
      {
        get: {
          operationId: procedurePath.replace(/\./g, '-'),
          summary: meta.openapi?.summary,
          description: meta.openapi?.description,
          tags: meta.openapi?.tags,
          requestParams: { path: (procedures[procedurePath]!._def.inputs as ZodObject[])[0] },
          responses: {
            200: {
              description: 'OK.',
              content: { 'application/pdf': { schema: z.string().meta({ format: 'binary', description: 'The PDF document.' }) } },
            },
          },
        },
      },
    ]),
  );
}

/**
 * The event catalogue as OpenAPI 3.1 `webhooks`: what a subscribed URL receives
 * for each event type (the same events `GET /events` lists), so that clients
 * can generate the types of every event's `data`.
 */
function eventWebhooks(): NonNullable<OpenAPIObject['webhooks']> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          // No tag: the docs page lists the catalogue under its own "Webhooks" heading, apart from the routes.
          operationId: `event-${type.replace(/\./g, '-')}`,
          summary: EVENT_CATALOGUE[type].summary,
          description:
            'Signed per the Standard Webhooks specification: verify `webhook-signature` (`v1,<base64 HMAC-SHA256 of ' +
            '"<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64 part of the `whsec_` secret), reject old ' +
            'timestamps, and deduplicate on `webhook-id` (the event id): delivery is at least once.',
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
            name,
            in: 'header',
            required: true,
            schema: { type: 'string' },
          })),
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${eventSchemaName(type)}` } } },
          },
          responses: {
            '200': { description: 'Any 2xx within 10 s acknowledges the event; anything else is retried with backoff.' },
          },
        },
      },
    ]),
  );
}

/** What a PDF answer says of itself. */
const DOCUMENT_HEADERS = {
  'Content-Disposition': {
    description: 'Shown in the browser, saved under the document\'s number: `inline; filename="INV-000001.pdf"`.',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: '`private, no-store`: a document is never kept by a cache.', schema: { type: 'string' } },
};
