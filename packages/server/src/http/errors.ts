import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IssuerScope } from '../issuers/scope.js';
import { isConsolePath } from '../console/paths.js';
import { OAuthError, PageError, RedirectableError, UnavailableError } from '../errors.js';
import { type Logger, describeError } from '../log.js';
import { ErrorPage } from '../pages/layout.js';
import { type Text, say, translator } from '../pages/translator.js';
import { pageTranslator } from './locale.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { sendPage, seeOther } from './respond.js';
import { logSecurityEvent, requestContext } from './request-log.js';

/** Paths whose errors are shown to people as pages rather than JSON. */
export function isPagePath(path: string): boolean {
  return (
    path === '/oauth/authorize' ||
    path.startsWith('/oauth/logout') ||
    path.startsWith('/interaction/') ||
    path.startsWith('/account') ||
    path.startsWith('/password/') ||
    path === '/signup' ||
    isConsolePath(path)
  );
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
  const logged = error instanceof OAuthError || error instanceof PageError ? error.logged : undefined;
  if (logged) logSecurityEvent(c, logged.level ?? 'warn', logged.event, logged.fields);
  if (error instanceof RedirectableError) return seeOther(c, errorRedirectUrl(error, scope.url));

  const page = isPagePath(c.req.path);
  // The request id, in the request's log line: what a person quotes to the operator.
  const reference = requestContext(c).id;
  if (error instanceof UnavailableError || isDatabaseUnavailable(error)) {
    logger.log('warn', 'unavailable', { request_id: reference, ...describeError(error) });
    c.header('Retry-After', '5');
    if (page)
      return sendPage(
        c,
        ErrorPage({ site: scope, t: pageTranslator(c), title: say('error.unavailable.title'), message: say('error.unavailable'), reference }),
        503,
      );
    return c.json({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable' }, 503);
  }

  if (error instanceof PageError) {
    const status = error.status as ContentfulStatusCode;
    if (page) return sendPage(c, ErrorPage({ site: scope, t: pageTranslator(c), title: say('error.title'), message: error.text, reference }), status);
    // Thrown only on the pages' paths; should one reach a client, it is a bad request in English.
    return c.json({ error: 'invalid_request', error_description: translator().say(error.text) }, status);
  }

  let oauth: OAuthError;
  if (error instanceof OAuthError) {
    oauth = error;
  } else {
    logger.log('error', 'unhandled', { request_id: reference, route: c.req.routePath, ...describeError(error) });
    oauth = new OAuthError('server_error', 'An unexpected error occurred');
  }
  for (const [name, value] of Object.entries(oauth.headers)) c.header(name, value);
  const status = oauth.status as ContentfulStatusCode;
  if (page)
    return sendPage(
      c,
      ErrorPage({ site: scope, t: pageTranslator(c), title: say('error.title'), message: oauth.forPeople ?? forPeople(oauth), reference }),
      status,
    );
  return c.json(oauth.toJSON(), status);
}

/**
 * What a person is told of a protocol error on a page: its English description is for clients,
 * so the page says what kind of failure it was, in the person's language.
 */
function forPeople(error: OAuthError): Text {
  if (error.status >= 500) return say('error.unexpected');
  if (error.status === 405) return say('error.method');
  if (error.status === 413) return say('error.tooLarge');
  return say('error.badRequest');
}
