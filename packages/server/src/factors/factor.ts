import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { IssuerScope } from '../issuers/scope.js';
import type { Text, Translator } from '../pages/translator.js';

/**
 * The kinds of second factor. Each is a module under factors/ (or its own folder) that
 * implements SecondFactor and is listed once in factors/registry.ts; the sign-in's `mfa` step
 * (interactions/mfa.ts) and the account security page know them only through this interface.
 */
export type FactorKind = 'totp' | 'recovery' | 'passkey' | 'wallet';

/** What the `mfa` step knows when it asks a factor: whose sign-in, which interaction, its CSRF token. */
export interface ChallengeContext {
  userId: string;
  /** The interaction id: a challenge is bound to it, so a code or signature from one interaction is worthless in another. */
  interactionId: string;
  csrf: string;
  /** Where the factor's form posts (the step's POST, with `factor=<kind>`). */
  action: string;
  t: Translator;
  /**
   * The "remember this device" checkbox when the issuer offers it (factors/remember-device.ts),
   * for the factor to put inside its form; undefined when it is not offered.
   */
  remember?: Child | undefined;
}

export type FactorResult =
  /** The factor was proved: RFC 8176 `amr` values it adds to the sign-in (e.g. ['otp'], ['hwk']). */
  | { ok: true; amr: string[] }
  /** Not proved: shown on the step's page; `status` 400 for malformed input, 401 for a wrong answer, 429 throttled. */
  | { ok: false; status: 400 | 401 | 429; error: Text };

export interface SecondFactor {
  kind: FactorKind;
  /** Whether this user can prove this factor now (has one enrolled, and it is not used up). */
  enrolled(scope: IssuerScope, userId: string): Promise<boolean>;
  /**
   * The part of the `mfa` step's page that asks for this factor: a form posting to `ctx.action`
   * with `csrf`, `factor=<kind>` and its own fields (a script may fill them, as WebAuthn and
   * wallets need; the page's CSP allows only same-origin scripts).
   */
  challenge(c: Context, scope: IssuerScope, ctx: ChallengeContext): Promise<Child>;
  /**
   * Checks the posted answer. Throttling is the caller's (factors/throttle.ts counts failures per
   * user and per interaction for every kind alike); single use (a TOTP step, a recovery code, a
   * WebAuthn challenge) is the factor's, atomically in its store.
   */
  verify(c: Context, scope: IssuerScope, ctx: ChallengeContext, form: URLSearchParams): Promise<FactorResult>;
}
