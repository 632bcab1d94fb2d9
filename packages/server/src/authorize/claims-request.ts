import { ACR_TWO_FACTORS } from '../signin/assurance.js';
import { RESERVED_CLAIMS } from '../tokens/claim-sources.js';

/** One requested claim (OIDC Core §5.5.1): null asks for it by default; an object may say more. */
export interface ClaimRequest {
  essential?: boolean;
  value?: unknown;
  values?: unknown[];
}

/** The `claims` request parameter (OIDC Core §5.5), as validated. */
export interface ClaimsRequest {
  userinfo?: Record<string, ClaimRequest | null>;
  id_token?: Record<string, ClaimRequest | null>;
}

const MEMBERS = ['userinfo', 'id_token'] as const;
/** More claims than any issuer defines: a request naming more is refused, not read. */
const MAX_CLAIMS = 100;
const CLAIM_NAME = /^[\x21-\x7E]{1,100}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function claimRequest(name: string, raw: unknown): ClaimRequest | null | string {
  if (raw === null) return null;
  if (!isObject(raw)) return `claims: the request for "${name.slice(0, 40)}" must be null or an object`;
  const out: ClaimRequest = {};
  if (raw.essential !== undefined) {
    if (typeof raw.essential !== 'boolean') return `claims: "essential" of "${name.slice(0, 40)}" must be true or false`;
    out.essential = raw.essential;
  }
  if (raw.value !== undefined) out.value = raw.value;
  if (raw.values !== undefined) {
    if (!Array.isArray(raw.values)) return `claims: "values" of "${name.slice(0, 40)}" must be an array`;
    out.values = raw.values;
  }
  // Other members are extensions this issuer does not understand: ignored (§5.5).
  return out;
}

/**
 * Parses the `claims` parameter: a JSON object whose `userinfo` and `id_token` members, when
 * present, map claim names to null or {essential, value, values}. Members not understood are
 * ignored (§5.5); anything else not of that shape is an error message for invalid_request.
 */
export function parseClaimsRequest(raw: string): ClaimsRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'claims must be a JSON object';
  }
  if (!isObject(parsed)) return 'claims must be a JSON object';
  const out: ClaimsRequest = {};
  let count = 0;
  for (const member of MEMBERS) {
    const body = parsed[member];
    if (body === undefined) continue;
    if (!isObject(body)) return `claims: "${member}" must be an object of claim names`;
    const requests: Record<string, ClaimRequest | null> = {};
    for (const [name, value] of Object.entries(body)) {
      if (!CLAIM_NAME.test(name)) return 'claims: a claim name is empty, too long or not printable';
      if (++count > MAX_CLAIMS) return `claims: at most ${MAX_CLAIMS} claims may be requested`;
      const request = claimRequest(name, value);
      if (typeof request === 'string') return request;
      requests[name] = request;
    }
    out[member] = requests;
  }
  return out;
}

/**
 * The claims asked for in the ID token that a claim source may release: the issuer's own
 * (reserved) claims are set by the token issuer, never taken from a source, whatever is asked.
 */
export function idTokenClaimNames(request: ClaimsRequest | undefined): string[] {
  return Object.keys(request?.id_token ?? {}).filter((name) => !RESERVED_CLAIMS.has(name));
}

/**
 * Whether the request asks for Gatehouse's two-factor level through the `acr` claim of the ID
 * token (§5.5.1.1): a `value` or one of the `values` naming it, essential or not. It then steps
 * up exactly as `acr_values` naming it does.
 */
export function asksTwoFactors(request: ClaimsRequest | undefined): boolean {
  const acr = request?.id_token?.acr;
  if (!acr) return false;
  return acr.value === ACR_TWO_FACTORS || (acr.values?.includes(ACR_TWO_FACTORS) ?? false);
}
