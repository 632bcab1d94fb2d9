import type { Hono } from 'hono';
import { sha256 } from '../tokens/random.js';
import { rawQuery } from '../http/form.js';
import { sendPage } from '../http/respond.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type AppFetch, forwardedEnv } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { inspectToken } from './inspect.js';
import type { ClientView } from './pages/apps.js';
import { TryResultPage, type TryOutcome } from './pages/try-sign-in.js';
import { CONSOLE_PATHS } from './paths.js';
import { startTryFlow, takeTryFlow, type TryFlow } from './try-flow.js';
import { postForm, verifiedSubject } from './tokens.js';

/** The redirect URI a "try sign-in" comes back to: the operator adds it to the app to use the try. */
export function tryRedirectUri(scope: IssuerScope): string {
  return scope.href(CONSOLE_PATHS.tryCallback);
}

const appRoute = (id: string, rest = ''): string => `${CONSOLE_PATHS.apps}/${encodeURIComponent(id)}${rest}`;

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One request to the token or revocation endpoint as the app itself (its secret, or its client_id alone for a public app). */
async function asTheApp(
  fetch: AppFetch,
  scope: IssuerScope,
  endpoint: '/oauth/token' | '/oauth/revoke',
  app: ClientView,
  secret: string | undefined,
  params: Record<string, string>,
  env: object | undefined,
): Promise<TokenAnswer> {
  const headers: Record<string, string> = {};
  const body = new URLSearchParams(params);
  if (app.token_endpoint_auth_method === 'client_secret_basic' && secret !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(app.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  } else {
    body.set('client_id', app.client_id);
    if (secret !== undefined) body.set('client_secret', secret);
  }
  const response = await postForm(fetch, scope, endpoint, body, env, headers);
  // The revocation endpoint answers 200 with no body (RFC 7009 §2.2).
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body: answer && typeof answer === 'object' ? answer : {} };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value.slice(0, 8000) : undefined);

/** The code exchanged as the app would, its tokens decoded and checked; the refresh token revoked after. */
async function finish(fetch: AppFetch, call: ConsoleCall, flow: TryFlow, code: string): Promise<TryOutcome> {
  const { scope } = call;
  const app = await call.read<ClientView>(`/clients/${encodeURIComponent(flow.clientId)}`);
  const env = forwardedEnv(call.c.env);
  const answer = await asTheApp(
    fetch,
    scope,
    '/oauth/token',
    app,
    flow.secret,
    { grant_type: 'authorization_code', code, redirect_uri: tryRedirectUri(scope), code_verifier: flow.verifier },
    env,
  );
  if (answer.status !== 200) return { app, error: text(answer.body.error) ?? 'server_error', description: text(answer.body.error_description) };
  const idToken = text(answer.body.id_token);
  const accessToken = text(answer.body.access_token);
  const refreshToken = text(answer.body.refresh_token);
  const subject = idToken ? await verifiedSubject(scope, idToken, flow.nonce, app.client_id) : undefined;
  // The try leaves no working token behind (RFC 7009): its access token, then its refresh token,
  // which ends its grant.
  for (const [token, hint] of [
    [accessToken, 'access_token'],
    [refreshToken, 'refresh_token'],
  ] as const) {
    if (token) await asTheApp(fetch, scope, '/oauth/revoke', app, flow.secret, { token, token_type_hint: hint }, env);
  }
  return {
    app,
    scope: text(answer.body.scope),
    expiresIn: typeof answer.body.expires_in === 'number' ? answer.body.expires_in : undefined,
    subject: subject?.sub,
    nonceChecked: subject !== undefined,
    idToken: idToken ? await inspectToken(scope, idToken) : undefined,
    accessToken: accessToken ? await inspectToken(scope, accessToken) : undefined,
  };
}

/**
 * "Try sign-in" on an app's page: a real code flow with the app's own client id, scopes and
 * client authentication, back to the console's try address (which the operator adds to the
 * app's redirect URIs, visibly and audited, as exact matching requires), ending on its tokens decoded.
 */
export function registerTrySignIn(app: Hono, fetch: AppFetch): void {
  const page = (handle: (call: ConsoleCall) => Promise<Response>) => consolePage(fetch, handle);

  app.post(
    `${CONSOLE_PATHS.apps}/:id/try`,
    page(async (call) => {
      const id = call.c.req.param('id') ?? '';
      const result = await call.api.get<ClientView>(`/clients/${encodeURIComponent(id)}`);
      if (!result.ok) apiFailed(result);
      const client = result.body;
      const redirectUri = tryRedirectUri(call.scope);
      if (call.form.get('enable') === '1') {
        if (!client.redirect_uris.includes(redirectUri)) {
          const patched = await call.api.send(
            'PATCH',
            `/clients/${encodeURIComponent(id)}`,
            { redirect_uris: [...client.redirect_uris, redirectUri] },
            result.etag ? { 'if-match': result.etag } : {},
          );
          if (!patched.ok) apiFailed(patched);
        }
        return call.redirect(`${appRoute(id)}?notice=try_enabled#try`);
      }
      if (!client.redirect_uris.includes(redirectUri) || !client.grant_types.includes('authorization_code')) return call.redirect(`${appRoute(id)}#try`);
      const secret = client.token_endpoint_auth_method === 'none' ? undefined : (call.form.get('client_secret') ?? '').trim().slice(0, 500);
      if (secret === '') return call.redirect(`${appRoute(id)}?notice=try_secret#try`);
      const flow = await startTryFlow(call.c, call.scope, client.client_id, secret);
      const authorize = new URL(call.scope.href('/oauth/authorize'));
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        scope: client.scope,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: sha256(flow.verifier),
        code_challenge_method: 'S256',
        // The operator chooses which account to try with, whoever is signed in in this browser.
        prompt: 'login',
        ...(client.resources[0] ? { resource: client.resources[0] } : {}),
      }).toString();
      return call.c.redirect(authorize.href, 303);
    }),
  );

  app.get(
    CONSOLE_PATHS.tryCallback,
    page(async (call) => {
      const query = new URLSearchParams(rawQuery(call.c));
      const flow = await takeTryFlow(call.c, call.scope);
      const state = query.get('state');
      if (!flow || !state || state !== flow.state || query.get('iss') !== call.scope.url) {
        return sendPage(call.c, TryResultPage({ frame: call.frame, outcome: { error: 'flow' } }), 400);
      }
      const error = query.get('error');
      const code = query.get('code');
      if (error || !code) {
        const app = await call.read<ClientView>(`/clients/${encodeURIComponent(flow.clientId)}`);
        return sendPage(
          call.c,
          TryResultPage({
            frame: call.frame,
            outcome: { app, error: (error ?? 'invalid_request').slice(0, 100), description: query.get('error_description')?.slice(0, 500) },
          }),
          400,
        );
      }
      const outcome = await finish(fetch, call, flow, code);
      return sendPage(call.c, TryResultPage({ frame: call.frame, outcome }), outcome.error ? 400 : 200);
    }),
  );
}
