import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { Agent, type Session } from './agent.js';
import { checkAtHash } from './at-hash.js';
import { readCallback, validateCallback } from './callback.js';
import { type Clock, systemClock } from './clock.js';
import { Discovery, type ProviderMetadata } from './discovery.js';
import { OAuthResponseError, ProtocolError } from './errors.js';
import { type FetchLike, type ProviderHttp, guardedFetch, oauthRequestOptions, providerHttp } from './http.js';
import { verifyIdToken } from './id-token.js';
import { JwksCache } from './jwks.js';
import { type LogoutReplayStore, type LogoutTokenClaims, LogoutTokenError, MemoryLogoutReplayStore, logoutTokenOf, verifyLogoutToken } from './logout-token.js';
import { guard } from './map-error.js';
import { missingNonceError, nonceFromVerifier } from './nonce.js';
import { ClientTokenCache, RefreshRegistry } from './token-cache.js';
import { assertTokenSet, toTokenSet } from './token-set.js';
import type {
  AgentOptions,
  AuthorizationRequest,
  AuthorizationUrlOptions,
  ClientCredentialsOptions,
  ClientCredentialsToken,
  ExchangeCodeOptions,
  IdpClientOptions,
  LogoutUrlOptions,
  Profile,
  TokenSet,
} from './types.js';
import { authorizationUrl, logoutUrl, toList } from './urls.js';
import { fetchUserinfo, needsUserinfo, withUserinfo } from './userinfo.js';

const DEFAULT_SCOPES = ['openid', 'profile', 'email'];
const DEFAULT_CLOCK_SKEW_SECONDS = 30;

/**
 * A relying party of one Gatehouse issuer: sign-in, tokens, machine-to-machine, revocation,
 * logout. `C` types the custom claims of every agent's profile (see Agent); each call can still
 * name its own.
 */
export class IdpClient<C extends object = Record<never, never>> {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly #secret: string | undefined;
  readonly #clock: Clock;
  readonly #skew: number;
  readonly #http: ProviderHttp;
  readonly #apiFetch: FetchLike;
  readonly #discovery: Discovery;
  readonly #jwks: JwksCache;
  readonly #clientTokens: ClientTokenCache;
  readonly #refreshes: RefreshRegistry<Session>;
  readonly #logoutReplay: LogoutReplayStore;

  constructor(options: IdpClientOptions) {
    if (!options?.issuerUrl || !options.clientId || !options.redirectUri) {
      throw new TypeError('IdpClient needs issuerUrl, clientId and redirectUri');
    }
    const issuer = new URL(options.issuerUrl);
    if (!URL.canParse(options.redirectUri)) throw new TypeError('redirectUri must be an absolute URL');
    this.issuerUrl = options.issuerUrl;
    this.clientId = options.clientId;
    this.redirectUri = options.redirectUri;
    this.#secret = options.clientSecret || undefined;
    this.#clock = options.clock ?? systemClock;
    this.#skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
    this.#http = providerHttp(issuer, options.fetch);
    const apiFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.#apiFetch = guardedFetch(apiFetch);
    this.#discovery = new Discovery(issuer, this.#http);
    this.#jwks = new JwksCache(async () => (await this.#discovery.get()).jwks_uri ?? missing('jwks_uri'), this.#http, this.#clock);
    this.#clientTokens = new ClientTokenCache(this.#clock);
    this.#refreshes = new RefreshRegistry(this.#clock);
    this.#logoutReplay = options.logoutReplayStore ?? new MemoryLogoutReplayStore(this.#clock);
  }

  /** The provider metadata (fetched once, then cached). Call at start-up to fail fast on bad config. */
  discover(): Promise<ProviderMetadata> {
    return this.#discovery.get();
  }

  /**
   * Where to send the user to sign in, with a fresh PKCE verifier and state to keep server-side,
   * and the nonce, derived from the verifier (see nonce.ts) so the verifier alone can check it.
   */
  async createAuthorizationUrl(options: AuthorizationUrlOptions = {}): Promise<AuthorizationRequest> {
    const scopes = options.scopes ?? DEFAULT_SCOPES;
    if (!scopes.includes('openid')) throw new TypeError('scopes must include "openid" to sign a user in');
    const metadata = await this.#discovery.get();
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = await nonceFromVerifier(codeVerifier);
    const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
    const url = authorizationUrl(metadata, {
      ...options,
      scopes,
      clientId: this.clientId,
      redirectUri: this.redirectUri,
      state,
      nonce,
      codeChallenge,
    });
    return { url, codeVerifier, state, nonce };
  }

  /**
   * Finishes sign-in: checks the callback (state, iss, error), redeems the code with the PKCE
   * verifier, verifies the ID token (signature, iss, aud, azp, exp/iat, nonce) and returns an Agent.
   * When the ID token leaves out the claims of the granted profile or email scope (OIDC Core
   * §5.4: with an access token they come from userinfo), reads them from userinfo once, for the
   * same `sub`, and keeps them in the tokens (`tokens.userinfo`) so createAgent has them too.
   * Also accepts the short form `exchangeCode(code, codeVerifier)`: it checks the nonce derived
   * from the verifier, which is the one createAuthorizationUrl put in the URL.
   */
  async exchangeCode<T extends object = C>(callback: string | URL, options: ExchangeCodeOptions | string): Promise<Agent<T>> {
    const opts: Partial<ExchangeCodeOptions> = typeof options === 'string' ? { codeVerifier: options } : (options ?? {});
    if (typeof opts.codeVerifier !== 'string' || !opts.codeVerifier) throw new TypeError('exchangeCode needs the codeVerifier');
    if (typeof options !== 'string' && (typeof opts.nonce !== 'string' || !opts.nonce)) {
      throw new TypeError('exchangeCode needs the nonce from createAuthorizationUrl');
    }
    const { codeVerifier, maxAge } = opts;
    const nonce = opts.nonce ?? (await nonceFromVerifier(codeVerifier));
    const metadata = await this.#discovery.get();
    const client = this.#client();
    const result = await guard(async () => {
      const params = validateCallback(metadata, client, readCallback(callback, this.redirectUri), opts.state);
      const response = await oauth.authorizationCodeGrantRequest(
        metadata,
        client,
        this.#clientAuth(metadata),
        params,
        this.redirectUri,
        codeVerifier,
        this.#requestOptions(),
      );
      return oauth
        .processAuthorizationCodeResponse(metadata, client, response, { expectedNonce: nonce, maxAge, requireIdToken: true })
        .catch((error: unknown) => {
          throw missingNonceError(error) ?? error;
        });
    });
    if (!result.id_token) throw new ProtocolError('missing_id_token', 'The token response has no ID token (was "openid" requested?)');
    const profile = await this.#verifyIdToken(result.id_token, metadata);
    await checkAtHash(result.id_token, profile, result.access_token);
    const tokens = toTokenSet(result, this.#clock(), { scope: '' });
    if (needsUserinfo(profile, tokens.scope, metadata)) {
      tokens.userinfo = await fetchUserinfo(metadata, client, this.#http, tokens.accessToken, profile.sub);
    }
    return this.#agent<T>({ tokens, profile: withUserinfo(profile, tokens.userinfo) }, { onRefresh: opts.onRefresh, onRefreshError: opts.onRefreshError });
  }

  /**
   * An Agent from stored tokens (`agent.tokens` of an earlier request). Refreshes first when the
   * access token is about to expire; `onRefresh` receives the rotated tokens to store.
   */
  async createAgent<T extends object = C>(storedTokens: TokenSet, options: AgentOptions = {}): Promise<Agent<T>> {
    assertTokenSet(storedTokens);
    const tokens: TokenSet = { ...storedTokens, scope: storedTokens.scope ?? '', tokenType: storedTokens.tokenType ?? 'Bearer' };
    // The ID token was verified when it arrived and the stored tokens are the app's own state.
    let profile: Profile;
    try {
      profile = decodeJwt(tokens.idToken ?? '') as Profile;
    } catch (error) {
      throw new TypeError('tokens.idToken is not a JWT', { cause: error });
    }
    const agent = this.#agent<T>({ tokens, profile: withUserinfo(profile, tokens.userinfo) }, options);
    await agent.accessToken();
    return agent;
  }

  /** An access token for the client itself (client_credentials), cached until shortly before expiry. */
  async clientCredentials(options: ClientCredentialsOptions = {}): Promise<ClientCredentialsToken> {
    if (!this.#secret) throw new TypeError('client_credentials needs a confidential client (clientSecret)');
    const scopes = options.scopes ?? [];
    const resources = toList(options.resource);
    return this.#clientTokens.get(ClientTokenCache.key(scopes, resources), async () => {
      const metadata = await this.#discovery.get();
      const client = this.#client();
      const params = new URLSearchParams();
      if (scopes.length) params.set('scope', scopes.join(' '));
      for (const resource of resources) params.append('resource', resource);
      const result = await guard(async () => {
        const response = await oauth.clientCredentialsGrantRequest(metadata, client, this.#clientAuth(metadata), params, this.#requestOptions());
        return oauth.processClientCredentialsResponse(metadata, client, response);
      });
      const { accessToken, expiresAt, scope, tokenType } = toTokenSet(result, this.#clock(), { scope: scopes.join(' ') });
      return { accessToken, expiresAt, scope, tokenType };
    });
  }

  /** Revokes a token (RFC 7009); revoking the refresh token ends the whole grant. `undefined` is a no-op. */
  async revoke(token: string | undefined, options: { tokenTypeHint?: 'refresh_token' | 'access_token' } = {}): Promise<void> {
    if (token === undefined || token === '') return;
    const metadata = await this.#discovery.get();
    const additionalParameters = options.tokenTypeHint ? { token_type_hint: options.tokenTypeHint } : undefined;
    await guard(async () => {
      const response = await oauth.revocationRequest(metadata, this.#client(), this.#clientAuth(metadata), token, {
        ...this.#requestOptions(),
        additionalParameters,
      });
      await oauth.processRevocationResponse(response);
    });
  }

  /**
   * The provider's logout URL (RP-initiated logout). Uses the discovered `end_session_endpoint`, or
   * Gatehouse's `/oauth/logout` when this client has not run discovery yet.
   */
  logoutUrl(options: LogoutUrlOptions = {}): string {
    const metadata = this.#discovery.current;
    const endpoint = metadata ? metadata.end_session_endpoint : `${this.issuerUrl.replace(/\/+$/, '')}/oauth/logout`;
    if (!endpoint) throw new ProtocolError('unsupported', 'The provider metadata has no end_session_endpoint');
    return logoutUrl(endpoint, this.clientId, options);
  }

  /**
   * The receiving side of OpenID Connect Back-Channel Logout 1.0: give it the provider's POST to
   * the app's backchannel_logout_uri (a Fetch `Request`, its parsed form, or the token) and it
   * returns who was signed out, `{ sub, sid }`, after checking everything §2.6 asks (see
   * logout-token.ts). End the app's sessions with that `sid` (without one: every session of
   * `sub`), drop their refresh tokens, and answer 200 with `Cache-Control: no-store`. A refused
   * token throws a LogoutTokenError: answer `error.toResponse()` (400).
   */
  async verifyLogoutToken(input: Request | URLSearchParams | string): Promise<LogoutTokenClaims> {
    const token = await logoutTokenOf(input);
    const metadata = await this.#discovery.get();
    return verifyLogoutToken(token, metadata, {
      clientId: this.clientId,
      jwks: this.#jwks,
      clock: this.#clock,
      clockSkewSeconds: this.#skew,
      replay: this.#logoutReplay,
    });
  }

  /**
   * A Fetch handler for the app's backchannel_logout_uri (Workers, Hono, Deno, Next.js route
   * handlers): verifies the logout token, awaits `onLogout` with who was signed out, and answers
   * 200 with `Cache-Control: no-store`; a refused token is answered 400 `invalid_request`. A
   * throwing `onLogout` rejects: answer 500 then, and Gatehouse retries the delivery.
   */
  backchannelLogoutHandler(onLogout: (logout: LogoutTokenClaims) => void | Promise<void>): (request: Request) => Promise<Response> {
    return async (request) => {
      let logout: LogoutTokenClaims;
      try {
        logout = await this.verifyLogoutToken(request);
      } catch (error) {
        if (error instanceof LogoutTokenError) return error.toResponse();
        throw error;
      }
      await onLogout(logout);
      return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } });
    };
  }

  #agent<T extends object>(session: Session, options: AgentOptions): Agent<T> {
    const refresh = (current: Session): Promise<Session> => this.#refreshes.run(current.tokens.refreshToken ?? '', () => this.#refresh(current), isFinal);
    return new Agent<T>(session, { clock: this.#clock, fetch: this.#apiFetch, refresh }, options);
  }

  async #refresh(current: Session): Promise<Session> {
    const refreshToken = current.tokens.refreshToken;
    if (!refreshToken) throw new TypeError('no refresh token');
    const metadata = await this.#discovery.get();
    const client = this.#client();
    const result = await guard(async () => {
      const response = await oauth.refreshTokenGrantRequest(metadata, client, this.#clientAuth(metadata), refreshToken, this.#requestOptions());
      return oauth.processRefreshTokenResponse(metadata, client, response);
    });
    let profile = current.profile;
    const tokens = toTokenSet(result, this.#clock(), current.tokens);
    if (result.id_token) {
      profile = withUserinfo(await this.#verifyIdToken(result.id_token, metadata), tokens.userinfo);
      await checkAtHash(result.id_token, profile, result.access_token);
      // OIDC Core §12.2: a refreshed ID token is about the same user.
      if (profile.sub !== current.profile.sub) {
        throw new ProtocolError('claim_mismatch', 'The refreshed ID token is for another subject', { claim: 'sub' });
      }
    }
    return { tokens, profile };
  }

  #verifyIdToken(idToken: string, metadata: ProviderMetadata): Promise<Profile> {
    return verifyIdToken(idToken, metadata, { clientId: this.clientId, jwks: this.#jwks, clock: this.#clock, clockSkewSeconds: this.#skew });
  }

  /** oauth4webapi reads "now" as Date.now() + clockSkew: the skew makes it use our clock. */
  #client(): oauth.Client {
    return {
      client_id: this.clientId,
      [oauth.clockSkew]: this.#clock() - systemClock(),
      [oauth.clockTolerance]: this.#skew,
    };
  }

  #clientAuth(metadata: ProviderMetadata): oauth.ClientAuth {
    if (!this.#secret) return oauth.None();
    const methods = metadata.token_endpoint_auth_methods_supported;
    const postOnly = methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
    return postOnly ? oauth.ClientSecretPost(this.#secret) : oauth.ClientSecretBasic(this.#secret);
  }

  #requestOptions(): ReturnType<typeof oauthRequestOptions> {
    return oauthRequestOptions(this.#http);
  }
}

/**
 * Whether a failed refresh must not be retried with the same refresh token: Gatehouse refused it,
 * or it accepted it (the token is spent) and sent something we reject. A transport failure or
 * an error status without an OAuth body may have left the token unspent.
 */
function isFinal(error: unknown): boolean {
  if (error instanceof OAuthResponseError) return true;
  return error instanceof ProtocolError && error.code !== 'unexpected_status';
}

function missing(name: string): never {
  throw new ProtocolError('invalid_response', `The provider metadata has no ${name}`);
}
