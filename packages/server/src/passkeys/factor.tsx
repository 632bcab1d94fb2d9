/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ChallengeContext, FactorResult, SecondFactor } from '../factors/factor.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { passkeyMethods } from './amr.js';
import { assertionOptions, verifyAssertion } from './ceremonies.js';
import { passkeyFailed } from './failures.js';

/**
 * A passkey as the second factor of the `mfa` step. The challenge lists the user's own
 * credentials and is bound to the interaction (purpose `mfa`, apart from the login step's
 * passwordless challenge); user verification is preferred, not required: the first factor is
 * already proved, so presence of the key is possession (`hwk`/`swk`), and a verified user adds
 * `user` (passkeys/amr.ts). The assertion must be this user's credential; its challenge is spent
 * when posted, so it is good once. Throttling is the `mfa` step's (factors/factor.ts).
 */
export const PASSKEY_FACTOR: SecondFactor = {
  kind: 'passkey',
  async enrolled(scope: IssuerScope, userId: string): Promise<boolean> {
    return (await scope.repos.passkeys.countForUser(userId)) > 0;
  },
  async challenge(_c: Context, scope: IssuerScope, ctx: ChallengeContext): Promise<Child> {
    const { t } = ctx;
    const options = JSON.stringify(await assertionOptions(scope, 'mfa', ctx.interactionId, ctx.userId));
    return (
      <>
        <form method="post" action={ctx.action} id="passkey-factor-form" data-passkey="factor" data-options={options}>
          <input type="hidden" name="csrf" value={ctx.csrf} />
          <input type="hidden" name="factor" value="passkey" />
          <input type="hidden" name="response" value="" />
          <p class="muted">{t.t('passkeys.factorHint')}</p>
          <p data-passkey-problem hidden class="error" role="alert">
            {t.t('passkeys.failed')}
          </p>
          <div class="actions">
            <button type="submit" class="primary" id="use-passkey">
              {t.t('passkeys.useAsFactor')}
            </button>
          </div>
        </form>
        <script src={scope.path('/assets/passkeys.js')} defer />
      </>
    );
  },
  async verify(c: Context, scope: IssuerScope, ctx: ChallengeContext, form: URLSearchParams): Promise<FactorResult> {
    const raw = form.get('response');
    if (!raw) return { ok: false, status: 400, error: say('passkeys.needsScript') };
    const result = await verifyAssertion(scope, 'mfa', ctx.interactionId, raw, { userId: ctx.userId, requireUserVerification: false });
    if (!result.ok) {
      await passkeyFailed(c, scope, 'mfa', result.reason, ctx.userId);
      return { ok: false, status: result.reason === 'malformed' ? 400 : 401, error: say('passkeys.failed') };
    }
    return { ok: true, amr: passkeyMethods(result.deviceType, result.userVerified) };
  },
};
