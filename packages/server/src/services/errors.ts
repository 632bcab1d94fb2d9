/**
 * Why a service refused a change, for any caller to turn into its own answer: the CLI into an
 * exit code and a line on stderr, the Admin API into a status and a JSON problem.
 *
 * - `invalid`: the input breaks a rule (exit 2, HTTP 400); `field` names the input.
 * - `not_found`: something named does not exist in the issuer (exit 1, HTTP 404).
 * - `conflict`: the change clashes with what is stored, e.g. an id already taken (exit 1, HTTP 409).
 * - `stale`: the change was made against a revision that is no longer current (exit 1, HTTP 412).
 */
export type ServiceErrorCode = 'invalid' | 'not_found' | 'conflict' | 'stale';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    /** The input that was wrong (a service's own field name, e.g. `name`, `roles`), when one was. */
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const invalid = (field: string | undefined, message: string): ServiceError => new ServiceError('invalid', field, message);
export const notFound = (field: string, message: string): ServiceError => new ServiceError('not_found', field, message);
export const stale = (message: string): ServiceError => new ServiceError('stale', undefined, message);
export const conflict = (field: string | undefined, message: string): ServiceError => new ServiceError('conflict', field, message);

/** A short single-line text such as a display name: trimmed, no control characters. */
export function checkedText(field: string, label: string, raw: string, max: number): string {
  const value = raw.trim();
  if (value === '') throw invalid(field, `${label} must not be empty`);
  if ([...value].length > max) throw invalid(field, `${label} must be at most ${max} characters`);
  if (/\p{Cc}/u.test(value)) throw invalid(field, `${label} must not contain control characters (such as newlines)`);
  return value;
}
