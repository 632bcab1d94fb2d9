import type { Context, Hono } from 'hono';
import { authenticateClient } from '../auth/client-auth.js';
import { OAuthError } from '../errors.js';
import { type Params, parsePairs } from '../http/form.js';
import { allowOnly } from '../http/methods.js';
import { readProtocolParams } from '../http/protocol-body.js';
import { issuerScope } from '../http/scope.js';
import type { FeedPosition, RevokedEntry } from '../store/repos/revocation-feed.js';

/** The path under the issuer; discovery names it `revocation_feed_endpoint`. */
export const REVOCATION_FEED_PATH = '/oauth/revocations';
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;
/**
 * How far behind the present a cursor stays. A revocation's time is read when its transaction
 * starts and it is visible when it commits: a cursor at "now" could pass a row that commits a
 * moment later with an earlier time. Entries of the last seconds are therefore sent again on
 * the next poll (receivers keep a set, so a repeat costs nothing), unless a page is full.
 */
export const SETTLE_SECONDS = 5;

const START: FeedPosition = { revokedAt: 0, kind: '', id: '' };

function compare(a: FeedPosition, b: FeedPosition): number {
  if (a.revokedAt !== b.revokedAt) return a.revokedAt - b.revokedAt;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function encodeCursor(p: FeedPosition): string {
  return Buffer.from(JSON.stringify([p.revokedAt, p.kind, p.id])).toString('base64url');
}

function decodeCursor(value: string | undefined): FeedPosition {
  if (value === undefined) return START;
  const bad = new OAuthError('invalid_request', 'since must be a next_cursor this endpoint returned');
  if (value.length > 400 || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad;
  const [revokedAt, kind, id] = parsed as unknown[];
  if (typeof revokedAt !== 'number' || !Number.isSafeInteger(revokedAt) || revokedAt < 0) throw bad;
  if ((kind !== '' && kind !== 'grant' && kind !== 'jti') || typeof id !== 'string' || id.length > 200) throw bad;
  return { revokedAt, kind, id };
}

function readLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT) {
    throw new OAuthError('invalid_request', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return Number(value);
}

/** Where the next poll starts: after the page when more follow, else no later than the settle window. */
export function nextPosition(from: FeedPosition, shown: readonly RevokedEntry[], more: boolean, now: number): FeedPosition {
  const last = shown.at(-1);
  const end = last ? { revokedAt: last.revokedAt, kind: last.kind, id: last.id } : from;
  if (more) return end;
  const settled: FeedPosition = { revokedAt: Math.max(0, now - SETTLE_SECONDS), kind: '', id: '' };
  const held = compare(end, settled) <= 0 ? end : settled;
  // Never behind where the caller already was: a full page moved it on for good.
  return compare(held, from) >= 0 ? held : from;
}

function item(e: RevokedEntry): Record<string, unknown> {
  return { [e.kind === 'grant' ? 'grant_id' : 'jti']: e.id, revoked_at: e.revokedAt, expires_at: e.expiresAt };
}

async function serve(c: Context, params: Params, auth: Params): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const scope = issuerScope(c);
  // Like introspection: a confidential client, authenticated as at the token endpoint (RFC 6749 §2.3).
  await authenticateClient(c, auth, scope, { confidentialOnly: true });
  const from = decodeCursor(params.get('since'));
  const limit = readLimit(params.get('limit'));
  const rows = await scope.repos.revocationFeed.after(from, limit + 1, scope.settings.accessTokenTtl);
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const next = nextPosition(from, shown, more, scope.services.clock());
  return c.json({ items: shown.map(item), next_cursor: encodeCursor(next), has_more: more });
}

/**
 * The revocation feed (docs/revocation.md): what was revoked since a cursor, for resource
 * servers that verify access tokens locally and so would otherwise take a revoked one until it
 * expires. GET with the cursor in the query and the client in the Authorization header; POST
 * with both in the body too (client_secret_post, private_key_jwt).
 */
export function registerRevocationFeed(app: Hono): void {
  app.get(REVOCATION_FEED_PATH, (c) => {
    const query = new URL(c.req.url).search.slice(1);
    const params: Params = new Map(parsePairs(query));
    return serve(c, params, new Map());
  });
  app.post(REVOCATION_FEED_PATH, async (c) => {
    const params = await readProtocolParams(c);
    return serve(c, params, params);
  });
  allowOnly(app, REVOCATION_FEED_PATH, ['GET', 'POST']);
}
