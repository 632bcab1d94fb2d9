/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import type { ChallengeContext, FactorResult, SecondFactor } from './factor.js';
import { matchingStep, newTotpSecret, otpauthUri } from './rfc6238.js';

/** The label a user's secret is sealed under: a sealed secret copied to another row does not open. */
function sealLabel(scope: IssuerScope, userId: string): string {
  return `totp/${scope.id}/${userId}`;
}

/** A code as typed: spaces and dashes some apps show between the digit groups are dropped. */
export function typedCode(value: string | undefined): string {
  return (value ?? '').replace(/[\s-]/g, '').slice(0, 20);
}

/** A pending enrolment: a new secret, sealed and stored unconfirmed; returns the secret and its otpauth:// URI to show once. */
export async function startTotpEnrolment(scope: IssuerScope, userId: string, account: string): Promise<{ secret: string; uri: string } | undefined> {
  const secret = newTotpSecret();
  const sealed = await scope.services.box.seal(secret, sealLabel(scope, userId));
  if (!(await scope.repos.totpFactors.startEnrolment(userId, sealed))) return undefined;
  return { secret, uri: otpauthUri(secret, scope.settings.brand.name, account) };
}

/** The pending enrolment's secret and URI again (a re-shown page after a wrong first code). */
export async function pendingTotp(scope: IssuerScope, userId: string, account: string): Promise<{ secret: string; uri: string } | undefined> {
  const stored = await scope.repos.totpFactors.find(userId);
  if (!stored || stored.confirmed) return undefined;
  const secret = await scope.services.box.open(stored.secretSealed, sealLabel(scope, userId));
  return { secret, uri: otpauthUri(secret, scope.settings.brand.name, account) };
}

/**
 * Checks a code against the user's app and uses its time step up (atomically: a step is
 * accepted once, and no earlier step after it). `confirm` checks against a pending enrolment
 * and confirms it; otherwise only a confirmed app answers.
 */
export async function checkTotpCode(scope: IssuerScope, userId: string, code: string, confirm: boolean): Promise<boolean> {
  const stored = await scope.repos.totpFactors.find(userId);
  if (!stored || stored.confirmed === confirm) return false;
  const secret = await scope.services.box.open(stored.secretSealed, sealLabel(scope, userId));
  const step = matchingStep(secret, code, scope.services.clock());
  if (step === undefined) return false;
  return scope.repos.totpFactors.acceptStep(userId, step, confirm);
}

/** The code field of a TOTP form: digits only, filled by password managers that hold the secret. */
export function TotpCodeField(props: { t: ChallengeContext['t']; id: string; autofocus?: boolean }): Child {
  return (
    <>
      <label for={props.id}>{props.t.t('mfa.totp.label')}</label>
      <input
        type="text"
        id={props.id}
        name="code"
        inputmode="numeric"
        pattern="[0-9 ]*"
        maxlength={8}
        autocomplete="one-time-code"
        required
        autofocus={props.autofocus}
      />
    </>
  );
}

/** An authenticator app (RFC 6238): amr `otp`. */
export const TOTP_FACTOR: SecondFactor = {
  kind: 'totp',
  enrolled: (scope, userId) => scope.repos.totpFactors.hasConfirmed(userId),
  async challenge(_c, _scope, ctx) {
    return (
      <form method="post" action={ctx.action} id="totp-form" novalidate>
        <input type="hidden" name="csrf" value={ctx.csrf} />
        <input type="hidden" name="factor" value="totp" />
        <TotpCodeField t={ctx.t} id="totp-code" autofocus />
        {ctx.remember}
        <div class="actions">
          <button type="submit" class="primary" id="totp-submit">
            {ctx.t.t('mfa.totp.submit')}
          </button>
        </div>
      </form>
    );
  },
  async verify(_c, scope, ctx, form): Promise<FactorResult> {
    const code = typedCode(form.get('code') ?? undefined);
    if (code === '') return { ok: false, status: 400, error: say('mfa.missing') };
    if (!(await checkTotpCode(scope, ctx.userId, code, false))) return { ok: false, status: 401, error: say('mfa.wrong') };
    return { ok: true, amr: ['otp'] };
  },
};
