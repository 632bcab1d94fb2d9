/** client-credentials: one client_credentials grant (client_secret_basic) per request. */
import { pool, tokenRequest } from '../lib/flow.js';
import { type ScenarioResult, cannon, result, tokenKind, warmAndMeasure } from '../lib/scenario.js';
import { type Target, basicAuth } from '../lib/target.js';

export async function clientCredentialsScenario(t: Target): Promise<ScenarioResult> {
  const body = 'grant_type=client_credentials&scope=api';
  const p = pool(t, 1);
  const check = await tokenRequest(p, t, { grant_type: 'client_credentials', scope: 'api' });
  await p.close();
  if (check.status !== 200) throw new Error(`client_credentials answered ${check.status}: ${check.body.slice(0, 300)}`);
  const kind = tokenKind((JSON.parse(check.body) as { access_token: string }).access_token);
  const headers = { authorization: basicAuth(t), 'content-type': 'application/x-www-form-urlencoded' };
  const m = await warmAndMeasure(t, (seconds) => cannon(t, { seconds, method: 'POST', path: t.endpoints.token, headers, body }));
  return result('client-credentials', 'client-credentials', 'request', m, `access token: ${kind}`);
}
