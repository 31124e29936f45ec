import type { Random } from './random.ts';

/** The part of JSON Schema (OpenAPI 3.1) the generated document uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

/** One REST operation of the document, with every `$ref` resolved. */
export interface Operation {
  method: string;
  /** The path template, e.g. `/customers/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON request body's schema, for operations that take one. */
  body?: JsonSchema;
  /** Whether the document says a bearer token is required (not merely accepted). */
  tokenRequired: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface RawOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Array<Record<string, string[]>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = (schema: JsonSchema): JsonSchema => resolveRefs(schema, document.components?.schemas ?? {});
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const raw = item[method]!;
      const body = raw.requestBody?.content?.['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path,
        parameters: (raw.parameters ?? [])
          .filter((parameter) => parameter.in === 'path' || parameter.in === 'query')
          .map((parameter) => ({
            name: parameter.name,
            in: parameter.in as Parameter['in'],
            required: parameter.required === true,
            schema: resolve(parameter.schema),
          })),
        body: body && resolve(body),
        // `[{}]` among the requirements means "or no token at all".
        tokenRequired: (raw.security ?? []).length > 0 && (raw.security ?? []).every((requirement) => Object.keys(requirement).length > 0),
      };
    }),
  );
}

function resolveRefs(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 20) throw new Error('schema nesting too deep (a recursive $ref?)');
  const next = (inner: JsonSchema) => resolveRefs(inner, components, depth + 1);
  if (schema.$ref) {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    const { $ref: _ref, ...rest } = schema;
    return next({ ...target, ...rest });
  }
  return {
    ...schema,
    ...(schema.items ? { items: next(schema.items) } : {}),
    ...(schema.properties
      ? { properties: Object.fromEntries(Object.entries(schema.properties).map(([name, inner]) => [name, next(inner)])) }
      : {}),
    ...(schema.anyOf ? { anyOf: schema.anyOf.map(next) } : {}),
    ...(schema.oneOf ? { oneOf: schema.oneOf.map(next) } : {}),
    ...(schema.allOf ? { allOf: schema.allOf.map(next) } : {}),
  };
}

export function typesOf(schema: JsonSchema): string[] | undefined {
  return schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

/**
 * Why `value` certainly breaks the documented schema, or undefined when it may
 * be valid. It errs towards "may be valid": the server trims strings and
 * ignores case in some patterns, and zod counts string lengths in UTF-16 units
 * where JSON Schema counts code points, so only values invalid under every
 * reading count. Objects are strict (README: unknown fields are refused), so an
 * undocumented property is a violation.
 */
export function violationOf(schema: JsonSchema, value: unknown, at = '(body)'): string | undefined {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const reasons = branches.map((branch) => violationOf(branch, value, at));
    if (reasons.every(Boolean)) return reasons[0];
  }
  for (const part of schema.allOf ?? []) {
    const reason = violationOf(part, value, at);
    if (reason) return reason;
  }
  const types = typesOf(schema);
  if (types && !types.some((type) => hasType(type, value))) return `${at}: expected ${types.join(' or ')}`;
  if (schema.enum && !schema.enum.includes(value)) return `${at}: not one of ${schema.enum.join(', ')}`;
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && [...value.trim()].length > schema.maxLength) return `${at}: longer than ${schema.maxLength}`;
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${at}: shorter than ${schema.minLength}`;
    if (schema.pattern && !patternMayAccept(schema.pattern, value)) return `${at}: does not match ${schema.pattern}`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${at}: below ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${at}: above ${schema.maximum}`;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `${at}: not above ${schema.exclusiveMinimum}`;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return `${at}: not below ${schema.exclusiveMaximum}`;
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${at}: more than ${schema.maxItems} items`;
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${at}: fewer than ${schema.minItems} items`;
    if (schema.items) {
      for (const [index, item] of value.entries()) {
        const reason = violationOf(schema.items, item, `${at}.${index}`);
        if (reason) return reason;
      }
    }
  }
  if (hasType('object', value) && schema.properties) {
    const object = value as Record<string, unknown>;
    const missing = (schema.required ?? []).find((name) => !Object.hasOwn(object, name));
    if (missing) return `${at}.${missing}: required`;
    for (const [name, field] of Object.entries(object)) {
      const property = schema.properties[name];
      if (!property) return `${at}.${name}: unknown field`;
      const reason = violationOf(property, field, name);
      if (reason) return reason;
    }
  }
  return undefined;
}

function patternMayAccept(pattern: string, value: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'i');
  } catch {
    return true;
  }
  return [value, value.trim()].some((candidate) => regex.test(candidate));
}

/** What a valid value may need to know beyond its schema: ids of rows that exist, fresh numbers, free text. */
export interface ValueContext {
  random: Random;
  /** The id of an existing row the named field or parameter refers to, if the name says which. */
  idFor(name: string): number | undefined;
  unique(): number;
  /** Text for a string with no format or pattern; it is cut or padded to the schema's lengths. */
  text(): string;
}

/** A value the schema accepts, with ids of existing rows where the name says what they refer to. */
export function validValue(schema: JsonSchema, name: string, context: ValueContext): unknown {
  const { random } = context;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return random.pick(schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return validValue(random.pick(branches), name, context);
  const type = random.pick(typesOf(schema) ?? ['string']);
  switch (type) {
    case 'integer': {
      const min = schema.minimum ?? 0;
      return context.idFor(name) ?? random.int(min, Math.min(schema.maximum ?? min + 5, min + 5));
    }
    case 'number':
      return random.int(0, 99_999) / 100;
    case 'boolean':
      return random.chance(0.5);
    case 'array':
      return Array.from({ length: random.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 2, 2)) }, () =>
        validValue(schema.items ?? {}, name, context),
      );
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([property]) => schema.required?.includes(property) || random.chance(0.5))
          .map(([property, inner]) => [property, validValue(inner, property, context)]),
      );
    default:
      return validString(schema, context);
  }
}

function validString(schema: JsonSchema, context: ValueContext): string {
  if (schema.format === 'email') return `fuzz.${process.pid}.${context.unique()}@example.com`;
  if (schema.format === 'date') return '2026-12-01';
  if (schema.format === 'date-time') return '2026-12-01T09:30:00.000Z';
  const fromPattern = schema.pattern ? stringMatching(schema.pattern, schema, context.random) : undefined;
  if (fromPattern !== undefined) return fromPattern;
  const text = context.text().padEnd(schema.minLength ?? 0, 'x');
  return schema.maxLength === undefined ? text : text.slice(0, schema.maxLength);
}

const REPETITIONS: Record<string, [number, number]> = { '+': [1, 12], '*': [0, 12], '?': [0, 1] };

/**
 * A string matching a simple pattern: a sequence of literals, `\d` and
 * character classes with quantifiers, between ^ and $ (what the document has
 * for phones and VINs). Undefined for anything richer.
 */
function stringMatching(pattern: string, schema: JsonSchema, random: Random): string | undefined {
  const atoms: Array<{ chars: string[]; min: number; max: number }> = [];
  const source = pattern.replace(/^\^/, '').replace(/\$$/, '');
  for (let i = 0; i < source.length;) {
    let chars: string[];
    const char = source[i]!;
    if (char === '[') {
      const end = source.indexOf(']', i + 1 + (source[i + 1] === ']' ? 1 : 0));
      if (end < 0 || source[i + 1] === '^') return undefined;
      chars = classChars(source.slice(i + 1, end));
      i = end + 1;
    } else if (char === '\\') {
      chars = source[i + 1] === 'd' ? [...'0123456789'] : [source[i + 1]!];
      i += 2;
    } else if ('()|.*+?{'.includes(char)) {
      return undefined;
    } else {
      chars = [char];
      i += 1;
    }
    const quantifier = /^(?:\{(\d+)(,?)(\d*)\}|([+*?]))/.exec(source.slice(i));
    let [min, max] = [1, 1];
    if (quantifier) {
      i += quantifier[0].length;
      const [, atLeast, comma, atMost, symbol] = quantifier;
      if (symbol) [min, max] = REPETITIONS[symbol]!;
      else [min, max] = [Number(atLeast), atMost ? Number(atMost) : comma ? Number(atLeast) + 12 : Number(atLeast)];
    }
    atoms.push({ chars, min, max });
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = atoms
      .map(({ chars, min, max }) => Array.from({ length: random.int(min, max) }, () => random.pick(chars)).join(''))
      .join('');
    if (violationOf({ ...schema, type: 'string' }, text) === undefined && text.trim().length >= (schema.minLength ?? 0)) return text;
  }
  return undefined;
}

function classChars(body: string): string[] {
  const tokens: Array<{ char: string; escaped: boolean }> = [];
  for (let i = 0; i < body.length; i++)
    tokens.push(body[i] === '\\' ? { char: body[++i]!, escaped: true } : { char: body[i]!, escaped: false });
  const chars: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const [from, dash, to] = [tokens[i]!, tokens[i + 1], tokens[i + 2]];
    if (dash?.char === '-' && !dash.escaped && to) {
      for (let code = from.char.charCodeAt(0); code <= to.char.charCodeAt(0); code++) chars.push(String.fromCharCode(code));
      i += 2;
    } else {
      chars.push(from.char);
    }
  }
  return chars;
}
