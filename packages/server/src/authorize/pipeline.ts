import { type OAuthErrorCode, OAuthError, RedirectableError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { AuthorizationRequest } from './request.js';

/**
 * An authorization request as the checks fill it in. The client (and, at /oauth/authorize, the
 * redirect URI) are established before the checks run; each check reads `params` and may add
 * fields to `out` or throw.
 */
export interface AuthorizationDraft {
  readonly params: Params;
  readonly client: Client;
  /** Where errors go back by redirect; undefined where they are answered directly (PAR, device). */
  readonly redirectUri: string | undefined;
  /** The state to echo on a redirected error (one that is not too long). */
  readonly state: string | undefined;
  readonly out: Partial<AuthorizationRequest>;
}

/** One named check of an authorization request; sync unless it must read (id_token_hint). */
export interface AuthorizationCheck {
  readonly name: string;
  /** Discovery metadata (RFC 8414 §2) saying what the check accepts, e.g. response_types_supported. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  run(draft: AuthorizationDraft, scope: IssuerScope): void | Promise<void>;
}

/** The error of a check: redirected where the request has a redirect URI, else answered directly. */
export function checkFailed(draft: AuthorizationDraft, code: OAuthErrorCode, description: string): OAuthError {
  return draft.redirectUri === undefined ? new OAuthError(code, description) : new RedirectableError(code, description, draft.redirectUri, draft.state);
}

/**
 * An ordered list of checks, shared by every endpoint that takes an authorization request
 * (/oauth/authorize now; pushed authorization requests and the device endpoint next, with
 * `without` the checks that do not apply to them). The first error wins, so the order is part
 * of the protocol's observable behaviour. Sync checks run without a promise: only a check that
 * returns one makes the run async.
 */
export class AuthorizationPipeline {
  readonly checks: readonly AuthorizationCheck[];

  constructor(checks: readonly AuthorizationCheck[]) {
    const names = new Set<string>();
    for (const check of checks) {
      if (names.has(check.name)) throw new Error(`two authorization checks named "${check.name}"`);
      names.add(check.name);
    }
    this.checks = [...checks];
  }

  /** The metadata the checks advertise, merged in order. */
  get metadata(): Record<string, unknown> {
    return Object.assign({}, ...this.checks.map((c) => c.metadata ?? {}));
  }

  get names(): string[] {
    return this.checks.map((c) => c.name);
  }

  /** The same pipeline without the named checks (for an endpoint they do not apply to). */
  without(...names: string[]): AuthorizationPipeline {
    const unknown = names.filter((n) => !this.checks.some((c) => c.name === n));
    if (unknown.length > 0) throw new Error(`no authorization check named ${unknown.join(', ')}`);
    return new AuthorizationPipeline(this.checks.filter((c) => !names.includes(c.name)));
  }

  /** This pipeline with `check` inserted before the check named `before` (or at the end). */
  with(check: AuthorizationCheck, before?: string): AuthorizationPipeline {
    const at = before === undefined ? this.checks.length : this.checks.findIndex((c) => c.name === before);
    if (at < 0) throw new Error(`no authorization check named ${before}`);
    return new AuthorizationPipeline([...this.checks.slice(0, at), check, ...this.checks.slice(at)]);
  }

  /** Runs every check in order; a promise only when some check returned one. */
  run(draft: AuthorizationDraft, scope: IssuerScope): void | Promise<void> {
    return this.#from(0, draft, scope);
  }

  #from(start: number, draft: AuthorizationDraft, scope: IssuerScope): void | Promise<void> {
    const { checks } = this;
    for (let i = start; i < checks.length; i++) {
      const pending = (checks[i] as AuthorizationCheck).run(draft, scope);
      if (pending) return pending.then(() => this.#from(i + 1, draft, scope));
    }
    return undefined;
  }
}
