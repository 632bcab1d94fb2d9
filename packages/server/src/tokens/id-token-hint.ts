import { compactVerify, decodeProtectedHeader } from 'jose';
import type { IssuerScope } from '../issuers/scope.js';

export interface HintClaims {
  sub: string;
  aud: string[];
  sid: string | undefined;
}

/**
 * Verifies an ID token that Gatehouse issued, as id_token_hint: signature and issuer are
 * checked, expiry is not (OIDC Core §3.1.2.1 and RP-Initiated Logout accept expired hints).
 * Returns undefined for anything else.
 */
export async function verifyIdTokenHint(token: string, scope: IssuerScope): Promise<HintClaims | undefined> {
  try {
    const { kid, alg, typ } = decodeProtectedHeader(token);
    // An access token is signed by the same keys; it is not an ID token.
    if (typ === 'at+jwt') return undefined;
    if (!kid || (alg !== 'RS256' && alg !== 'ES256')) return undefined;
    const key = await scope.keys.publicKey(kid);
    if (!key || key.alg !== alg) return undefined;
    const { payload } = await compactVerify(token, key.key, { algorithms: [alg] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== scope.url || typeof claims.sub !== 'string') return undefined;
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
    if (aud.length === 0) return undefined;
    return { sub: claims.sub, aud, sid: typeof claims.sid === 'string' ? claims.sid : undefined };
  } catch {
    return undefined;
  }
}
