/** introspection: RFC 7662 on a valid access token from a real sign-in, by the client that got it. */
import { authorizationCodeFlow, pool, send } from '../lib/flow.js';
import { type ScenarioResult, cannon, result, tokenKind, warmAndMeasure } from '../lib/scenario.js';
import { type Target, basicAuth } from '../lib/target.js';

/** The token userinfo and introspection use: an openid sign-in (oidc-provider then issues its opaque userinfo token). */
export const USERINFO_SCOPE = 'openid profile email';

export async function introspectionScenario(t: Target): Promise<ScenarioResult> {
  const p = pool(t, 1);
  const tokens = await authorizationCodeFlow(p, t, t.users[0]!, USERINFO_SCOPE);
  const body = new URLSearchParams({ token: tokens.access_token, token_type_hint: 'access_token' }).toString();
  const headers = { authorization: basicAuth(t), 'content-type': 'application/x-www-form-urlencoded' };
  const first = await send(p, 'POST', t.endpoints.introspect, headers, body);
  const again = await send(p, 'POST', t.endpoints.introspect, headers, body);
  await p.close();
  if (first.status !== 200 || !(JSON.parse(first.body) as { active?: boolean }).active) {
    throw new Error(`introspection did not find the token active: ${first.status} ${first.body.slice(0, 300)}`);
  }
  // Every answer must be the same "active": anything else counts as an error.
  const expectBody = first.body === again.body ? first.body : undefined;
  const m = await warmAndMeasure(t, (seconds) =>
    cannon(t, { seconds, method: 'POST', path: t.endpoints.introspect, headers, body, ...(expectBody ? { expectBody } : {}) }),
  );
  return result('introspection', 'introspection', 'request', m, `token: ${tokenKind(tokens.access_token)}`);
}
