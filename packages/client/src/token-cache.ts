import type { Clock } from './clock.js';
import type { ClientCredentialsToken } from './types.js';

/** A cached client_credentials token is replaced when it has less than this many seconds left. */
export const CLIENT_TOKEN_MARGIN_SECONDS = 30;

interface Entry {
  pending: Promise<ClientCredentialsToken>;
  expiresAt?: number;
}

/**
 * client_credentials tokens per (scopes, resources). Concurrent callers share one request; a
 * failed request is not cached.
 */
export class ClientTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  static key(scopes: readonly string[], resources: readonly string[]): string {
    return JSON.stringify([[...new Set(scopes)].sort(), [...new Set(resources)].sort()]);
  }

  async get(key: string, request: () => Promise<ClientCredentialsToken>): Promise<ClientCredentialsToken> {
    const cached = this.entries.get(key);
    const fresh = cached && (cached.expiresAt === undefined || cached.expiresAt - this.clock() > CLIENT_TOKEN_MARGIN_SECONDS);
    const entry: Entry = fresh ? cached : { pending: request() };
    if (!fresh) {
      this.entries.set(key, entry);
      entry.pending.then(
        (token) => {
          entry.expiresAt = token.expiresAt;
        },
        () => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
        },
      );
    }
    return { ...(await entry.pending) };
  }
}

/** Keeps the outcome of each refresh for this long, for requests still holding the old tokens. */
export const REFRESH_MEMORY_SECONDS = 120;

/**
 * Refresh tokens are single-use and reuse revokes the whole grant. Two requests of one user that
 * each rebuild an agent from the same stored tokens would otherwise both spend the same refresh
 * token: here the second one gets the first one's result instead.
 */
export class RefreshRegistry<T> {
  private readonly outcomes = new Map<string, { at: number; outcome: Promise<T> }>();

  constructor(private readonly clock: Clock) {}

  run(refreshToken: string, refresh: () => Promise<T>, isPermanentFailure: (error: unknown) => boolean): Promise<T> {
    const now = this.clock();
    for (const [token, entry] of this.outcomes) {
      if (now - entry.at > REFRESH_MEMORY_SECONDS) this.outcomes.delete(token);
    }
    const known = this.outcomes.get(refreshToken);
    if (known) return known.outcome;
    const outcome = refresh();
    const entry = { at: now, outcome };
    this.outcomes.set(refreshToken, entry);
    outcome.catch((error: unknown) => {
      // A transport failure may be retried; an OAuth refusal is final and stays remembered.
      if (!isPermanentFailure(error) && this.outcomes.get(refreshToken) === entry) this.outcomes.delete(refreshToken);
    });
    return outcome;
  }
}
