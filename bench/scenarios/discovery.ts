/** discovery + jwks: the two GETs every relying party makes, alternating on each connection. */
import { send, pool } from '../lib/flow.js';
import { type ScenarioResult, cannon, result, warmAndMeasure } from '../lib/scenario.js';
import type { Target } from '../lib/target.js';

export async function discoveryScenario(t: Target): Promise<ScenarioResult> {
  const p = pool(t, 1);
  for (const path of [t.endpoints.discovery, t.endpoints.jwks]) {
    const r = await send(p, 'GET', path);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    JSON.parse(r.body);
  }
  await p.close();
  const requests = [
    { method: 'GET' as const, path: t.endpoints.discovery },
    { method: 'GET' as const, path: t.endpoints.jwks },
  ];
  const m = await warmAndMeasure(t, (seconds) => cannon(t, { seconds, requests }));
  return result('discovery', 'discovery + jwks', 'request', m);
}
