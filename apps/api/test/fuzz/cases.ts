import type { Role } from '@mechanic-shop/core';
import {
  CONTENT_TYPES,
  EXTRA_FIELDS,
  hostileFieldValue,
  hostileQueryText,
  hostileSegment,
  hostileString,
  jsonText,
  malformedJson,
  ODD_HEADERS,
  UNKNOWN_QUERY,
} from './hostile.ts';
import { typesOf, validValue, violationOf, type JsonSchema, type Operation, type Parameter, type ValueContext } from './openapi.ts';
import type { Random } from './random.ts';

/** A request as it goes on the wire: the target is sent as it is (already percent-encoded where needed). */
export interface FuzzRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzCase {
  request: FuzzRequest;
  /** What was done to a valid request of the operation, e.g. `path id ← 1e9999`. */
  mutations: string[];
  /** Who the request claims to be, for reports (tokens themselves are not printed). */
  caller: string;
  /** Why the documented contract certainly refuses the request; undefined when it may be valid. */
  mustReject?: string;
}

/** What cases are made against: tokens and the ids of rows that exist. */
export interface FuzzWorld {
  tokens: Record<Role, string>;
  /** Authorization header values that carry no valid token: forged, expired, of deleted accounts, malformed. */
  badAuthorizations: Array<{ label: string; value: string }>;
  /** Ids of existing rows that a field, parameter or path segment of this name refers to, the callers' own first. */
  idsFor(name: string): number[];
}

export interface CaseSettings {
  operation: Operation;
  /** The roles whose tokens the operation accepts; empty when anyone may call it. */
  roles: Role[];
  world: FuzzWorld;
  random: Random;
  unique: () => number;
  maxBodyBytes: number;
}

interface Caller {
  label: string;
  role?: Role;
  authorization?: string;
}

type Body = { json: unknown } | { text: string };

/** A request being made: valid at first, then mutated. */
interface Draft {
  path: Map<string, string>;
  /** Raw `key=value` parts of the query string. */
  query: string[];
  body?: Body;
  contentType?: string;
  caller: Caller;
  headers: Record<string, string>;
  mutations: string[];
}

type Mutator = (draft: Draft, settings: CaseSettings) => void;

/**
 * One fuzz case for an operation: a valid request made from the operation's
 * parameters and body schema (with ids of rows that exist), then one or two
 * mutations drawn from those that apply to it.
 */
export function fuzzCase(settings: CaseSettings): FuzzCase {
  const { operation, random } = settings;
  const draft = validDraft(settings);
  const mutators = mutatorsFor(operation);
  for (let count = random.chance(0.2) ? 2 : 1; count > 0; count--) random.pick(mutators)(draft, settings);
  const request = requestOf(draft, operation);
  return { request, mutations: draft.mutations, caller: draft.caller.label, mustReject: contractViolation(settings, draft, request) };
}

function valueContext({ world, random, unique }: CaseSettings): ValueContext {
  return {
    random,
    unique,
    // Often hostile, so that every kind of case also carries text the database must take as it is.
    text: () => (random.chance(0.4) ? hostileString(random) : `Fuzz ${unique()}`),
    idFor(name) {
      const ids = world.idsFor(name);
      if (ids.length === 0) return undefined;
      return random.chance(0.8) ? ids[0] : random.pick(ids);
    },
  };
}

function validDraft(settings: CaseSettings): Draft {
  const { operation, random, world } = settings;
  const context = valueContext(settings);
  const segments = operation.path.split('/');
  const path = new Map<string, string>();
  const query: string[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      // `{id}` refers to the collection before it: /customers/{id} is a customer id.
      const before = segments[segments.indexOf(`{${parameter.name}}`) - 1] ?? '';
      const name = world.idsFor(parameter.name).length > 0 ? parameter.name : before;
      path.set(parameter.name, String(validValue(parameter.schema, name, context)));
    } else if (parameter.required || random.chance(0.4)) {
      query.push(queryPart(parameter.name, String(validValue(parameter.schema, parameter.name, context))));
    }
  }
  const roles: Array<Role | undefined> = settings.roles.length > 0 ? settings.roles : [undefined, 'customer', 'mechanic'];
  const role = random.pick(roles);
  return {
    path,
    query,
    body: operation.body ? { json: validValue(operation.body, '(body)', context) } : undefined,
    contentType: operation.body ? 'application/json' : undefined,
    caller: role ? { label: `${role} token`, role, authorization: `Bearer ${world.tokens[role]}` } : { label: 'no token' },
    headers: {},
    mutations: [],
  };
}

const queryPart = (key: string, value: string) => `${encodeText(key)}=${encodeText(value)}`;

/** encodeURIComponent, except that a lone surrogate goes as the invalid UTF-8 bytes WTF-8 gives it instead of throwing. */
function encodeText(text: string): string {
  return text.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) => {
    if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
    const unit = part.charCodeAt(0);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join('');
  });
}

function keyOf(part: string): string {
  return [...new URLSearchParams(part).keys()][0] ?? '';
}

/** The mutations that apply to an operation, each listed as often as it should be drawn. */
function mutatorsFor(operation: Operation): Mutator[] {
  const has = (where: Parameter['in']) => operation.parameters.some((parameter) => parameter.in === where);
  return [
    mutateCaller,
    mutateCaller,
    addOddHeader,
    addUnknownQuery,
    addHugeQuery,
    ...(has('path') ? [mutatePathParameter, mutatePathParameter, mutatePathParameter] : []),
    ...(has('query') ? [mutateQueryValue, mutateQueryValue, mutateQueryValue, mutateQueryShape, mutateQueryShape] : []),
    ...(operation.body
      ? [
          mutateBodyField,
          mutateBodyField,
          mutateBodyField,
          mutateBodyField,
          dropBodyFields,
          addBodyField,
          addBodyField,
          replaceBodyTopLevel,
          breakBodyJson,
          inflateBody,
          changeContentType,
          dropBody,
        ]
      : [addStrayBody]),
  ];
}

const mutateCaller: Mutator = (draft, { world, random }) => {
  const role = random.pick(['customer', 'mechanic'] as const);
  const token = world.tokens[role];
  const bad = random.pick(world.badAuthorizations);
  draft.caller = random.pick<Caller>([
    { label: 'no token' },
    { label: `${role} token`, role, authorization: `Bearer ${token}` },
    { label: `${role} token, lower-case scheme`, role, authorization: `bearer ${token}` },
    { label: `${role} token twice`, authorization: `Bearer ${token}, Bearer ${token}` },
    { label: `${role} token without scheme`, authorization: token },
    { label: bad.label, authorization: bad.value },
    { label: bad.label, authorization: bad.value },
  ]);
  draft.mutations.push(`caller ← ${draft.caller.label}`);
};

const addOddHeader: Mutator = (draft, { random }) => {
  const [name, value] = random.pick(ODD_HEADERS);
  draft.headers[name] = value;
  draft.mutations.push(`header ${name}: ${preview(value)}`);
};

const addUnknownQuery: Mutator = (draft, { random }) => {
  const [key, value] = random.pick(UNKNOWN_QUERY);
  draft.query.push(queryPart(key, value));
  draft.mutations.push(`query + ${key}=${value}`);
};

const addHugeQuery: Mutator = (draft, { operation, random }) => {
  const key = random.pick([...operation.parameters.filter((parameter) => parameter.in === 'query').map(({ name }) => name), 'padding']);
  // Past 16 KB, Node's parser refuses the request line itself.
  const length = random.pick([2_000, 8_000, 8_000, 20_000]);
  draft.query = draft.query.filter((part) => keyOf(part) !== key);
  draft.query.push(queryPart(key, '9'.repeat(length)));
  draft.mutations.push(`query ${key} ← ${length} digits`);
};

const mutatePathParameter: Mutator = (draft, { operation, random }) => {
  const parameter = random.pick(operation.parameters.filter((candidate) => candidate.in === 'path'));
  const segment = random.chance(0.05) ? '9'.repeat(20_000) : hostileSegment(draft.path.get(parameter.name) ?? '1', random);
  draft.path.set(parameter.name, segment);
  draft.mutations.push(`path ${parameter.name} ← ${preview(segment)}`);
};

const mutateQueryValue: Mutator = (draft, { operation, random }) => {
  const parameter = random.pick(operation.parameters.filter((candidate) => candidate.in === 'query'));
  draft.query = draft.query.filter((part) => keyOf(part) !== parameter.name);
  if (random.chance(0.1)) {
    const raw = random.pick(['%ZZ', '%', '%00', '%E0%A4%A', '%C0%AF', '%u0031']);
    draft.query.push(`${encodeText(parameter.name)}=${raw}`);
    draft.mutations.push(`query ${parameter.name} ← raw ${raw}`);
    return;
  }
  const text = hostileQueryText(parameter.schema, random);
  draft.query.push(queryPart(parameter.name, text));
  draft.mutations.push(`query ${parameter.name} ← ${preview(text)}`);
};

const mutateQueryShape: Mutator = (draft, settings) => {
  const { operation, random } = settings;
  const parameter = random.pick(operation.parameters.filter((candidate) => candidate.in === 'query'));
  const value = String(validValue(parameter.schema, parameter.name, valueContext(settings)));
  const name = encodeText(parameter.name);
  const [label, parts] = random.pick<[string, string[]]>([
    ['twice', [`${name}=${encodeText(value)}`, `${name}=${encodeText(value)}`]],
    ['twice, different', [`${name}=${encodeText(value)}`, `${name}=2`]],
    ['as array', [`${name}[]=${encodeText(value)}`]],
    ['as operator object', [`${name}[$gt]=0`]],
    ['as prototype path', [`${name}[__proto__][role]=admin`]],
    ['without value', [name]],
    ['empty', [`${name}=`]],
    ['left out', []],
  ]);
  draft.query = draft.query.filter((part) => keyOf(part) !== parameter.name).concat(parts);
  draft.mutations.push(`query ${parameter.name} ${label}`);
};

/** The body as a mutable object, when it still is one. */
function bodyObject(draft: Draft): Record<string, unknown> | undefined {
  const json = draft.body && 'json' in draft.body ? draft.body.json : undefined;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

const mutateBodyField: Mutator = (draft, { operation, random }) => {
  const object = bodyObject(draft);
  const properties = Object.entries(operation.body?.properties ?? {});
  if (!object || properties.length === 0) return;
  const [name, schema] = random.pick(properties);
  const value = hostileFieldValue(schema, random);
  object[name] = value;
  draft.mutations.push(`body ${name} ← ${preview(value)}`);
};

const dropBodyFields: Mutator = (draft, { operation, random }) => {
  const object = bodyObject(draft);
  if (!object) return;
  const required = operation.body?.required ?? [];
  const dropped = required.length > 0 ? required.filter((_, index) => index === 0 || random.chance(0.5)) : Object.keys(object);
  for (const name of dropped) delete object[name];
  draft.mutations.push(`body without ${dropped.join(', ') || 'fields'}`);
};

const addBodyField: Mutator = (draft, { random }) => {
  const object = bodyObject(draft);
  if (!object) return;
  if (random.chance(0.1)) {
    for (let index = 0; index < 3_000; index++) object[`field${index}`] = index;
    draft.mutations.push('body + 3000 unknown fields');
    return;
  }
  const [name, value] = random.pick(EXTRA_FIELDS);
  // defineProperty: `__proto__` must become a field, not the object's prototype.
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  draft.mutations.push(`body + ${name}: ${preview(value)}`);
};

const replaceBodyTopLevel: Mutator = (draft, { random }) => {
  const valid = draft.body && 'json' in draft.body ? draft.body.json : {};
  const json = random.pick([[], [valid], [[valid]], 'text', jsonText(valid), null, 0, 42, true, false, '']);
  draft.body = { json };
  draft.mutations.push(`body ← ${preview(json)}`);
};

const breakBodyJson: Mutator = (draft, { random }) => {
  const text = malformedJson(draft.body && 'json' in draft.body ? jsonText(draft.body.json) : '{}', random);
  draft.body = { text };
  draft.mutations.push(`body ← malformed ${preview(text)}`);
};

const inflateBody: Mutator = (draft, { maxBodyBytes, random }) => {
  const valid = draft.body && 'json' in draft.body ? jsonText(draft.body.json) : '{}';
  const [label, text] = random.pick<[string, string]>([
    ['padded past the size limit', valid + ' '.repeat(maxBodyBytes)],
    ['a field past the size limit', valid.replace(/^\{/, `{"padding":"${'x'.repeat(maxBodyBytes)}",`)],
    ['a field just within the size limit', valid.replace(/^\{/, `{"padding":"${'x'.repeat(maxBodyBytes - valid.length - 20)}",`)],
    ['1 MB', valid + ' '.repeat(1024 * 1024)],
  ]);
  draft.body = { text };
  draft.mutations.push(`body ${label}`);
};

const changeContentType: Mutator = (draft, { random }) => {
  const { value } = random.pick(CONTENT_TYPES);
  draft.contentType = value;
  draft.mutations.push(`content-type ← ${value ?? '(none)'}`);
};

const dropBody: Mutator = (draft, { random }) => {
  draft.body = undefined;
  if (random.chance(0.5)) draft.contentType = undefined;
  draft.mutations.push(`no body${draft.contentType ? '' : ', no content-type'}`);
};

const addStrayBody: Mutator = (draft) => {
  draft.body = { json: { id: 1, role: 'mechanic', customer_id: 1 } };
  draft.contentType = 'application/json';
  draft.mutations.push('body on an operation that takes none');
};

function requestOf(draft: Draft, operation: Operation): FuzzRequest {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => draft.path.get(name) ?? '');
  const headers: Record<string, string> = { ...draft.headers };
  if (draft.caller.authorization !== undefined) headers.authorization = draft.caller.authorization;
  const body = draft.body === undefined ? undefined : 'text' in draft.body ? draft.body.text : jsonText(draft.body.json);
  if (body !== undefined && draft.contentType !== undefined) headers['content-type'] = draft.contentType;
  return { method: operation.method, target: draft.query.length > 0 ? `${path}?${draft.query.join('&')}` : path, headers, body };
}

/**
 * Why the documented contract refuses the request, judged from the request
 * itself rather than from the mutations: a caller without a token of a role
 * that may call, a path or query parameter or body outside its schema, an
 * unknown query parameter (query strings are strict, and operations with a
 * body take none), a body that is not JSON or over the size limit.
 */
function contractViolation({ operation, roles, maxBodyBytes }: CaseSettings, draft: Draft, request: FuzzRequest): string | undefined {
  if (roles.length > 0 && !(draft.caller.role && roles.includes(draft.caller.role))) return `needs a ${roles.join(' or ')} token`;
  const query = new URLSearchParams(draft.query.join('&'));
  for (const key of query.keys()) {
    if (!operation.parameters.some((parameter) => parameter.in === 'query' && parameter.name === key))
      return `unknown query parameter "${key}"`;
  }
  for (const parameter of operation.parameters) {
    const texts = parameter.in === 'path' ? [draft.path.get(parameter.name) ?? ''] : query.getAll(parameter.name);
    if (texts.length === 0 && parameter.required) return `${parameter.name} is required`;
    const reason =
      texts.length === 1 ? violationOf(parameter.schema, parameterValue(parameter.schema, texts[0]!), parameter.name) : undefined;
    if (reason) return reason;
  }
  if (!operation.body) return undefined;
  const text = request.body;
  if (text === undefined || text.trim() === '') return violationOf(operation.body, {});
  if (!draft.contentType || !/json/i.test(draft.contentType)) return 'the body is not declared as JSON';
  if (Buffer.byteLength(text) > maxBodyBytes) return 'the body is over the size limit';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  return violationOf(operation.body, parsed);
}

/** A path or query parameter's text as the value its schema describes. */
function parameterValue(schema: JsonSchema, text: string): unknown {
  const types = typesOf(schema) ?? [];
  return types.includes('integer') || types.includes('number') ? Number(text) : text;
}

/** A short, escaped rendering of a value for labels. */
export function preview(value: unknown, length = 60): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : jsonText(value);
  return text.length > length ? `${text.slice(0, length)}…(${text.length} chars)` : text;
}
