import type { Client } from './repos/clients.js';

/** Longest an entry is trusted without a reload, even while change notifications arrive. */
export const CLIENT_CACHE_MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;
/** Invalidations remembered one by one; past that the next one invalidates everything. */
const MAX_FORGOTTEN = 1_000;

/**
 * Clients as read from the database, kept so that client-authenticated requests (every token,
 * revocation and introspection request) skip one read. On SQLite, see sqlite-client-cache.ts.
 * On PostgreSQL every write to `clients`, from any
 * instance or the CLI, sends a notification (migration 004) that drops the entry
 * (client-notifications.ts). The cache answers only while that notification channel is up: it
 * empties itself whenever the channel goes down or comes back, and a client read while a change
 * to it was announced is not kept (the ticket check), so it never answers from a row older than
 * the last change it was told of. MAX_AGE bounds what a lost notification could cost.
 */
export class ClientCache {
  readonly #entries = new Map<string, { client: Client; loadedAt: number }>();
  /** Counts invalidations: a read takes it as its ticket, and is not kept if what it read was invalidated since. */
  #counter = 0;
  #allForgottenAt = 0;
  /** When each recently changed client was last invalidated (bounded; overflowing counts as "all"). */
  readonly #forgottenAt = new Map<string, number>();
  #live = false;
  readonly #now: () => number;
  readonly #maxAgeMs: number;

  constructor(options: { now?: () => number; maxAgeMs?: number } = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#maxAgeMs = options.maxAgeMs ?? CLIENT_CACHE_MAX_AGE_MS;
  }

  /** Whether change notifications are being received, so entries may be used. */
  get live(): boolean {
    return this.#live;
  }

  /** Turns the cache on (the channel listens) or off (it is down); either way it starts empty. */
  setLive(live: boolean): void {
    this.forgetAll();
    this.#live = live;
  }

  get(id: string): Client | undefined {
    if (!this.#live) return undefined;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (this.#now() - entry.loadedAt > this.#maxAgeMs) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry.client;
  }

  /** Taken before reading a client from the database, and handed to put() with the result. */
  ticket(): number {
    return this.#counter;
  }

  put(id: string, client: Client, ticket: number): void {
    if (!this.#live || this.#allForgottenAt > ticket || (this.#forgottenAt.get(id) ?? 0) > ticket) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    // Shared by every request that reads it: frozen, so none can change it for the others.
    for (const value of Object.values(client)) if (Array.isArray(value)) Object.freeze(value);
    this.#entries.set(id, { client: Object.freeze(client), loadedAt: this.#now() });
  }

  forget(id: string): void {
    this.#entries.delete(id);
    if (this.#forgottenAt.size >= MAX_FORGOTTEN) {
      this.forgetAll();
      return;
    }
    this.#forgottenAt.delete(id);
    this.#forgottenAt.set(id, ++this.#counter);
  }

  forgetAll(): void {
    this.#allForgottenAt = ++this.#counter;
    this.#entries.clear();
    this.#forgottenAt.clear();
  }
}
