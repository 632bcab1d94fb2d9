import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Profile, TokenSet } from '@gatehouse/client';
import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';

/** The part of agent.profile (the verified ID token, with what userinfo added) the pages show. */
export interface StoredProfile {
  sub: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  /** How Gatehouse signed the user in (the ID token's acr and amr), for the dashboard's "How you signed in". */
  acr?: string;
  amr?: string[];
}

// Everything below lives in the server-side store; the browser only holds the session id.
declare module 'express-session' {
  interface SessionData {
    /** PKCE verifier, state and nonce of the sign-in under way. */
    pendingLogin: { codeVerifier: string; state: string; nonce: string };
    /** The signed-in user: the session is keyed off the verified `sub`. */
    sub: string;
    profile: StoredProfile;
    tokens: TokenSet;
    /** Per-session token the sign-out form must echo (CSRF). */
    csrfToken: string;
    /** The `state` sent with RP-initiated logout, to recognise the way back. */
    logoutState: string;
  }
}

export const SESSION_COOKIE = 'example_business.sid';

export function sessionMiddleware(options: { secret: string; secure: boolean; store?: session.Store }): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store: options.store,
    // Only sessions that hold something get a cookie; unchanged sessions are not rewritten.
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/', maxAge: 8 * 60 * 60 * 1000 },
  });
}

export function pickProfile(profile: Profile): StoredProfile {
  const picked: StoredProfile = { sub: profile.sub };
  if (typeof profile.name === 'string') picked.name = profile.name;
  if (typeof profile.email === 'string') picked.email = profile.email;
  if (typeof profile.email_verified === 'boolean') picked.email_verified = profile.email_verified;
  if (typeof profile.acr === 'string') picked.acr = profile.acr;
  if (Array.isArray(profile.amr) && profile.amr.every((m) => typeof m === 'string')) picked.amr = profile.amr;
  return picked;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new session id for the same browser, so an id planted before sign-in is worthless after it. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
}

/** Deletes the session from the store and tells the browser to drop the cookie. */
export function destroySession(req: Request, res: Response): Promise<void> {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
  if (!req.session) return Promise.resolve();
  return new Promise((resolve, reject) => req.session.destroy((error: unknown) => (error ? reject(error) : resolve())));
}

export function csrfMatches(expected: string | undefined, given: unknown): boolean {
  if (typeof expected !== 'string' || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
