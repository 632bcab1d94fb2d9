import { jwtVerify } from 'jose';
import type { Clock } from './clock.js';
import type { ProviderMetadata } from './discovery.js';
import { ProtocolError } from './errors.js';
import type { JwksCache } from './jwks.js';
import { guard } from './map-error.js';
import type { Profile } from './types.js';

/** ID tokens are signed with the provider's asymmetric keys; `none` and HMAC are never accepted. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

export interface IdTokenContext {
  clientId: string;
  jwks: JwksCache;
  clock: Clock;
  clockSkewSeconds: number;
}

/**
 * Verifies the ID token's signature against the provider's JWKS, with `iss`, `aud`, `exp`, `iat`
 * and `azp`. (oauth4webapi checks the claims and nonce of the token response too; this is the
 * signature check OIDC Core §3.1.3.7 asks for, done by jose.)
 */
export async function verifyIdToken(idToken: string, metadata: ProviderMetadata, ctx: IdTokenContext): Promise<Profile> {
  const advertised = metadata.id_token_signing_alg_values_supported ?? ['RS256'];
  const algorithms = advertised.filter((alg) => ASYMMETRIC.test(alg));
  const { payload } = await guard(() =>
    jwtVerify(idToken, ctx.jwks.getKey, {
      issuer: metadata.issuer,
      audience: ctx.clientId,
      algorithms,
      currentDate: new Date(ctx.clock() * 1000),
      clockTolerance: ctx.clockSkewSeconds,
      requiredClaims: ['sub', 'iat', 'exp'],
    }),
  );
  // OIDC Core §3.1.3.7 (6): when present, azp must be this client, whatever the audience.
  if (payload.azp !== undefined && payload.azp !== ctx.clientId) {
    throw new ProtocolError('claim_mismatch', 'The ID token "azp" claim is not this client', { claim: 'azp' });
  }
  // OIDC Core §3.1.3.7 (10): jose checks exp and nbf; a token from the future is refused here.
  if (typeof payload.iat !== 'number' || payload.iat > ctx.clock() + ctx.clockSkewSeconds) {
    throw new ProtocolError('timestamp_check_failed', 'The ID token "iat" claim is in the future', { claim: 'iat' });
  }
  if (typeof payload.sub !== 'string' || !payload.sub) {
    throw new ProtocolError('claim_mismatch', 'The ID token "sub" claim is invalid', { claim: 'sub' });
  }
  return payload as Profile;
}
