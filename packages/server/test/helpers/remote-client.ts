import type { TestContext } from './harness.js';
import { TEST_REDIRECT_URI, basicAuth } from './harness.js';
import { pkcePair } from './pkce.js';

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  scope: string;
}

/** Talks to a Gatehouse over real HTTP as one confidential client. */
export class RemoteClient {
  constructor(
    readonly clientId: string,
    private readonly secret: string,
  ) {}

  async token(baseUrl: string, params: Record<string, string>): Promise<Response> {
    return fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(this.clientId, this.secret) },
      body: new URLSearchParams(params).toString(),
    });
  }

  async post(baseUrl: string, path: string, params: Record<string, string>): Promise<Response> {
    return fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(this.clientId, this.secret) },
      body: new URLSearchParams(params).toString(),
    });
  }

  refresh(baseUrl: string, refreshToken: string): Promise<Response> {
    return this.token(baseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /**
   * Mints a code straight into the shared database (as if the user had just signed in) and
   * exchanges it over HTTP; returns the code too, to check it cannot be used again.
   */
  async signIn(ctx: TestContext, baseUrl: string, userId: string, scope = 'openid profile email'): Promise<{ code: string; tokens: TokenSet }> {
    const { verifier, challenge } = pkcePair();
    const code = await ctx.scope.repos.codes.create(
      {
        clientId: this.clientId,
        userId,
        redirectUri: TEST_REDIRECT_URI,
        codeChallenge: challenge,
        scope,
        nonce: null,
        sid: null,
        authTime: ctx.clock(),
        resource: null,
      },
      ctx.config.codeTtl,
    );
    const res = await this.token(baseUrl, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
    if (res.status !== 200) throw new Error(`code exchange failed: ${res.status} ${await res.text()}`);
    return { code, tokens: (await res.json()) as TokenSet };
  }
}
