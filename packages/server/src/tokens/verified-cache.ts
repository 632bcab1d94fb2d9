/**
 * Claims of tokens whose signature was already verified, keyed by the whole token string. A
 * signature's validity never changes, so a token presented again (a client calling userinfo or
 * an API introspecting the same token many times) skips the ECDSA verification. Expiry is
 * checked on every hit; revocation is never cached (callers read it from the database).
 * Bounded: the oldest entry goes first.
 */
export class VerifiedCache<T extends { exp: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly max = 10_000) {}

  get(token: string, now: number): T | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    if (claims.exp <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: T): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }
}
