import type { Context } from 'hono';
import type { z } from 'zod';
import { readBody } from '../../http/body.js';
import { OAuthError } from '../../errors.js';
import { type FieldProblem, Problem, badRequest } from './problem.js';

/** Larger than any client or user the API takes; a body past it is refused before it is parsed. */
export const BODY_LIMIT = 64 * 1024;

const JSON_TYPES = ['application/json', 'application/merge-patch+json'];

/** Zod's complaints as the problem's `errors`, each naming the input by its path. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[], where: 'body' | 'query'): FieldProblem[] {
  return issues.slice(0, 20).map((issue) => {
    const path = issue.path.map(String).join('.');
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
    const field = keys.length > 0 ? [path, keys[0]].filter(Boolean).join('.') : path;
    return { field: where === 'query' ? `query.${field}` : field || 'body', detail: issue.message };
  });
}

/** The request's JSON body, checked against `schema`; its raw text too (for Idempotency-Key). */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<{ value: T; raw: string }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.includes(type)) {
    throw new Problem(415, 'unsupported_media_type', 'Unsupported media type', 'Send the body as application/json', [], { Accept: 'application/json' });
  }
  let raw: string;
  try {
    raw = (await readBody(c, BODY_LIMIT)).toString('utf8');
  } catch (error) {
    if (error instanceof OAuthError && error.status === 413)
      throw new Problem(413, 'too_large', 'The request body is too large', `At most ${BODY_LIMIT} bytes`);
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('The body is not valid JSON', [{ field: 'body', detail: 'not valid JSON' }]);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw badRequest('The body does not match the schema', fieldProblems(result.error.issues, 'body'));
  return { value: result.data, raw };
}

/** The query string as one value per name (a repeated name is refused), checked against `schema`. */
export function queryParams<T>(c: Context, schema: z.ZodType<T>): T {
  const params = new URL(c.req.url).searchParams;
  const values: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in values)
      throw badRequest(`The query parameter ${name.slice(0, 50)} is given twice`, [{ field: `query.${name.slice(0, 50)}`, detail: 'given twice' }]);
    values[name] = value;
  }
  const result = schema.safeParse(values);
  if (!result.success) throw badRequest('The query does not match the schema', fieldProblems(result.error.issues, 'query'));
  return result.data;
}
