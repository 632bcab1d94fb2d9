// passport-openidconnect 0.1.x ships no types (and there is no @types package): the part of its
// API these tests use, read from node_modules/passport-openidconnect/lib.
declare module 'passport-openidconnect' {
  import type { Request } from 'express';

  namespace OpenIDConnectStrategy {
    /** What the strategy keeps between the authorization request and the callback. */
    interface StateContext {
      maxAge?: number;
      nonce?: string;
      issued?: Date;
      [extra: string]: unknown;
    }

    /** The `store` option: how `state` is generated and checked (default: in req.session). */
    interface StateStore {
      store(req: Request, ctx: StateContext, appState: unknown, meta: Record<string, unknown>, cb: (err: Error | null, handle?: string) => void): void;
      verify(req: Request, handle: string | undefined, cb: (err: Error | null, ctx?: StateContext | false, appState?: unknown) => void): void;
    }

    interface StrategyOptions {
      issuer: string;
      authorizationURL: string;
      tokenURL: string;
      userInfoURL?: string;
      clientID: string;
      clientSecret?: string;
      callbackURL?: string;
      scope?: string | string[];
      /** Any truthy value: send a random nonce and check it in the ID token. */
      nonce?: boolean | string;
      prompt?: string;
      maxAge?: number;
      skipUserProfile?: boolean;
      sessionKey?: string;
      store?: StateStore;
      passReqToCallback?: false;
      customHeaders?: Record<string, string>;
    }

    /** The OpenID claims as a Passport profile (profile.js). */
    interface Profile {
      id: string;
      displayName?: string;
      username?: string;
      name?: { familyName?: string; givenName?: string; middleName?: string };
      emails?: { value: string }[];
      _raw?: string;
      _json?: Record<string, unknown>;
    }

    type VerifyCallback = (err: Error | null, user?: Express.User | false, info?: unknown) => void;

    /** The 9-argument verify function: also loads userinfo (skipUserProfile defaults to false). */
    type VerifyFunction = (
      issuer: string,
      uiProfile: Profile,
      idProfile: Profile,
      context: Record<string, unknown>,
      idToken: string,
      accessToken: string,
      refreshToken: string | undefined,
      params: Record<string, unknown>,
      verified: VerifyCallback,
    ) => void;

    /** The `oauth` package's OAuth2 client the strategy uses (its "protected" _oauth2). */
    interface OAuth2Client {
      getOAuthAccessToken(
        code: string,
        params: Record<string, string>,
        cb: (err: unknown, accessToken?: string, refreshToken?: string, results?: Record<string, unknown>) => void,
      ): void;
    }
  }

  class OpenIDConnectStrategy {
    constructor(options: OpenIDConnectStrategy.StrategyOptions, verify: OpenIDConnectStrategy.VerifyFunction);
    name: string;
    authenticate(req: Request, options?: Record<string, unknown>): void;
    /** Extra authorization request parameters; meant to be overridden by subclasses. */
    authorizationParams(options: Record<string, unknown>): Record<string, string>;
    protected _oauth2: OpenIDConnectStrategy.OAuth2Client;
    protected _stateStore: OpenIDConnectStrategy.StateStore;
  }

  export = OpenIDConnectStrategy;
}
