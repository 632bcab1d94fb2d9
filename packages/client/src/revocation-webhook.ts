import { type Clock, systemClock } from './clock.js';
import { type RevocableClaims, type RevocationCheck, RevocationList } from './revocation-list.js';

/** Standard Webhooks' default tolerance for `webhook-timestamp`, in seconds. */
const TIMESTAMP_TOLERANCE_SECONDS = 300;
/** A grant's tokens live at most a day (Gatehouse's longest access token lifetime). */
export const DEFAULT_GRANT_RETENTION_SECONDS = 86_400;
const MAX_BODY_BYTES = 256 * 1024;

export interface RevocationWebhookOptions {
  /**
   * The endpoint's signing secret (`whsec_…`), as Gatehouse showed it when the endpoint was
   * made; during a rotation give both, a delivery signed by either is taken.
   */
  secret: string | readonly string[];
  /** When set, events of another issuer are refused (their `data.issuer`). */
  issuerUrl?: string;
  clock?: Clock;
  /**
   * How long a revoked grant is remembered: `grant.revoked` does not say when the grant's last
   * access token expires. Set it to the issuer's access token lifetime. Default 86400.
   */
  grantRetentionSeconds?: number;
}

export interface RevocationWebhook extends RevocationCheck {
  /**
   * Handles one delivery: 204 when taken (revocations are remembered, other event types are
   * ignored), 401 when the signature or timestamp does not verify, 400 for a malformed body.
   * Mount it at the URL registered for `grant.revoked,access_token.revoked`.
   */
  handle(request: Request): Promise<Response>;
  readonly size: number;
}

const encoder = new TextEncoder();

function base64Bytes(value: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const text = atob(value);
    const bytes = new Uint8Array(new ArrayBuffer(text.length));
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

async function hmacKeys(secrets: readonly string[]): Promise<CryptoKey[]> {
  return Promise.all(
    secrets.map((secret) => {
      const raw = base64Bytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
      if (!raw || raw.length === 0) throw new TypeError('A webhook secret is whsec_ and base64');
      return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    }),
  );
}

/** Standard Webhooks: any `v1,<base64>` of the header that is the HMAC-SHA256 of `id.timestamp.body` under one of the keys. */
async function verified(keys: readonly CryptoKey[], header: string, signed: Uint8Array<ArrayBuffer>): Promise<boolean> {
  for (const part of header.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const signature = base64Bytes(value);
    if (!signature) continue;
    // crypto.subtle.verify compares in constant time.
    for (const key of keys) if (await crypto.subtle.verify('HMAC', key, signature, signed)) return true;
  }
  return false;
}

const answer = (status: number, error?: string): Response =>
  error ? Response.json({ error }, { status, headers: { 'cache-control': 'no-store' } }) : new Response(null, { status });

/**
 * Receives Gatehouse's `grant.revoked` and `access_token.revoked` webhooks (verified as Standard
 * Webhooks with the endpoint's secret) and answers from memory whether a token was revoked.
 */
export function createRevocationWebhook(options: RevocationWebhookOptions): RevocationWebhook {
  const secrets = typeof options?.secret === 'string' ? [options.secret] : [...(options?.secret ?? [])];
  if (secrets.length === 0) throw new TypeError('createRevocationWebhook needs the endpoint secret');
  const clock = options.clock ?? systemClock;
  const keys = hmacKeys(secrets);
  // A rejected import would otherwise surface only at the first delivery.
  keys.catch(() => undefined);
  const list = new RevocationList(clock);
  const retention = options.grantRetentionSeconds ?? DEFAULT_GRANT_RETENTION_SECONDS;
  const issuer = options.issuerUrl?.replace(/\/$/, '');

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return answer(405, 'method_not_allowed');
    const id = request.headers.get('webhook-id');
    const timestamp = request.headers.get('webhook-timestamp');
    const signature = request.headers.get('webhook-signature');
    if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return answer(401, 'missing_signature');
    if (Math.abs(clock() - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return answer(401, 'stale_timestamp');
    const body = await request.text();
    if (body.length > MAX_BODY_BYTES) return answer(400, 'too_large');
    if (!(await verified(await keys, signature, encoder.encode(`${id}.${timestamp}.${body}`)))) return answer(401, 'bad_signature');
    let event: { type?: unknown; data?: Record<string, unknown> };
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      return answer(400, 'malformed');
    }
    const data = event.data;
    if (typeof data !== 'object' || data === null) return answer(400, 'malformed');
    if (issuer !== undefined && typeof data.issuer === 'string' && data.issuer.replace(/\/$/, '') !== issuer) return answer(400, 'wrong_issuer');
    if (event.type === 'grant.revoked' && typeof data.grant_id === 'string') list.add('grant', data.grant_id, clock() + retention);
    else if (event.type === 'access_token.revoked' && typeof data.jti === 'string' && typeof data.expires_at === 'number') {
      list.add('jti', data.jti, data.expires_at);
    }
    list.prune();
    return answer(204);
  }

  return {
    handle,
    isRevoked: (claims: RevocableClaims) => list.isRevoked(claims),
    get size() {
      return list.size;
    },
  };
}
