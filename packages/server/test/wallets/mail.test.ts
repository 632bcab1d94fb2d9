import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser } from '../helpers/harness.js';
import { type MailTestContext, browserAt, mailTestContext, mailsTo } from '../helpers/password-pages.js';
import { ISSUER } from '../helpers/flow.js';
import { finishLink, post, signInForWallets, startLink, testAccount, walletsPage } from './helpers.js';

const WALLET = testAccount(41);

// Linking and unlinking a wallet mails the account's owner, through the outbox (real SMTP to a sink).
describe('wallets: notification mail', () => {
  let mail: MailTestContext;

  before(async () => {
    mail = await mailTestContext();
  });
  after(() => mail.close());

  it('mails the owner when a wallet is linked and when it is unlinked, in the page’s language', async () => {
    const { ctx, sink } = mail;
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, '192.0.2.41');
    await signInForWallets(browser, user.email);
    const { csrf } = await walletsPage(browser);
    const message = await startLink(browser, csrf, WALLET.address);
    assert.equal((await finishLink(browser, csrf, message, await WALLET.signMessage({ message }))).status, 303);
    const linked = await mailsTo(ctx, sink, user.email);
    assert.equal(linked.length, 1);
    assert.match(linked[0]?.text ?? '', new RegExp(`The Ethereum wallet ${WALLET.address} was linked to your Gatehouse account`));
    assert.ok((linked[0]?.text ?? '').includes(`${ISSUER}/account/security/wallets`));

    const [wallet] = await ctx.scope.repos.wallets.listForUser(user.id);
    assert.ok(wallet);
    assert.equal((await post(browser, '/unlink?ui_locales=de', { csrf, wallet: wallet.id })).status, 303);
    const both = await mailsTo(ctx, sink, user.email);
    assert.equal(both.length, 2);
    assert.match(both[1]?.text ?? '', new RegExp(`Die Ethereum-Wallet ${WALLET.address} wurde von Ihrem Gatehouse-Konto getrennt`));
  });
});
