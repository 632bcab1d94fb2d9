/**
 * Where the tests mount the default issuer: at the root of http://localhost:3000, or under the
 * path TEST_ISSUER_PREFIX names (`TEST_ISSUER_PREFIX=/idp npm test`), so the whole suite can
 * check that every endpoint, page, link, redirect and cookie of an issuer served under a path
 * stays under it. Tests build their URLs and paths from here, never from root literals.
 */

function prefixFromEnv(value: string | undefined): string {
  if (value === undefined || value === '' || value === '/') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new Error(`TEST_ISSUER_PREFIX must be a path like /idp or /a/b (no trailing slash, no query): got ${JSON.stringify(value)}`);
  }
  return value;
}

/** '' at the root, else like /idp. */
export const TEST_PREFIX: string = prefixFromEnv(process.env.TEST_ISSUER_PREFIX);

/** The default issuer of a test context: GATEHOUSE_ISSUER as createTestContext sets it. */
export const ISSUER = `http://localhost:3000${TEST_PREFIX}`;

/** The path of one of the default issuer's routes on its host: at('/oauth/token') is /idp/oauth/token under /idp. */
export function at(route: string): string {
  return `${TEST_PREFIX}${route}`;
}

/** An issuer URL at `origin` under the test prefix, for a test that sets GATEHOUSE_ISSUER itself. */
export function issuerAt(origin: string): string {
  return `${origin}${TEST_PREFIX}`;
}

/** at(route) as regular-expression source, for patterns over pages: new RegExp(`href="${atRe('/assets/x.css')}"`). */
export function atRe(route: string): string {
  return at(route).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The default issuer's cookie names: at the root of its host as they are, under a path named for
// the issuer (`gh_session_default`), as cookies of the host's root reach every path under it.
const COOKIE_SUFFIX = TEST_PREFIX === '' ? '' : '_default';
export const SESSION_COOKIE = `gh_session${COOKIE_SUFFIX}`;
export const INTERACTION_COOKIE = `gh_interaction${COOKIE_SUFFIX}`;
export const PASSWORD_FORM_COOKIE = `gh_password_form${COOKIE_SUFFIX}`;
