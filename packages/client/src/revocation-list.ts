/** What a revocation check looks at: the token's own id and the grant it belongs to (Gatehouse's `gid`). */
export interface RevocableClaims {
  jti?: unknown;
  gid?: unknown;
}

/** Anything the resource server asks whether a verified token was revoked (a feed, a webhook receiver). */
export interface RevocationCheck {
  isRevoked(claims: RevocableClaims): boolean;
}

/**
 * Revoked grant ids and token ids, each kept until no token it names can still be valid. A
 * plain map per kind: a lookup is two hash reads, on the path of every request.
 */
export class RevocationList implements RevocationCheck {
  readonly #grants = new Map<string, number>();
  readonly #tokens = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  /** Adds a revoked grant (`grant`) or access token (`jti`) until `expiresAt` (Unix seconds). */
  add(kind: 'grant' | 'jti', id: string, expiresAt: number): void {
    if (expiresAt <= this.clock()) return;
    const map = kind === 'grant' ? this.#grants : this.#tokens;
    map.set(id, Math.max(map.get(id) ?? 0, expiresAt));
  }

  isRevoked(claims: RevocableClaims): boolean {
    return (typeof claims.jti === 'string' && this.#tokens.has(claims.jti)) || (typeof claims.gid === 'string' && this.#grants.has(claims.gid));
  }

  /** Forgets entries whose tokens have all expired (they are refused by their `exp` anyway). */
  prune(): void {
    const now = this.clock();
    for (const map of [this.#grants, this.#tokens]) {
      for (const [id, until] of map) if (until <= now) map.delete(id);
    }
  }

  get size(): number {
    return this.#grants.size + this.#tokens.size;
  }
}
