/**
 * refresh: one refresh_token grant per request, rotating. Each virtual user signs in once, then
 * keeps its own chain and never sends a token twice (a reused one would revoke the grant).
 */
import { type Tokens, authorizationCodeFlow, pool, runVirtualUsers, tokenRequest } from '../lib/flow.js';
import { SETTINGS, type ScenarioResult, result, tokenKind, warmAndMeasure } from '../lib/scenario.js';
import { CLIENT_SCOPES, type Target } from '../lib/target.js';

export async function refreshScenario(t: Target): Promise<ScenarioResult> {
  const vus = SETTINGS.connections;
  const p = pool(t, vus);
  const chains: string[] = [];
  let sample: Tokens | undefined;
  for (let i = 0; i < vus; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, vus - i) }, (_, j) => authorizationCodeFlow(p, t, t.users[(i + j) % t.users.length]!, CLIENT_SCOPES)),
    );
    for (const tokens of batch) {
      if (!tokens.refresh_token) throw new Error('the sign-in returned no refresh token');
      chains.push(tokens.refresh_token);
    }
  }
  const refresh = async (vu: number): Promise<void> => {
    const r = await tokenRequest(p, t, { grant_type: 'refresh_token', refresh_token: chains[vu]! });
    if (r.status !== 200) throw new Error(`refresh answered ${r.status}: ${r.body.slice(0, 300)}`);
    const tokens = JSON.parse(r.body) as Tokens;
    if (!tokens.refresh_token || tokens.refresh_token === chains[vu]) throw new Error('the refresh token was not rotated');
    chains[vu] = tokens.refresh_token;
    sample ??= tokens;
  };
  try {
    const m = await warmAndMeasure(t, (seconds) => runVirtualUsers(vus, seconds, refresh));
    const note = `access token: ${tokenKind(sample?.access_token)}, ID token: ${tokenKind(sample?.id_token)}`;
    return result('refresh', 'refresh', 'request', m, note);
  } finally {
    await p.close();
  }
}
