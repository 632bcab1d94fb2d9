/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { randomBytes } from 'node:crypto';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { sha256 } from '../tokens/random.js';
import type { FactorResult, SecondFactor } from './factor.js';
import { base32Encode } from './rfc6238.js';

/** How many codes a set has. */
export const RECOVERY_CODE_COUNT = 10;

/** A code as stored and compared: upper case, without the dash and spaces it is shown with. */
export function normalRecoveryCode(value: string): string {
  return value.toUpperCase().replace(/[\s-]/g, '').slice(0, 40);
}

/** Ten new codes of 10 base32 characters (50 bits each), shown as XXXXX-XXXXX; only their hashes are stored. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const code = base32Encode(randomBytes(7)).slice(0, 10);
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

export function recoveryCodeHash(code: string): string {
  return sha256(`recovery:${normalRecoveryCode(code)}`);
}

/** Replaces the user's codes with a new set (in the caller's transaction, if any) and returns them, to show once. */
export async function regenerateRecoveryCodes(repos: IssuerScope['repos'], userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await repos.recoveryCodes.replace(userId, codes.map(recoveryCodeHash));
  return codes;
}

/**
 * Recovery codes: a stand-in for the authenticator app when it is lost. Each code works once
 * (consumed by one conditional update); amr `otp`, as they are one-time passwords held on paper.
 */
export const RECOVERY_FACTOR: SecondFactor = {
  kind: 'recovery',
  async enrolled(scope, userId) {
    return (await scope.repos.recoveryCodes.remaining(userId)) > 0;
  },
  async challenge(_c, _scope, ctx) {
    return (
      <details class="recovery">
        <summary>{ctx.t.t('mfa.recovery.heading')}</summary>
        <form method="post" action={ctx.action} id="recovery-form" novalidate>
          <input type="hidden" name="csrf" value={ctx.csrf} />
          <input type="hidden" name="factor" value="recovery" />
          <label for="recovery-code">{ctx.t.t('mfa.recovery.label')}</label>
          <input type="text" id="recovery-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={20} required />
          {ctx.remember}
          <div class="actions">
            <button type="submit" id="recovery-submit">
              {ctx.t.t('mfa.recovery.submit')}
            </button>
          </div>
        </form>
      </details>
    );
  },
  async verify(_c, scope, ctx, form): Promise<FactorResult> {
    const code = normalRecoveryCode(form.get('code') ?? '');
    if (code === '') return { ok: false, status: 400, error: say('mfa.missing') };
    if (!(await scope.repos.recoveryCodes.consume(ctx.userId, recoveryCodeHash(code)))) return { ok: false, status: 401, error: say('mfa.recoveryWrong') };
    return { ok: true, amr: ['otp'] };
  },
};
