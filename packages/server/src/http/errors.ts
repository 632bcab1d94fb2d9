import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IssuerScope } from '../issuers/scope.js';
import { OAuthError, RedirectableError, UnavailableError } from '../errors.js';
import { type Logger, describeError } from '../log.js';
import { errorPage } from '../pages/layout.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { sendPage, seeOther } from './respond.js';

/** Paths whose errors are shown to people as pages rather than JSON. */
export function isPagePath(path: string): boolean {
  return path === '/oauth/authorize' || path.startsWith('/oauth/logout') || path.startsWith('/interaction/') || path.startsWith('/account') || path.startsWith('/password/');
}

/** Adds error, error_description, state and iss to a validated redirect_uri (RFC 6749, RFC 9207). */
export function errorRedirectUrl(error: RedirectableError, issuer: string): string {
  const url = new URL(error.redirectUri);
  url.searchParams.set('error', error.code);
  url.searchParams.set('error_description', error.description);
  if (error.state !== undefined) url.searchParams.set('state', error.state);
  url.searchParams.set('iss', issuer);
  return url.href;
}

/** The single place where failures become responses: JSON, a redirect or a page. */
export function handleError(error: unknown, c: Context, scope: IssuerScope, logger: Logger): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  if (error instanceof RedirectableError) return seeOther(c, errorRedirectUrl(error, scope.url));

  const page = isPagePath(c.req.path);
  if (error instanceof UnavailableError || isDatabaseUnavailable(error)) {
    logger.log('warn', 'unavailable', describeError(error));
    c.header('Retry-After', '5');
    if (page) return sendPage(c, errorPage(scope, 'Temporarily unavailable', 'Please try again in a few seconds.'), 503);
    return c.json({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable' }, 503);
  }

  let oauth: OAuthError;
  if (error instanceof OAuthError) {
    oauth = error;
  } else {
    logger.log('error', 'unhandled', { path: c.req.path, ...describeError(error) });
    oauth = new OAuthError('server_error', 'An unexpected error occurred');
  }
  for (const [name, value] of Object.entries(oauth.headers)) c.header(name, value);
  const status = oauth.status as ContentfulStatusCode;
  if (page) return sendPage(c, errorPage(scope, 'Something went wrong', oauth.description), status);
  return c.json(oauth.toJSON(), status);
}
