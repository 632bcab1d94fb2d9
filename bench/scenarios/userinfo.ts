/** userinfo: GET with a valid Bearer access token from a real sign-in. */
import { authorizationCodeFlow, pool, send } from '../lib/flow.js';
import { type ScenarioResult, cannon, result, tokenKind, warmAndMeasure } from '../lib/scenario.js';
import type { Target } from '../lib/target.js';
import { USERINFO_SCOPE } from './introspection.js';

export async function userinfoScenario(t: Target): Promise<ScenarioResult> {
  const p = pool(t, 1);
  const tokens = await authorizationCodeFlow(p, t, t.users[0]!, USERINFO_SCOPE);
  const headers = { authorization: `Bearer ${tokens.access_token}` };
  const first = await send(p, 'GET', t.endpoints.userinfo, headers);
  const again = await send(p, 'GET', t.endpoints.userinfo, headers);
  await p.close();
  if (first.status !== 200 || (JSON.parse(first.body) as { email?: string }).email !== t.users[0]!.email) {
    throw new Error(`userinfo answered ${first.status}: ${first.body.slice(0, 300)}`);
  }
  const expectBody = first.body === again.body ? first.body : undefined;
  const m = await warmAndMeasure(t, (seconds) => cannon(t, { seconds, path: t.endpoints.userinfo, headers, ...(expectBody ? { expectBody } : {}) }));
  return result('userinfo', 'userinfo', 'request', m, `token: ${tokenKind(tokens.access_token)}`);
}
