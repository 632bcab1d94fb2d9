import { createHash, randomBytes } from 'node:crypto';
import { type JWK, type JWTPayload, SignJWT, exportJWK, generateKeyPair } from 'jose';

/** A movable clock in epoch seconds, like the server's test clock. */
export interface TestClock {
  (): number;
  advance(seconds: number): void;
}

export function testClock(start = Math.floor(Date.now() / 1000)): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (seconds) => {
    now += seconds;
  };
  return clock;
}

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(alg: 'RS256' | 'ES256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk };
}

let defaultKeys: Promise<[SigningKey, SigningKey]> | undefined;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  form: URLSearchParams;
}

interface CodeGrant {
  challenge: string;
  redirectUri: string;
  nonce: string | null;
  scope: string;
}

type Handler = (request: RecordedRequest) => Response | undefined | Promise<Response | undefined>;

const b64url = (bytes: Buffer): string => bytes.toString('base64url');
const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });

/**
 * A small OpenID provider behind an injected fetch: discovery, JWKS, token (code, refresh with
 * rotation, client_credentials), revocation. It signs with jose; the SDK must verify for real.
 */
export class FakeProvider {
  readonly issuer = 'https://idp.test';
  readonly clientId = 'client-1';
  readonly clientSecret = 'secret-1';
  readonly redirectUri = 'https://app.test/callback';
  readonly clock = testClock();
  readonly requests: RecordedRequest[] = [];
  /** Keys published in the JWKS; tests may add or remove. */
  published: JWK[];
  /** Fields merged into the discovery document. */
  metadataOverrides: Record<string, unknown> = {};
  accessTokenTtl = 900;
  /** When set, every request fails like an unreachable host. */
  down = false;
  /** Milliseconds the token endpoint waits, to make concurrent calls overlap. */
  tokenDelayMs = 0;
  /** Claims added to every ID token (e.g. organizations). */
  extraIdTokenClaims: Record<string, unknown> = {};
  /** Takes precedence over the built-in routes when it returns a Response. */
  intercept: Handler | undefined;
  private readonly codes = new Map<string, CodeGrant>();
  private readonly subjects = new Map<string, string>();
  private readonly refreshTokens = new Map<string, { scope: string; sub: string; used: boolean }>();
  readonly revoked: string[] = [];

  private constructor(
    readonly rsKey: SigningKey,
    readonly esKey: SigningKey,
  ) {
    this.published = [rsKey.jwk, esKey.jwk];
  }

  static async create(): Promise<FakeProvider> {
    // One pair per test file: an RSA key costs up to a few hundred milliseconds of CPU to make,
    // and no test tells two providers apart by their keys (one that needs another key makes it).
    defaultKeys ??= Promise.all([signingKey('RS256', 'rs-1'), signingKey('ES256', 'es-1')]);
    const [rs, es] = await defaultKeys;
    return new FakeProvider(rs, es);
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  metadata(): Record<string, unknown> {
    const i = this.issuer;
    return {
      issuer: i,
      authorization_endpoint: `${i}/oauth/authorize`,
      token_endpoint: `${i}/oauth/token`,
      jwks_uri: `${i}/.well-known/jwks.json`,
      revocation_endpoint: `${i}/oauth/revoke`,
      end_session_endpoint: `${i}/oauth/logout`,
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      ...this.metadataOverrides,
    };
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const form = request.method === 'POST' ? new URLSearchParams(await request.text()) : url.searchParams;
    const recorded = { method: request.method, path: url.pathname, headers: request.headers, form };
    this.requests.push(recorded);
    if (this.down) throw new TypeError('fetch failed');
    const intercepted = await this.intercept?.(recorded);
    if (intercepted) return intercepted;
    if (url.origin !== this.issuer) return new Response('not found', { status: 404 });
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json(this.metadata());
      case '/.well-known/jwks.json':
        return json({ keys: this.published });
      case '/oauth/token':
        if (this.tokenDelayMs) await new Promise((r) => setTimeout(r, this.tokenDelayMs));
        return this.token(recorded);
      case '/oauth/revoke':
        if (!this.authenticated(recorded)) return json({ error: 'invalid_client' }, 401);
        this.revoked.push(form.get('token') ?? '');
        return new Response(null, { status: 200 });
      default:
        return new Response('not found', { status: 404 });
    }
  };

  /** Plays the user approving the request: returns the callback URL the browser would land on. */
  authorize(authorizationUrl: string, sub = 'user-1'): string {
    const q = new URL(authorizationUrl).searchParams;
    const code = b64url(randomBytes(32));
    this.codes.set(code, {
      challenge: q.get('code_challenge') ?? '',
      redirectUri: q.get('redirect_uri') ?? '',
      nonce: q.get('nonce'),
      scope: q.get('scope') ?? '',
    });
    this.subjects.set(code, sub);
    const callback = new URL(q.get('redirect_uri') ?? this.redirectUri);
    callback.searchParams.set('code', code);
    if (q.get('state')) callback.searchParams.set('state', q.get('state') ?? '');
    callback.searchParams.set('iss', this.issuer);
    return callback.href;
  }

  /** An ID token; `claims` override the defaults (set `iss`, `aud`, `exp`… or `undefined` to drop). */
  async idToken(claims: JWTPayload & Record<string, unknown> = {}, key: SigningKey = this.rsKey, header: Record<string, unknown> = {}): Promise<string> {
    const now = this.clock();
    const payload: Record<string, unknown> = {
      iss: this.issuer,
      sub: 'user-1',
      aud: this.clientId,
      azp: this.clientId,
      iat: now,
      exp: now + 3600,
      auth_time: now,
      ...this.extraIdTokenClaims,
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
  }

  /** An RFC 9068 access token. `claims` override the defaults (set `iss`, `aud`, `exp`… to test). */
  async accessToken(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: SigningKey = this.esKey): Promise<string> {
    const now = this.clock();
    const payload = {
      iss: this.issuer,
      sub: 'user-1',
      aud: 'https://api.test',
      iat: now,
      exp: now + this.accessTokenTtl,
      jti: b64url(randomBytes(12)),
      client_id: this.clientId,
      scope: 'openid payments',
      ...claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
  }

  private authenticated(request: RecordedRequest): boolean {
    const basic = /^Basic (.+)$/.exec(request.headers.get('authorization') ?? '');
    if (!basic?.[1]) return false;
    const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
    return id === this.clientId && secret === this.clientSecret;
  }

  private async token(request: RecordedRequest): Promise<Response> {
    if (!this.authenticated(request)) {
      return json({ error: 'invalid_client' }, 401, { 'www-authenticate': 'Basic realm="idp"' });
    }
    const form = request.form;
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const grant = this.codes.get(code);
        this.codes.delete(code);
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri')) {
          return json({ error: 'invalid_grant', error_description: 'bad code' }, 400);
        }
        const sub = this.subjects.get(code) ?? 'user-1';
        return this.issue(grant.scope, sub, grant.nonce ? { nonce: grant.nonce } : {});
      }
      case 'refresh_token': {
        const record = this.refreshTokens.get(form.get('refresh_token') ?? '');
        if (!record || record.used) return json({ error: 'invalid_grant', error_description: 'refresh token is not active' }, 400);
        record.used = true;
        return this.issue(record.scope, record.sub, {});
      }
      case 'client_credentials': {
        const scope = form.get('scope') ?? '';
        const accessToken = await this.accessToken({ sub: this.clientId, scope, aud: form.get('resource') ?? 'https://api.test' });
        return json({ access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokenTtl, scope });
      }
      default:
        return json({ error: 'unsupported_grant_type' }, 400);
    }
  }

  private async issue(scope: string, sub: string, idClaims: Record<string, unknown>): Promise<Response> {
    const refreshToken = b64url(randomBytes(32));
    this.refreshTokens.set(refreshToken, { scope, sub, used: false });
    const accessToken = await this.accessToken({ sub, scope });
    const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
    return json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokenTtl,
      scope,
      refresh_token: refreshToken,
      id_token: await this.idToken({ sub, at_hash: atHash, ...idClaims }),
    });
  }
}
