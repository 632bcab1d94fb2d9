import type { Clock } from './clock.js';
import { GatehouseError, OAuthResponseError } from './errors.js';
import type { FetchLike } from './http.js';
import { hasAccessIn, requireOrganizationsScope } from './organizations.js';
import type { AgentOptions, Profile, TokenSet } from './types.js';

/** The access token is refreshed when it has less than this many seconds left. */
export const REFRESH_WINDOW_SECONDS = 30;

export interface Session {
  tokens: TokenSet;
  profile: Profile;
}

export interface AgentDeps {
  clock: Clock;
  /** Transport for `agent.fetch` (failures already wrapped as NetworkError). */
  fetch: FetchLike;
  /** One refresh_token grant; the IdpClient makes sure one refresh token is never sent twice. */
  refresh: (session: Session) => Promise<Session>;
}

/**
 * The SDK's handle on one signed-in user: profile, tokens, and a fetch that stays authorised.
 * `C` types the custom claims of `profile` (e.g. `{ kyc?: { status: string; level: number } }`):
 * pass it to `exchangeCode<C>` / `createAgent<C>`, or once to `new IdpClient<C>`. It is a
 * promise about what the provider sends, not a check: claims of scopes not granted are absent.
 */
export class Agent<C extends object = Record<never, never>> {
  #session: Session;
  #refreshing: Promise<void> | undefined;
  #failure: Error | undefined;
  readonly #deps: AgentDeps;
  readonly #options: AgentOptions;

  constructor(session: Session, deps: AgentDeps, options: AgentOptions = {}) {
    this.#session = session;
    this.#deps = deps;
    this.#options = options;
  }

  /** The current tokens (a copy): persist them; they change on every refresh. */
  get tokens(): TokenSet {
    return { ...this.#session.tokens };
  }

  /**
   * The verified ID token claims (`sub`, `name`, `email`, …), with the profile and email claims
   * read from userinfo at sign-in when the ID token left them out; updated when a refresh brings
   * a new ID token.
   */
  get profile(): Profile & C {
    return this.#session.profile as Profile & C;
  }

  /** Whether the access token expires within the refresh window (or already has). */
  get expiresSoon(): boolean {
    return this.#session.tokens.expiresAt - this.#deps.clock() <= REFRESH_WINDOW_SECONDS;
  }

  /** A usable access token, refreshed first when it is about to expire and a refresh token exists. */
  async accessToken(): Promise<string> {
    if (this.expiresSoon && this.#session.tokens.refreshToken) await this.#refreshFrom(this.#session.tokens.accessToken);
    return this.#session.tokens.accessToken;
  }

  /** Forces a refresh now (shared with any refresh already under way) and returns the new tokens. */
  async refresh(): Promise<TokenSet> {
    await this.#refreshFrom(this.#session.tokens.accessToken);
    return this.tokens;
  }

  /**
   * `fetch` with `Authorization: Bearer <access token>`. Refreshes before sending when the token is
   * about to expire, and once more, then retries once, when the API answers 401.
   */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const send = (token: string): Promise<Response> => {
      const attempt = request.clone();
      attempt.headers.set('Authorization', `Bearer ${token}`);
      return this.#deps.fetch(attempt);
    };
    const held = this.#session.tokens.accessToken;
    const token = await this.accessToken();
    const response = await send(token);
    // A token refreshed for this very call that still gets 401 would not do better refreshed again.
    if (response.status !== 401 || !this.#session.tokens.refreshToken || token !== held) return response;
    await response.body?.cancel();
    await this.#refreshFrom(token);
    return send(this.#session.tokens.accessToken);
  }

  /**
   * Whether the `organizations` claim gives `<action>:<resource>` in `orgId`. Throws
   * MissingScopeError when the tokens were issued without the `organizations` scope (the claim
   * cannot say yes then, so a `false` would be a wrong answer, not a denial).
   */
  hasAccessIn(orgId: string, action: string, resource: string): boolean {
    requireOrganizationsScope(this.#session.tokens.scope);
    return hasAccessIn(this.#session.profile, orgId, action, resource);
  }

  /** Single flight: every caller that saw `staleAccessToken` waits for the same refresh. */
  #refreshFrom(staleAccessToken: string): Promise<void> {
    if (this.#session.tokens.accessToken !== staleAccessToken) return Promise.resolve();
    this.#refreshing ??= this.#runRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #runRefresh(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.#session.tokens.refreshToken) {
      throw new GatehouseError('There is no refresh token to refresh with');
    }
    let next: Session;
    try {
      next = await this.#deps.refresh(this.#session);
    } catch (error) {
      if (error instanceof OAuthResponseError && error.error === 'invalid_grant') {
        // The grant is gone for good (expired, revoked, or the token was reused): stop trying.
        this.#failure = error;
        await this.#options.onRefreshError?.(error);
      }
      throw error;
    }
    this.#session = next;
    await this.#options.onRefresh?.({ ...next.tokens });
  }
}
