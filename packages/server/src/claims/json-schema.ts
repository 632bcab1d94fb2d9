/**
 * The JSON Schema subset an attribute's type is written in (draft 2020-12 keywords, checked
 * here so no schema library is needed): `type` (one of string, number, integer, boolean,
 * object, array, null, or a list of them), `enum`, `const`, `minimum`, `maximum`, `minLength`,
 * `maxLength`, `pattern`, `format` (date-time, date, email, uri), `properties`, `required`,
 * `additionalProperties` (a boolean), `items`, `minItems`, `maxItems`, and `description` and
 * `title` as annotations. A schema using any other keyword is refused when it is configured,
 * so a schema never silently checks less than it says.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const KEYWORDS = new Set([
  '$schema',
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'description',
  'title',
]);
const FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
  uri: (v) => URL.canParse(v),
};
const MAX_DEPTH = 8;

export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;

/** Refuses a schema that is not in the subset (SchemaError naming where). */
export function checkSchema(schema: unknown, at = '$', depth = 0): void {
  if (!isObject(schema)) throw new SchemaError(`${at}: a schema is a JSON object`);
  if (depth > MAX_DEPTH) throw new SchemaError(`${at}: schemas nest at most ${MAX_DEPTH} deep`);
  for (const key of Object.keys(schema)) if (!KEYWORDS.has(key)) throw new SchemaError(`${at}: the keyword "${key.slice(0, 40)}" is not supported`);
  const { type } = schema;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || types.some((t) => typeof t !== 'string' || !TYPES.has(t))) throw new SchemaError(`${at}: type must name JSON types`);
  }
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0)) throw new SchemaError(`${at}: enum must be a non-empty list`);
  for (const key of ['minimum', 'maximum'] as const) {
    if (schema[key] !== undefined && typeof schema[key] !== 'number') throw new SchemaError(`${at}: ${key} must be a number`);
  }
  for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
    if (schema[key] !== undefined && !isCount(schema[key])) throw new SchemaError(`${at}: ${key} must be a whole number`);
  }
  if (schema.pattern !== undefined) {
    if (typeof schema.pattern !== 'string') throw new SchemaError(`${at}: pattern must be a string`);
    try {
      new RegExp(schema.pattern, 'u');
    } catch {
      throw new SchemaError(`${at}: pattern is not a regular expression`);
    }
  }
  if (schema.format !== undefined && (typeof schema.format !== 'string' || !Object.hasOwn(FORMATS, schema.format))) {
    throw new SchemaError(`${at}: format must be one of ${Object.keys(FORMATS).join(', ')}`);
  }
  if (schema.properties !== undefined) {
    if (!isObject(schema.properties)) throw new SchemaError(`${at}: properties must be an object`);
    for (const [name, sub] of Object.entries(schema.properties)) checkSchema(sub, `${at}.${name}`, depth + 1);
  }
  if (schema.required !== undefined && (!Array.isArray(schema.required) || schema.required.some((r) => typeof r !== 'string'))) {
    throw new SchemaError(`${at}: required must be a list of property names`);
  }
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== 'boolean') {
    throw new SchemaError(`${at}: additionalProperties must be true or false`);
  }
  if (schema.items !== undefined) checkSchema(schema.items, `${at}[]`, depth + 1);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The problems of `value` against a schema checkSchema accepted: [] when it is valid. */
export function validate(schema: JsonSchema, value: unknown, at = '$'): string[] {
  const problems: string[] = [];
  const { type } = schema;
  if (type !== undefined) {
    const types = (Array.isArray(type) ? type : [type]) as string[];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${at}: must be ${types.join(' or ')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => sameJson(e, value)))
    problems.push(`${at}: must be one of ${JSON.stringify(schema.enum).slice(0, 200)}`);
  if (schema.const !== undefined && !sameJson(schema.const, value)) problems.push(`${at}: must be ${JSON.stringify(schema.const).slice(0, 100)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${at}: must be at least ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${at}: must be at most ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) problems.push(`${at}: must be at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) problems.push(`${at}: must be at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: must match ${schema.pattern.slice(0, 100)}`);
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    if (format && !format(value)) problems.push(`${at}: must be a ${schema.format as string}`);
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const name of (schema.required as string[] | undefined) ?? []) if (!Object.hasOwn(value, name)) problems.push(`${at}.${name}: is required`);
    for (const [name, item] of Object.entries(value)) {
      const sub = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (sub !== undefined) problems.push(...validate(sub as JsonSchema, item, `${at}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${name.slice(0, 40)}: is not allowed`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(`${at}: must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(`${at}: must have at most ${schema.maxItems} items`);
    if (isObject(schema.items)) for (const [i, item] of value.entries()) problems.push(...validate(schema.items, item, `${at}[${i}]`));
  }
  return problems;
}
