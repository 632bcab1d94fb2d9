/** The issuer that keeps the URLs of a single-issuer deployment: everything at GATEHOUSE_ISSUER. */
export const DEFAULT_ISSUER_ID = 'default';

const ISSUER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * First path segments of the default issuer's own routes: an issuer at `<GATEHOUSE_ISSUER>/<id>`
 * may not shadow one, and a request starting with one is the default issuer's without a lookup.
 */
export const ROUTE_ROOTS: ReadonlySet<string> = new Set([
  'oauth',
  'interaction',
  'account',
  'password',
  'assets',
  'healthz',
  'readyz',
  'admin',
  'signin',
  'integrations',
  'signup',
  'metrics',
  '.well-known',
]);

/** Ids no issuer may take: the default issuer's, route roots, and names kept for later use. */
const RESERVED: ReadonlySet<string> = new Set([DEFAULT_ISSUER_ID, ...ROUTE_ROOTS, 'api', 'static', 'system', 'www']);

/** Whether `value` has the shape of an issuer id (it may still be reserved or unknown). */
export function looksLikeIssuerId(value: string): boolean {
  return ISSUER_ID.test(value);
}

/** Why `id` cannot name a new issuer, or undefined when it can (deleted ids are checked by the repository). */
export function issuerIdProblem(id: string): string | undefined {
  if (!ISSUER_ID.test(id)) return 'an issuer id is 2 to 63 characters: lower-case letters, digits and hyphens, starting with a letter or digit';
  if (RESERVED.has(id)) return `"${id}" is reserved`;
  return undefined;
}
