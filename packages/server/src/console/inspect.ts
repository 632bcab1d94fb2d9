import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import type { IssuerScope } from '../issuers/scope.js';
import { activeAccessToken } from '../tokens/access-token-check.js';
import type { ConsoleKey } from './text/catalog.js';

/** One finding about a token, in words the console translates (`values` fill its placeholders). */
export interface Finding {
  ok: boolean;
  key: ConsoleKey;
  values?: Record<string, string | number>;
}

export interface Inspection {
  /** The decoded parts, pretty-printed; absent when the text is no JWS at all. */
  header?: string;
  payload?: string;
  kind: 'access_token' | 'id_token' | 'logout_token' | 'other' | 'unreadable';
  findings: Finding[];
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const minutes = (seconds: number): number => Math.max(1, Math.round(Math.abs(seconds) / 60));

/**
 * A pasted JWT, decoded and checked against this issuer as a relying party or an API would:
 * the signature against the issuer's published keys, then issuer, times and, for an access
 * token, whether it is still live (not revoked, its grant not ended). Nothing is stored or logged.
 */
export async function inspectToken(scope: IssuerScope, raw: string): Promise<Inspection> {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length === 5) return { kind: 'unreadable', findings: [{ ok: false, key: 'inspect.encrypted' }] };
  if (parts.length !== 3 || token.length > 16_384) return { kind: 'unreadable', findings: [{ ok: false, key: 'inspect.notJwt' }] };
  const header = decodePart(parts[0] ?? '');
  const payload = decodePart(parts[1] ?? '');
  if (!header || !payload) return { kind: 'unreadable', findings: [{ ok: false, key: 'inspect.notJson' }] };
  const kind =
    header.typ === 'at+jwt'
      ? 'access_token'
      : header.typ === 'logout+jwt'
        ? 'logout_token'
        : typeof payload.nonce === 'string' || payload.at_hash !== undefined
          ? 'id_token'
          : 'other';
  const findings: Finding[] = [];
  const alg = String(header.alg ?? '');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  let signed = false;
  if (alg === 'none' || alg === '') findings.push({ ok: false, key: 'inspect.unsigned' });
  else if (!kid) findings.push({ ok: false, key: 'inspect.noKid' });
  else {
    const key = await scope.keys.publicKey(kid);
    if (!key) findings.push({ ok: false, key: 'inspect.unknownKey', values: { kid: kid.slice(0, 100) } });
    else if (key.alg !== alg) findings.push({ ok: false, key: 'inspect.wrongAlg', values: { alg: alg.slice(0, 20), expected: key.alg } });
    else {
      try {
        decodeProtectedHeader(token);
        await compactVerify(token, key.key, { algorithms: [key.alg] });
        signed = true;
        findings.push({ ok: true, key: 'inspect.signed', values: { kid } });
      } catch (error) {
        findings.push({ ok: false, key: error instanceof errors.JWSSignatureVerificationFailed ? 'inspect.badSignature' : 'inspect.notJwt' });
      }
    }
  }
  if (payload.iss === scope.url) findings.push({ ok: true, key: 'inspect.issuer' });
  else findings.push({ ok: false, key: 'inspect.otherIssuer', values: { iss: String(payload.iss ?? '—').slice(0, 300) } });
  const now = scope.services.clock();
  if (typeof payload.exp === 'number') {
    if (payload.exp <= now) findings.push({ ok: false, key: 'inspect.expired', values: { minutes: minutes(now - payload.exp) } });
    else findings.push({ ok: true, key: 'inspect.expiresIn', values: { minutes: minutes(payload.exp - now) } });
  } else if (kind !== 'logout_token') findings.push({ ok: false, key: 'inspect.noExp' });
  if (typeof payload.nbf === 'number' && payload.nbf > now)
    findings.push({ ok: false, key: 'inspect.notYet', values: { minutes: minutes(payload.nbf - now) } });
  if (kind === 'access_token' && signed && payload.iss === scope.url && typeof payload.exp === 'number' && payload.exp > now) {
    const live = await activeAccessToken(scope, token);
    findings.push(live ? { ok: true, key: 'inspect.live' } : { ok: false, key: 'inspect.revoked' });
  }
  return { header: JSON.stringify(header, null, 2), payload: JSON.stringify(payload, null, 2), kind, findings };
}
