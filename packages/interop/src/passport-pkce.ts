/**
 * PKCE (RFC 7636, S256) for passport-openidconnect.
 *
 * passport-openidconnect 0.1.x has no PKCE option (upstream issues jaredhanson/passport-openidconnect
 * #56 and #83 are still open), and Gatehouse refuses every authorization request without a
 * code_challenge. The library has two extension points that together are enough:
 *
 * - `authorizationParams(options)`, documented as the hook subclasses override to add
 *   authorization request parameters: it adds code_challenge and code_challenge_method=S256;
 * - the `store` option (the state store), which carries what the callback needs from the
 *   authorization request: it keeps the code_verifier next to the state handle and nonce.
 *
 * The token request has no hook, so on the callback the subclass hands the library, for that one
 * request, an `_oauth2` (the property the library documents as "protected": meant for
 * subclasses) whose getOAuthAccessToken adds code_verifier to the body. Nothing is patched
 * globally: each request runs on its own `Object.create` of the strategy.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import OpenIDConnectStrategy from 'passport-openidconnect';

type StateContext = OpenIDConnectStrategy.StateContext;
type StateStore = OpenIDConnectStrategy.StateStore;

const CHALLENGE_OPTION = 'pkceCodeChallenge';

interface SavedState {
  handle: string;
  codeVerifier?: string;
  nonce?: string;
  maxAge?: number;
  issued?: string;
  appState?: unknown;
}

function sessionOf(req: Request): Record<string, unknown> | undefined {
  return req.session as unknown as Record<string, unknown> | undefined;
}

/**
 * The library's SessionStateStore (lib/state/session.js), keeping `codeVerifier` too: the stock
 * store copies only maxAge, nonce and issued out of the context.
 */
export class PkceSessionStateStore implements StateStore {
  constructor(private readonly key: string) {}

  store(req: Request, ctx: StateContext, appState: unknown, _meta: Record<string, unknown>, cb: (err: Error | null, handle?: string) => void): void {
    const session = sessionOf(req);
    if (!session) return cb(new Error('OpenID Connect requires session support: add express-session before passport'));
    const handle = randomBytes(24).toString('base64url');
    const saved: SavedState = { handle };
    if (typeof ctx.codeVerifier === 'string') saved.codeVerifier = ctx.codeVerifier;
    if (ctx.nonce) saved.nonce = ctx.nonce;
    if (ctx.maxAge) saved.maxAge = ctx.maxAge;
    if (ctx.issued) saved.issued = ctx.issued.toISOString();
    if (appState) saved.appState = appState;
    session[this.key] = saved;
    cb(null, handle);
  }

  verify(req: Request, handle: string | undefined, cb: (err: Error | null, ctx?: StateContext | false, appState?: unknown) => void): void {
    const session = sessionOf(req);
    if (!session) return cb(new Error('OpenID Connect requires session support: add express-session before passport'));
    const saved = session[this.key] as SavedState | undefined;
    // One use only, whatever the outcome.
    delete session[this.key];
    if (!saved) return cb(null, false, { message: 'Unable to verify authorization request state.' });
    const expected = Buffer.from(saved.handle);
    const given = Buffer.from(handle ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return cb(null, false, { message: 'Invalid authorization request state.' });
    }
    const ctx: StateContext = {};
    if (saved.codeVerifier) ctx.codeVerifier = saved.codeVerifier;
    if (saved.nonce) ctx.nonce = saved.nonce;
    if (saved.maxAge) ctx.maxAge = saved.maxAge;
    if (saved.issued) ctx.issued = new Date(saved.issued);
    cb(null, ctx, saved.appState);
  }
}

/** `new OpenIDConnectStrategy(...)` with PKCE S256 on every authorization request. */
export class PkceOpenIDConnectStrategy extends OpenIDConnectStrategy {
  constructor(options: OpenIDConnectStrategy.StrategyOptions, verify: OpenIDConnectStrategy.VerifyFunction) {
    super({ ...options, store: options.store ?? new PkceSessionStateStore(`openidconnect-pkce:${new URL(options.authorizationURL).host}`) }, verify);
  }

  override authenticate(req: Request, options: Record<string, unknown> = {}): void {
    const self = Object.create(this) as this;
    const store = this._stateStore;
    const oauth2 = this._oauth2;
    // The same test the library makes to tell the callback from the start of a login.
    const isCallback = Boolean(req.query?.code) && !req.query?.error;
    if (!isCallback) {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      self._stateStore = {
        store: (r, ctx, appState, meta, cb) => store.store(r, { ...ctx, codeVerifier: verifier }, appState, meta, cb),
        verify: (r, handle, cb) => store.verify(r, handle, cb),
      };
      options = { ...options, [CHALLENGE_OPTION]: challenge };
    } else {
      let verifier: string | undefined;
      self._stateStore = {
        store: (r, ctx, appState, meta, cb) => store.store(r, ctx, appState, meta, cb),
        verify: (r, handle, cb) =>
          store.verify(r, handle, (err, ctx, appState) => {
            if (ctx && typeof ctx.codeVerifier === 'string') verifier = ctx.codeVerifier;
            cb(err, ctx, appState);
          }),
      };
      const client: OpenIDConnectStrategy.OAuth2Client = Object.create(oauth2);
      client.getOAuthAccessToken = (code, params, cb) => {
        if (!verifier) return cb(new Error('No PKCE code_verifier was stored for this authorization response'));
        oauth2.getOAuthAccessToken(code, { ...params, code_verifier: verifier }, cb);
      };
      self._oauth2 = client;
    }
    OpenIDConnectStrategy.prototype.authenticate.call(self, req, options);
  }

  override authorizationParams(options: Record<string, unknown>): Record<string, string> {
    const challenge = options[CHALLENGE_OPTION];
    return typeof challenge === 'string' ? { code_challenge: challenge, code_challenge_method: 'S256' } : {};
  }
}
