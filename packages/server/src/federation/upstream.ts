import * as oauth from 'oauth4webapi';
import type { IssuerScope } from '../issuers/scope.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { appleClientSecret, isApple, parseAppleSecret } from './apple.js';
import { githubEmail } from './github.js';
import { openClientSecret } from './providers.js';
import { isTemplated, issuerTemplate, tenantIssuer } from './tenants.js';
import { insecureAllowed } from './urls.js';

/**
 * The OAuth 2.0 / OpenID Connect client side of federation, on oauth4webapi: discovery, the
 * authorization URL (PKCE S256, state, nonce), and the callback (RFC 9207 `iss`, the code
 * exchange, the ID token's claims and its signature against the upstream JWKS). What comes out
 * is the upstream profile only: the upstream tokens are dropped here and never stored.
 */

/** The user as the upstream provider describes them, through the provider's claim mapping. */
export interface UpstreamProfile {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
  /** The upstream `amr` (ID token), for providers whose amr the operator trusts. */
  amr: string[];
  /** Every claim the provider gave (ID token and userinfo), for organization role mapping (sso.ts); kept in memory only. */
  claims: Record<string, unknown>;
}

/** Why a callback was refused, told to the person in general terms; `detail` goes to the log only. */
export class UpstreamError extends Error {
  constructor(
    readonly reason: 'denied' | 'invalid',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'UpstreamError';
  }
}

const DISCOVERY_TTL = 600;
const CACHE_LIMIT = 500;
const TIMEOUT_MS = 10_000;
/** Discovered metadata per issuer, provider and revision of the provider's row. */
const discovered = new Map<string, { as: oauth.AuthorizationServer; until: number }>();

function requestOptions(url: string): { [oauth.allowInsecureRequests]?: boolean; signal: AbortSignal } {
  return { ...(insecureAllowed(url) ? { [oauth.allowInsecureRequests]: true } : {}), signal: AbortSignal.timeout(TIMEOUT_MS) };
}

/** The provider's authorization server: discovered (cached) for OpenID Connect, as configured for OAuth 2.0. */
export async function authorizationServer(scope: IssuerScope, provider: UpstreamProvider): Promise<oauth.AuthorizationServer> {
  if (provider.kind === 'oauth2') {
    const authorize = provider.authorizationEndpoint ?? '';
    return {
      // A plain OAuth 2.0 provider has no issuer identifier; its authorization endpoint's origin stands in.
      issuer: new URL(authorize).origin,
      authorization_endpoint: authorize,
      token_endpoint: provider.tokenEndpoint ?? undefined,
      userinfo_endpoint: provider.userinfoEndpoint ?? undefined,
    };
  }
  const issuerUrl = provider.issuerUrl ?? '';
  const key = [scope.id, provider.id, provider.updatedAt, issuerUrl, provider.authorizationEndpoint, provider.tokenEndpoint, provider.userinfoEndpoint].join(
    '\0',
  );
  const now = scope.services.clock();
  const cached = discovered.get(key);
  if (cached && cached.until > now) return cached.as;
  const url = new URL(issuerUrl);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oidc', ...requestOptions(issuerUrl) });
  const template = issuerTemplate(provider);
  const as = overridden(template ? await templatedMetadata(response, template) : await oauth.processDiscoveryResponse(url, response), provider);
  if (discovered.size >= CACHE_LIMIT) discovered.delete(discovered.keys().next().value as string);
  discovered.set(key, { as, until: now + DISCOVERY_TTL });
  return as;
}

/** A multi-tenant provider's metadata: its issuer must be the expected template (tenants.ts). */
async function templatedMetadata(response: Response, template: string): Promise<oauth.AuthorizationServer> {
  if (response.status !== 200) throw new UpstreamError('invalid', `discovery answered ${response.status}`);
  const body = (await response.json()) as oauth.AuthorizationServer;
  if (body.issuer !== template) throw new UpstreamError('invalid', 'the discovered issuer is not the expected tenant template');
  return body;
}

/** Endpoints the operator set explicitly win over discovered ones. */
function overridden(as: oauth.AuthorizationServer, provider: UpstreamProvider): oauth.AuthorizationServer {
  return {
    ...as,
    ...(provider.authorizationEndpoint ? { authorization_endpoint: provider.authorizationEndpoint } : {}),
    ...(provider.tokenEndpoint ? { token_endpoint: provider.tokenEndpoint } : {}),
    ...(provider.userinfoEndpoint ? { userinfo_endpoint: provider.userinfoEndpoint } : {}),
  };
}

/** What the start of a sign-in keeps (sealed or hashed) to check the callback against. */
export interface Started {
  location: string;
  state: string;
  codeVerifier: string;
  nonce: string;
}

/** The URL to send the browser to, with a fresh state, nonce and PKCE S256 challenge. */
export async function authorizationUrl(scope: IssuerScope, provider: UpstreamProvider, redirectUri: string): Promise<Started> {
  const as = await authorizationServer(scope, provider);
  if (!as.authorization_endpoint) throw new UpstreamError('invalid', 'the provider has no authorization endpoint');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', provider.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', provider.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (provider.kind === 'oidc') url.searchParams.set('nonce', nonce);
  // Apple answers with a POST to the callback whenever name or email is asked for.
  if (isApple(provider)) url.searchParams.set('response_mode', 'form_post');
  return { location: url.href, state, codeVerifier, nonce };
}

function claimString(claims: Record<string, unknown>, name: string): string | null {
  const value = claims[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function claimTrue(claims: Record<string, unknown>, name: string): boolean {
  const value = claims[name];
  return value === true || value === 'true';
}

/** The profile from the ID token's claims (OpenID Connect) or the userinfo answer (OAuth 2.0), by the provider's mapping. */
export function profileFrom(provider: UpstreamProvider, claims: Record<string, unknown>): UpstreamProfile {
  const m = provider.claimMapping;
  const subject = claimString(claims, m.subject);
  if (!subject) throw new UpstreamError('invalid', `the upstream identity has no ${m.subject}`);
  const email = claimString(claims, m.email)?.trim().toLowerCase() ?? null;
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
  return {
    subject,
    email: email && email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null,
    emailVerified: Boolean(email) && (m.emailAlwaysVerified === true || claimTrue(claims, m.emailVerified)),
    name: claimString(claims, m.name)?.slice(0, 200) ?? null,
    picture: pictureUrl(claimString(claims, m.picture)),
    amr,
    claims,
  };
}

function pictureUrl(raw: string | null): string | null {
  if (!raw || raw.length > 2000) return null;
  try {
    return new URL(raw).protocol === 'https:' ? raw : null;
  } catch {
    return null;
  }
}

/**
 * Checks the authorization response (state, RFC 9207 `iss`), redeems the code with the PKCE
 * verifier, and verifies the ID token (issuer, audience, expiry, nonce, signature by the
 * upstream JWKS), or, for plain OAuth 2.0, reads the userinfo endpoint with the access token.
 */
export async function finishUpstream(
  scope: IssuerScope,
  provider: UpstreamProvider,
  callback: URLSearchParams,
  expected: { state: string; codeVerifier: string; nonce: string; redirectUri: string },
): Promise<UpstreamProfile> {
  const as = await authorizationServer(scope, provider);
  const client: oauth.Client = { client_id: provider.clientId };
  const options = requestOptions(as.token_endpoint ?? as.issuer);
  let params: URLSearchParams;
  try {
    // A multi-tenant provider states no single issuer: the callback's own iss, if any, is checked
    // against the ID token's tenant below; here against the template only.
    const checked = isTemplated(as) ? { ...as, authorization_response_iss_parameter_supported: false } : as;
    const parameters = new URLSearchParams(callback);
    if (isTemplated(as)) parameters.delete('iss');
    params = oauth.validateAuthResponse(checked, client, parameters, expected.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw new UpstreamError('denied', `${error.error}: ${error.error_description ?? ''}`);
    throw new UpstreamError('invalid', (error as Error).message);
  }
  const secret = await clientSecret(scope, provider, as);
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(secret),
      params,
      expected.redirectUri,
      expected.codeVerifier,
      options,
    );
    if (provider.kind === 'oidc') {
      // Multi-tenant: the issuer to hold the ID token to is its own tenant's (tenants.ts).
      const tokenAs = isTemplated(as) ? await forTenant(as, response, callback) : as;
      const result = await oauth.processAuthorizationCodeResponse(tokenAs, client, response, { expectedNonce: expected.nonce, requireIdToken: true });
      // oauth4webapi checks the ID token's claims; its signature is checked here, against the JWKS.
      await oauth.validateApplicationLevelSignature(tokenAs, response, requestOptions(as.jwks_uri ?? as.issuer));
      const claims = oauth.getValidatedIdTokenClaims(result) as Record<string, unknown> | undefined;
      if (!claims) throw new UpstreamError('invalid', 'no ID token');
      // Many providers put the profile in userinfo only (OIDC Core §5.4): read it for the same subject.
      if (claims[provider.claimMapping.email] === undefined && as.userinfo_endpoint) {
        const info = await oauth.processUserInfoResponse(
          as,
          client,
          String(claims.sub),
          await oauth.userInfoRequest(as, client, result.access_token, requestOptions(as.userinfo_endpoint)),
        );
        return profileFrom(provider, { ...(info as Record<string, unknown>), ...claims });
      }
      return profileFrom(provider, claims);
    }
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    const info = await userinfo(as, result.access_token);
    if (provider.preset === 'github') {
      // Whatever /user says about the email is replaced by what /user/emails says, verification included.
      const endpoint = as.userinfo_endpoint ?? '';
      const email = await githubEmail(endpoint, result.access_token, requestOptions(endpoint));
      const m = provider.claimMapping;
      return profileFrom(provider, { ...info, [m.email]: email?.email, [m.emailVerified]: email?.email_verified ?? false });
    }
    return profileFrom(provider, info);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError('invalid', (error as Error).message);
  }
}

/** The client secret for this token request: the stored one, or for Apple a JWT made now (apple.ts). */
async function clientSecret(scope: IssuerScope, provider: UpstreamProvider, as: oauth.AuthorizationServer): Promise<string> {
  const opened = await openClientSecret(scope, provider);
  if (!isApple(provider)) return opened;
  return appleClientSecret(parseAppleSecret(opened), provider.clientId, as.issuer, scope.services.clock());
}

/** The tenant's issuer of a multi-tenant provider, from the token response's ID token; a callback iss must name the same. */
async function forTenant(as: oauth.AuthorizationServer, response: Response, callback: URLSearchParams): Promise<oauth.AuthorizationServer> {
  const body = (await response.clone().json()) as { id_token?: unknown };
  const issuer = tenantIssuer(as, body.id_token);
  if (!issuer) throw new UpstreamError('invalid', 'the ID token names no tenant');
  const iss = callback.get('iss');
  if (iss !== null && iss !== issuer) throw new UpstreamError('invalid', 'the callback iss is not the ID token tenant');
  return { ...as, issuer };
}

/** A plain OAuth 2.0 provider's userinfo endpoint, read with the access token (which then goes). */
async function userinfo(as: oauth.AuthorizationServer, accessToken: string): Promise<Record<string, unknown>> {
  const endpoint = as.userinfo_endpoint ?? '';
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(endpoint),
    new Headers({ accept: 'application/json', 'user-agent': 'Gatehouse' }),
    null,
    requestOptions(endpoint),
  );
  if (!response.ok) throw new UpstreamError('invalid', `userinfo answered ${response.status}`);
  const body = (await response.json()) as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UpstreamError('invalid', 'userinfo is not a JSON object');
  return body as Record<string, unknown>;
}
