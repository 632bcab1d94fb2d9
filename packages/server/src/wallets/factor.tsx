/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ChallengeContext, FactorResult, SecondFactor } from '../factors/factor.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { chainIdFrom, signatureFrom } from './address.js';
import { signInTypedData, signInTypedDataJson } from './typed-data.js';
import { WALLET_SCRIPT_PATH } from './paths.js';
import { loadViem } from './viem.js';

/** How long a second-factor challenge may be signed. */
export const SIGN_IN_CHALLENGE_TTL_SECONDS = 5 * 60;

const NONCE = /^[0-9a-f]{32}$/;

/**
 * The wallet second factor: the user signs an EIP-712 SignIn (typed-data.ts) with a linked
 * wallet through `eth_signTypedData_v4`, or pastes a signature made elsewhere. Each challenge
 * is a fresh nonce bound to the issuer, the interaction and the user, spent by the first answer;
 * the signature must recover to one of the user's linked addresses. RFC 8176 `pop`: proof of
 * possession of a key, which the sign-in counts as something held (signin/assurance.ts).
 */
export const WALLET_FACTOR: SecondFactor = {
  kind: 'wallet',

  async enrolled(scope: IssuerScope, userId: string): Promise<boolean> {
    return (await scope.repos.wallets.listForUser(userId)).length > 0;
  },

  async challenge(_c: Context, scope: IssuerScope, ctx: ChallengeContext): Promise<Child> {
    const { t } = ctx;
    const wallets = await scope.repos.wallets.listForUser(ctx.userId);
    const chainId = wallets[0]?.chainId ?? 1;
    const challenge = await scope.repos.walletChallenges.create({
      purpose: 'sign_in',
      binding: ctx.interactionId,
      userId: ctx.userId,
      address: null,
      chainId,
      ttl: SIGN_IN_CHALLENGE_TTL_SECONDS,
    });
    const json = signInTypedDataJson(scope, { interactionId: ctx.interactionId, nonce: challenge.nonce, issuedAt: challenge.issuedAt, chainId });
    return (
      <section class="factor factor-wallet" id="factor-wallet" aria-labelledby="wallet-factor-heading">
        <h2 id="wallet-factor-heading">{t.t('wallet.factor.heading')}</h2>
        <p class="muted">{t.t('wallet.factor.intro')}</p>
        <form method="post" action={ctx.action} id="wallet-factor-form" data-wallet-typed-data={json} data-wallet-failed={t.t('wallet.failed')}>
          <input type="hidden" name="csrf" value={ctx.csrf} />
          <input type="hidden" name="factor" value="wallet" />
          <input type="hidden" name="nonce" value={challenge.nonce} />
          <input type="hidden" name="chain_id" value={String(chainId)} id="wallet-factor-chain" />
          <p id="wallet-factor-extension" class="muted" data-wallet-no-extension="">
            {t.t('wallet.needsExtension')}
          </p>
          <p class="error" role="alert" data-wallet-status="" hidden />
          <div class="actions">
            <button type="button" class="primary" id="wallet-factor-sign" data-wallet-sign-typed="" hidden>
              {t.t('wallet.factor.sign')}
            </button>
          </div>
          <details id="wallet-factor-manual">
            <summary>{t.t('wallet.manual.summary')}</summary>
            <p class="muted">{t.t('wallet.factor.manual')}</p>
            <label for="wallet-factor-data">{t.t('wallet.factor.data')}</label>
            <textarea id="wallet-factor-data" readonly rows={8} dir="ltr">
              {JSON.stringify(JSON.parse(json), null, 2)}
            </textarea>
            <label for="wallet-factor-signature">{t.t('wallet.signature')}</label>
            <textarea id="wallet-factor-signature" name="signature" rows={3} dir="ltr" spellcheck={false} autocomplete="off" />
            <div class="actions">
              <button type="submit" class="secondary" id="wallet-factor-submit">
                {t.t('wallet.factor.submit')}
              </button>
            </div>
          </details>
        </form>
        <script src={scope.path(WALLET_SCRIPT_PATH)} defer />
      </section>
    );
  },

  async verify(_c: Context, scope: IssuerScope, ctx: ChallengeContext, form: URLSearchParams): Promise<FactorResult> {
    const nonce = form.get('nonce') ?? '';
    const signature = signatureFrom(form.get('signature'));
    const chainId = chainIdFrom(form.get('chain_id'));
    if (!NONCE.test(nonce) || !signature || chainId === undefined) return { ok: false, status: 400, error: say('wallet.error.malformed') };
    const challenge = await scope.repos.walletChallenges.consume(nonce, 'sign_in', ctx.interactionId, ctx.userId);
    if (!challenge) return { ok: false, status: 401, error: say('wallet.error.stale') };
    const typed = signInTypedData(scope, { interactionId: ctx.interactionId, nonce: challenge.nonce, issuedAt: challenge.issuedAt, chainId });
    for (const wallet of await scope.repos.wallets.listForUser(ctx.userId)) {
      let signed = false;
      try {
        const { verifyTypedData } = await loadViem();
        signed = await verifyTypedData({ ...typed, address: wallet.address as `0x${string}`, signature });
      } catch {
        // Not a point on the curve: signed by no one.
      }
      if (signed) {
        await scope.repos.wallets.touch(wallet.id);
        return { ok: true, amr: ['pop'] };
      }
    }
    return { ok: false, status: 401, error: say('wallet.error.signature') };
  },
};
