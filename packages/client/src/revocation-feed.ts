import { type Clock, systemClock } from './clock.js';
import { Discovery } from './discovery.js';
import { ProtocolError } from './errors.js';
import { type FetchLike, providerHttp } from './http.js';
import { type RevocableClaims, type RevocationCheck, RevocationList } from './revocation-list.js';

export const DEFAULT_POLL_INTERVAL_SECONDS = 2;
export const DEFAULT_MAX_BACKOFF_SECONDS = 60;
/** Pages read in one refresh at most, so a huge backlog cannot keep one refresh going forever. */
const MAX_PAGES_PER_REFRESH = 50;

export interface RevocationFeedOptions {
  issuerUrl: string;
  /** A confidential client of the issuer: the feed authenticates as it (client_secret_basic). */
  clientId: string;
  clientSecret: string;
  fetch?: FetchLike;
  clock?: Clock;
  /** Seconds between polls once started. Default 2. */
  intervalSeconds?: number;
  /** After failures the interval doubles up to this. Default 60. */
  maxBackoffSeconds?: number;
  /** Told about every failed poll; polling goes on. */
  onError?: (error: unknown) => void;
}

export interface RevocationFeed extends RevocationCheck {
  /** Polls now and resolves when everything revoked until now is known (after any poll under way). */
  refresh(): Promise<void>;
  /** Starts polling every interval in the background; the first poll runs at once. */
  start(): void;
  stop(): void;
  /** When the last poll succeeded (Unix seconds), undefined before the first. */
  readonly lastSyncedAt: number | undefined;
  /** Revocations held now. */
  readonly size: number;
}

interface FeedPage {
  items: { grant_id?: unknown; jti?: unknown; expires_at?: unknown }[];
  next_cursor: string;
  has_more: boolean;
}

function isPage(body: unknown): body is FeedPage {
  const b = body as FeedPage | null;
  return typeof b === 'object' && b !== null && Array.isArray(b.items) && typeof b.next_cursor === 'string' && typeof b.has_more === 'boolean';
}

// RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/**
 * Polls the issuer's revocation feed (`revocation_feed_endpoint`, docs/revocation.md) and
 * answers from memory whether a token was revoked: verifying a request never waits on it. A
 * failed poll keeps what is known, backs off, and tells `onError`.
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  if (!options?.issuerUrl || !options.clientId || !options.clientSecret) {
    throw new TypeError('createRevocationFeed needs issuerUrl, clientId and clientSecret');
  }
  const clock = options.clock ?? systemClock;
  const issuer = new URL(options.issuerUrl);
  const http = providerHttp(issuer, options.fetch);
  const discovery = new Discovery(issuer, http);
  const list = new RevocationList(clock);
  const interval = Math.max(0.05, options.intervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS);
  const maxBackoff = Math.max(interval, options.maxBackoffSeconds ?? DEFAULT_MAX_BACKOFF_SECONDS);
  const authorization = `Basic ${btoa(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`)}`;
  let cursor: string | undefined;
  let lastSyncedAt: number | undefined;
  let queue: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let failures = 0;

  async function endpoint(): Promise<string> {
    const metadata = (await discovery.get()) as { revocation_feed_endpoint?: unknown };
    if (typeof metadata.revocation_feed_endpoint === 'string') return metadata.revocation_feed_endpoint;
    return `${issuer.href.replace(/\/$/, '')}/oauth/revocations`;
  }

  async function page(url: string): Promise<FeedPage> {
    const target = new URL(url);
    if (cursor !== undefined) target.searchParams.set('since', cursor);
    const response = await http.fetch(target, { headers: { authorization, accept: 'application/json' } });
    if (response.status !== 200) {
      throw new ProtocolError('unexpected_status', `The revocation feed answered ${response.status}`, { status: response.status });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!isPage(body)) throw new ProtocolError('invalid_response', 'The revocation feed answered something else than a page');
    return body;
  }

  async function poll(): Promise<void> {
    const url = await endpoint();
    for (let i = 0; i < MAX_PAGES_PER_REFRESH; i++) {
      const got = await page(url);
      for (const item of got.items) {
        if (typeof item.expires_at !== 'number') continue;
        if (typeof item.grant_id === 'string') list.add('grant', item.grant_id, item.expires_at);
        else if (typeof item.jti === 'string') list.add('jti', item.jti, item.expires_at);
      }
      cursor = got.next_cursor;
      if (!got.has_more) break;
    }
    list.prune();
    lastSyncedAt = clock();
  }

  // One poll at a time; a refresh asked for while one runs starts after it, so it sees what
  // was revoked before it was asked for.
  const refresh = (): Promise<void> => {
    const next = queue.then(poll);
    queue = next.catch(() => undefined);
    return next;
  };

  function schedule(seconds: number): void {
    if (!running) return;
    timer = setTimeout(tick, seconds * 1000);
    // In Node.js the timer must not keep the process alive on its own.
    (timer as { unref?: () => void }).unref?.();
  }

  function tick(): void {
    refresh().then(
      () => {
        failures = 0;
        schedule(interval);
      },
      (error: unknown) => {
        failures++;
        options.onError?.(error);
        schedule(Math.min(maxBackoff, interval * 2 ** failures));
      },
    );
  }

  return {
    refresh,
    start() {
      if (running) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    isRevoked: (claims: RevocableClaims) => list.isRevoked(claims),
    get lastSyncedAt() {
      return lastSyncedAt;
    },
    get size() {
      return list.size;
    },
  };
}
