import type { Context } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';
import { type ActiveSession, activeSession } from './session.js';

/** Accounts a browser keeps besides the current one; the oldest is forgotten past this. */
export const MAX_OTHER_ACCOUNTS = 4;

/** One account the browser is signed in to, with its session cookie's value. */
export interface BrowserAccount extends ActiveSession {
  cookie: string;
}

/** The accounts a browser is signed in to at an issuer (prompt=select_account). */
export interface BrowserAccounts {
  current: BrowserAccount | undefined;
  /** The others, newest first, each live and of another user than the current one. */
  others: BrowserAccount[];
}

/**
 * The browser's accounts: its session cookie and the other sessions it keeps (cookies.ts
 * `accounts`). A browser only ever holds sessions it signed in to itself, and only their live
 * ones count; one user appears once. Read by the account chooser, never on the fast paths.
 */
export async function browserAccounts(c: Context, scope: IssuerScope): Promise<BrowserAccounts> {
  const current = await activeOf(scope, scope.cookies.getSession(c));
  const others: BrowserAccount[] = [];
  const seen = new Set(current ? [current.user.id] : []);
  for (const cookie of scope.cookies.getAccounts(c).slice(0, MAX_OTHER_ACCOUNTS)) {
    const account = await activeOf(scope, cookie);
    if (!account || seen.has(account.user.id)) continue;
    seen.add(account.user.id);
    others.push(account);
  }
  return { current, others };
}

async function activeOf(scope: IssuerScope, cookie: string | undefined): Promise<BrowserAccount | undefined> {
  const active = await activeSession(scope, cookie);
  return active && cookie ? { ...active, cookie } : undefined;
}

/** How many accounts the browser may hold, by its cookies alone (no read): an upper bound. */
export function accountCookieCount(c: Context, scope: IssuerScope): number {
  return (scope.cookies.getSession(c) ? 1 : 0) + scope.cookies.getAccounts(c).length;
}

/**
 * Makes `current` the browser's session and keeps `others` (newest first) beside it, so the
 * chooser can offer them again; past MAX_OTHER_ACCOUNTS the oldest is forgotten (not ended:
 * it ends by itself, and logout ends every session the browser still names).
 */
export function keepAccounts(c: Context, scope: IssuerScope, current: string, others: readonly string[]): void {
  const kept = [...new Set(others)].filter((cookie) => cookie !== current).slice(0, MAX_OTHER_ACCOUNTS);
  const ttl = scope.settings.sessionTtl;
  scope.cookies.setSession(c, current, ttl);
  scope.cookies.setAccounts(c, kept, ttl);
}
