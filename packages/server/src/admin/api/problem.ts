import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OAuthError } from '../../errors.js';
import { ServiceError } from '../../services/errors.js';

/** One input that was wrong: its name in the API (`redirect_uris`, `body`, `query.limit`) and why. */
export interface FieldProblem {
  field: string;
  detail: string;
}

/**
 * An Admin API failure as RFC 9457 problem details. `code` makes the `type` URI
 * (`urn:gatehouse:problem:<code>`) and is what programs should compare, not the wording.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }

  toJSON(): Record<string, unknown> {
    return {
      type: `urn:gatehouse:problem:${this.code}`,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors: FieldProblem[] = []): Problem =>
  new Problem(400, 'invalid_request', 'The request is not valid', detail, errors);
export const notFoundProblem = (detail: string): Problem => new Problem(404, 'not_found', 'Not found', detail);
export const forbidden = (detail: string): Problem => new Problem(403, 'forbidden', 'Not allowed', detail);

/** Maps a service's field names (camelCase) to the API's (RFC 7591 snake_case). */
export type FieldNames = Record<string, string>;

/** A service's refusal as a problem naming the API field; other errors are not problems. */
export function serviceProblem(error: ServiceError, names: FieldNames = {}): Problem {
  const field = error.field === undefined ? undefined : (names[error.field] ?? error.field);
  const errors = field ? [{ field, detail: error.message }] : [];
  if (error.code === 'not_found') return new Problem(404, 'not_found', 'Not found', error.message, errors);
  if (error.code === 'stale') return new Problem(412, 'precondition_failed', 'The resource has changed', error.message);
  if (error.code === 'conflict') return new Problem(409, 'conflict', 'Conflict', error.message, errors);
  return new Problem(400, 'invalid_request', 'The request is not valid', error.message, errors);
}

/** A bearer-token failure (RFC 6750) keeps its status and WWW-Authenticate challenge. */
export function tokenProblem(error: OAuthError): Problem {
  const title = error.status === 403 ? 'Not allowed' : 'Not authenticated';
  return new Problem(error.status, error.code, title, error.description, [], error.headers);
}

export function sendProblem(c: Context, problem: Problem): Response {
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value);
  c.header('Cache-Control', 'no-store');
  c.header('Content-Type', 'application/problem+json');
  return c.body(JSON.stringify(problem.toJSON()), problem.status as ContentfulStatusCode);
}

/** What any thrown error means here; undefined for an unexpected one (a 500 with a reference). */
export function asProblem(error: unknown, names?: FieldNames): Problem | undefined {
  if (error instanceof Problem) return error;
  if (error instanceof ServiceError) return serviceProblem(error, names);
  if (error instanceof OAuthError && error.status < 500) return tokenProblem(error);
  return undefined;
}
