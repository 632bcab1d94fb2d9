/**
 * authorization-code: a whole password sign-in per iteration, as a fresh browser: GET authorize
 * → login page → POST credentials (argon2id) → consent skipped (first-party) → code → token.
 */
import { authorizationCodeFlow, pool, runVirtualUsers } from '../lib/flow.js';
import { SETTINGS, type ScenarioResult, result, tokenKind, warmAndMeasure } from '../lib/scenario.js';
import { CLIENT_SCOPES, type Target } from '../lib/target.js';

export async function authorizationCodeScenario(t: Target): Promise<ScenarioResult> {
  const vus = SETTINGS.loginUsers;
  const p = pool(t, vus);
  const rounds = new Array<number>(vus).fill(0);
  let kinds = '';
  const login = async (vu: number): Promise<void> => {
    const user = t.users[(vu + rounds[vu]!++) % t.users.length]!;
    const tokens = await authorizationCodeFlow(p, t, user, CLIENT_SCOPES);
    if (!tokens.access_token || !tokens.id_token || !tokens.refresh_token) throw new Error('the token response lacks a token');
    kinds ||= `access token: ${tokenKind(tokens.access_token)}, ID token: ${tokenKind(tokens.id_token)}`;
  };
  try {
    const m = await warmAndMeasure(t, (seconds) => runVirtualUsers(vus, seconds, login), SETTINGS.loginDurationS);
    return result('authorization-code', 'authorization-code (password login)', 'login', m, kinds);
  } finally {
    await p.close();
  }
}
