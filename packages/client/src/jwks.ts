import { type JSONWebKeySet, type JWTVerifyGetKey, createLocalJWKSet, errors as jose } from 'jose';
import type { Clock } from './clock.js';
import { ProtocolError } from './errors.js';
import type { ProviderHttp } from './http.js';

/** An unknown `kid` triggers at most one JWKS fetch per this many seconds. */
export const JWKS_COOLDOWN_SECONDS = 30;
/** Keys are refetched after this long even when every `kid` is known (keys may be withdrawn). */
export const JWKS_MAX_AGE_SECONDS = 600;

/**
 * The provider's JWKS, cached. A token signed with an unknown `kid` (key rotation) triggers one
 * refetch, but never more than one per cool-down, so forged tokens cannot make us hammer the
 * provider. Key selection and verification stay with jose.
 */
export class JwksCache {
  private keys: ReturnType<typeof createLocalJWKSet> | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly jwksUri: () => Promise<string>,
    private readonly http: ProviderHttp,
    private readonly clock: Clock,
  ) {}

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    await this.ensureFresh();
    const keys = this.keys;
    if (!keys) throw new ProtocolError('unknown_key', 'The JWKS is not available');
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof jose.JWKSNoMatchingKey) || !this.mayRefetch()) throw error;
      await this.reload();
      return (this.keys ?? keys)(header, token);
    }
  };

  private async ensureFresh(): Promise<void> {
    if (!this.keys) return this.reload();
    if (this.clock() - this.fetchedAt < JWKS_MAX_AGE_SECONDS || !this.mayRefetch()) return;
    // Stale keys beat no keys: a provider outage must not reject every token at once.
    await this.reload().catch(() => undefined);
  }

  private mayRefetch(): boolean {
    return this.inflight !== undefined || this.clock() - this.attemptedAt >= JWKS_COOLDOWN_SECONDS;
  }

  private reload(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.attemptedAt = this.clock();
    const uri = new URL(await this.jwksUri());
    if (uri.protocol !== 'https:' && !(this.http.allowHttp && uri.protocol === 'http:')) {
      throw new ProtocolError('invalid_response', 'The jwks_uri must use https');
    }
    const response = await this.http.fetch(uri, { headers: { accept: 'application/json' }, redirect: 'manual' });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new ProtocolError('unexpected_status', `The JWKS endpoint answered ${response.status}`, { status: response.status });
    }
    const body = (await response.json().catch(() => undefined)) as JSONWebKeySet | undefined;
    if (!body || !Array.isArray(body.keys)) {
      throw new ProtocolError('invalid_response', 'The JWKS response is not a JSON Web Key Set');
    }
    this.keys = createLocalJWKSet(body);
    this.fetchedAt = this.clock();
  }
}
