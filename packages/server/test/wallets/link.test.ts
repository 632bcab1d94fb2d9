import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSiweMessage, parseSiweMessage } from 'viem/siwe';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { browserAt } from '../helpers/password-pages.js';
import { atRe } from '../helpers/prefix.js';
import { ISSUER } from '../helpers/flow.js';
import type { User } from '../../src/store/repos/users.js';
import { ACCOUNT_A, ACCOUNT_B, testAccount, finishLink, formError, post, signInForWallets, startLink, walletsPage } from './helpers.js';

const HOST = new URL(ISSUER).host;
const ACCOUNT_C = testAccount(3);

// Linking an Ethereum wallet from the account pages with a signed EIP-4361 message, by the manual
// path (the message shown, the signature pasted), which is what the script automates.
describe('wallets: linking with Sign-In with Ethereum', () => {
  let ctx: TestContext;
  let ip = 0;

  async function signedIn(): Promise<{ browser: HttpBrowser; user: User; csrf: string }> {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, `192.0.2.${++ip}`);
    await signInForWallets(browser, user.email);
    const page = await walletsPage(browser);
    assert.equal(page.status, 200, page.html.slice(0, 300));
    return { browser, user, csrf: page.csrf };
  }

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_TRUST_PROXY: 'true' });
  });
  after(() => ctx.close());

  it('links the address with a valid signature of the message the server made, once', async () => {
    const { browser, user, csrf } = await signedIn();
    const message = await startLink(browser, csrf, ACCOUNT_A.address.toLowerCase());
    const parsed = parseSiweMessage(message);
    assert.equal(parsed.domain, HOST);
    assert.equal(parsed.uri, ISSUER);
    assert.equal(parsed.address, ACCOUNT_A.address, 'checksummed');
    assert.equal(parsed.chainId, 1);
    assert.match(parsed.nonce ?? '', /^[0-9a-f]{32}$/);
    assert.equal(parsed.issuedAt?.getTime(), ctx.clock() * 1000);
    assert.equal(parsed.expirationTime?.getTime(), (ctx.clock() + 300) * 1000);

    const signature = await ACCOUNT_A.signMessage({ message });
    const res = await finishLink(browser, csrf, message.replace(/\n/g, '\r\n'), signature);
    assert.equal(res.status, 303, await res.clone().text());
    assert.match(res.headers.get('location') ?? '', /\/account\/security\/wallets\?notice=linked$/);

    const wallets = await ctx.scope.repos.wallets.listForUser(user.id);
    assert.deepEqual(
      wallets.map((w) => [w.address, w.chainId, w.label]),
      [[ACCOUNT_A.address, 1, 'Cold wallet']],
    );
    const page = await walletsPage(browser);
    assert.match(page.html, new RegExp(`<code dir="ltr" class="wallet-address">${ACCOUNT_A.address}</code>`));
    const events = await ctx.services.store.db
      .selectFrom('events')
      .select(['type', 'payload', 'address'])
      .where('user_id', '=', user.id)
      .where('type', 'like', 'wallet.%')
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'wallet.linked');
    assert.equal(events[0]?.address, `192.0.2.${ip}`);
    assert.deepEqual(JSON.parse(String(events[0]?.payload)), { wallet_id: wallets[0]?.id, address: ACCOUNT_A.address, chain_id: 1 });

    // The same signed message again: its nonce is spent.
    const replay = await finishLink(browser, csrf, message, signature);
    assert.equal(replay.status, 400);
    assert.equal(formError(await replay.text()), 'This request has expired or was already used. Start again.');
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 1);
  });

  it('refuses a message for another domain, even signed by the right wallet, and spends its nonce', async () => {
    const { browser, user, csrf } = await signedIn();
    const message = await startLink(browser, csrf, ACCOUNT_A.address);
    const forged = createSiweMessage({ ...(parseSiweMessage(message) as Parameters<typeof createSiweMessage>[0]), domain: 'evil.example' });
    const res = await finishLink(browser, csrf, forged, await ACCOUNT_A.signMessage({ message: forged }));
    assert.equal(res.status, 400);
    assert.equal(formError(await res.text()), 'The signed message is not the one this site asked for. Start again.');
    const retry = await finishLink(browser, csrf, message, await ACCOUNT_A.signMessage({ message }));
    assert.equal(retry.status, 400, 'the nonce was tried once');
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 0);
  });

  it('refuses another URI or another chain than the one asked for', async () => {
    const { browser, user, csrf } = await signedIn();
    for (const change of [{ uri: 'https://evil.example/' }, { chainId: 5 }]) {
      const message = await startLink(browser, csrf, ACCOUNT_A.address);
      const forged = createSiweMessage({ ...(parseSiweMessage(message) as Parameters<typeof createSiweMessage>[0]), ...change });
      const res = await finishLink(browser, csrf, forged, await ACCOUNT_A.signMessage({ message: forged }));
      assert.equal(res.status, 400, JSON.stringify(change));
    }
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 0);
  });

  it('refuses a message whose own expiration time has passed, and a nonce past its five minutes', async () => {
    const { browser, user, csrf } = await signedIn();
    const message = await startLink(browser, csrf, ACCOUNT_A.address);
    const parsed = parseSiweMessage(message) as Parameters<typeof createSiweMessage>[0];
    const short = createSiweMessage({ ...parsed, expirationTime: new Date((parsed.issuedAt as Date).getTime() + 10_000) });
    ctx.clock.advance(11);
    const expired = await finishLink(browser, csrf, short, await ACCOUNT_A.signMessage({ message: short }));
    assert.equal(expired.status, 400);
    assert.equal(formError(await expired.text()), 'The signed message has expired. Start again.');

    // A nonce lives five minutes, as long as a sign-in counts as recent: after that the post is
    // refused for the stale sign-in, and the nonce itself is dead for its session.
    const late = await startLink(browser, csrf, ACCOUNT_A.address);
    ctx.clock.advance(301);
    const res = await finishLink(browser, csrf, late, await ACCOUNT_A.signMessage({ message: late }));
    assert.equal(res.status, 403);
    const session = await ctx.services.store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(await ctx.scope.repos.walletChallenges.consume(parseSiweMessage(late).nonce ?? '', 'link', session.id, user.id), undefined);
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 0);
  });

  it('refuses a signature of another address than the message names', async () => {
    const { browser, user, csrf } = await signedIn();
    const message = await startLink(browser, csrf, ACCOUNT_A.address);
    const res = await finishLink(browser, csrf, message, await ACCOUNT_B.signMessage({ message }));
    assert.equal(res.status, 401);
    assert.equal(formError(await res.text()), 'The signature is not from that wallet.');
    // And a message rewritten to name the signer instead: the nonce was made for the first address.
    const other = await startLink(browser, csrf, ACCOUNT_A.address);
    const renamed = createSiweMessage({ ...(parseSiweMessage(other) as Parameters<typeof createSiweMessage>[0]), address: ACCOUNT_B.address });
    const swapped = await finishLink(browser, csrf, renamed, await ACCOUNT_B.signMessage({ message: renamed }));
    assert.equal(swapped.status, 400);
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 0);
  });

  it('refuses a nonce of another issuer, or of another session', async () => {
    const { browser, user, csrf } = await signedIn();
    const session = await ctx.services.store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const beta = await secondIssuer(ctx, 'wallets-beta');
    const theirs = await beta.repos.walletChallenges.create({
      purpose: 'link',
      binding: session.id,
      userId: user.id,
      address: ACCOUNT_A.address,
      chainId: 1,
      ttl: 300,
    });
    const message = createSiweMessage({
      domain: HOST,
      uri: ISSUER,
      address: ACCOUNT_A.address,
      chainId: 1,
      nonce: theirs.nonce,
      version: '1',
      issuedAt: new Date(theirs.issuedAt * 1000),
      expirationTime: new Date(theirs.expiresAt * 1000),
    });
    const res = await finishLink(browser, csrf, message, await ACCOUNT_A.signMessage({ message }));
    assert.equal(res.status, 400);
    assert.equal(formError(await res.text()), 'This request has expired or was already used. Start again.');

    const mine = await startLink(browser, csrf, ACCOUNT_A.address);
    const elsewhere = await signedIn();
    const stolen = await finishLink(elsewhere.browser, elsewhere.csrf, mine, await ACCOUNT_A.signMessage({ message: mine }));
    assert.equal(stolen.status, 400, 'a nonce is bound to the session that asked for it');
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 0);
    assert.equal((await ctx.scope.repos.wallets.listForUser(elsewhere.user.id)).length, 0);
  });

  it('links an address to one account per issuer; the owner linking it again is told so', async () => {
    const first = await signedIn();
    const message = await startLink(first.browser, first.csrf, ACCOUNT_B.address);
    assert.equal((await finishLink(first.browser, first.csrf, message, await ACCOUNT_B.signMessage({ message }))).status, 303);
    const again = await startLink(first.browser, first.csrf, ACCOUNT_B.address);
    const res = await finishLink(first.browser, first.csrf, again, await ACCOUNT_B.signMessage({ message: again }));
    assert.match(res.headers.get('location') ?? '', /notice=already$/);

    const second = await signedIn();
    const theirs = await startLink(second.browser, second.csrf, ACCOUNT_B.address);
    const taken = await finishLink(second.browser, second.csrf, theirs, await ACCOUNT_B.signMessage({ message: theirs }));
    assert.equal(taken.status, 409);
    assert.equal(formError(await taken.text()), 'That wallet is linked to another account.');
  });

  it('refuses bad input without a 500: no address, a bad chain, a malformed signature or message, a wrong CSRF token', async () => {
    const { browser, csrf } = await signedIn();
    assert.equal((await post(browser, '/start', { csrf, address: '0x1234' })).status, 400);
    assert.equal((await post(browser, '/start', { csrf, address: ACCOUNT_A.address, chain_id: '-1' })).status, 400);
    const message = await startLink(browser, csrf, ACCOUNT_A.address);
    assert.equal((await finishLink(browser, csrf, message, '0xnope')).status, 400);
    assert.equal((await finishLink(browser, csrf, 'hello', `0x${'ab'.repeat(65)}`)).status, 400);
    assert.equal((await finishLink(browser, csrf, message, `0x${'ab'.repeat(65)}`)).status, 401, 'no point on the curve: signed by no one');
    assert.equal((await post(browser, '/start', { csrf: 'forged', address: ACCOUNT_A.address })).status, 403);
    assert.equal((await post(browser, '/unlink', { csrf, wallet: '../../etc' })).status, 400);
  });

  it('keeps at most ten link messages of a session waiting; signing one makes room', async () => {
    const { browser, csrf } = await signedIn();
    const messages: string[] = [];
    for (let i = 0; i < 10; i++) messages.push(await startLink(browser, csrf, testAccount(50 + i).address));
    const refused = await post(browser, '/start', { csrf, address: ACCOUNT_A.address });
    assert.equal(refused.status, 429);
    assert.equal(formError(await refused.text()), 'Too many messages are waiting to be signed. Sign one of them, or wait 5 minutes.');
    const first = messages[0] ?? '';
    assert.equal((await finishLink(browser, csrf, first, await testAccount(50).signMessage({ message: first }))).status, 303);
    await startLink(browser, csrf, ACCOUNT_A.address);
  });

  it('needs a recent sign-in to link or unlink: otherwise the section offers to confirm it is you', async () => {
    const { browser, user, csrf } = await signedIn();
    const message = await startLink(browser, csrf, ACCOUNT_C.address);
    assert.equal((await finishLink(browser, csrf, message, await ACCOUNT_C.signMessage({ message }))).status, 303);
    const [wallet] = await ctx.scope.repos.wallets.listForUser(user.id);
    assert.ok(wallet);
    const recent = await walletsPage(browser);
    assert.match(recent.html, /class="unlink-form"/);
    assert.doesNotMatch(recent.html, /wallet-reauth-form/);

    ctx.clock.advance(301);
    const stale = await walletsPage(browser);
    assert.equal(stale.status, 200);
    assert.doesNotMatch(stale.html, /class="unlink-form"/, 'no unlink button');
    assert.match(stale.html, new RegExp(`<form method="post" action="${atRe('/account/reauth')}" id="wallet-reauth-form">`));
    const refused = await post(browser, '/unlink', { csrf, wallet: wallet.id });
    assert.equal(refused.status, 403);
    assert.equal((await post(browser, '/start', { csrf, address: ACCOUNT_B.address })).status, 403);
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 1);

    const again = browserAt(ctx, `192.0.2.${++ip}`);
    await signInForWallets(again, user.email);
    const fresh = (await walletsPage(again)).csrf;
    const unlinked = await post(again, '/unlink', { csrf: fresh, wallet: wallet.id });
    assert.equal(unlinked.status, 303);
    assert.match(unlinked.headers.get('location') ?? '', /notice=unlinked$/);
    assert.equal((await ctx.scope.repos.wallets.listForUser(user.id)).length, 0);
    const gone = await post(again, '/unlink', { csrf: fresh, wallet: wallet.id });
    assert.match(gone.headers.get('location') ?? '', /notice=gone$/);
    const types = await ctx.services.store.db
      .selectFrom('events')
      .select('type')
      .where('user_id', '=', user.id)
      .where('type', 'like', 'wallet.%')
      .orderBy('occurred_at')
      .execute();
    assert.deepEqual(
      types.map((e) => e.type),
      ['wallet.linked', 'wallet.unlinked'],
    );
  });

  it('without a session the page is the sign-in; without JavaScript it explains what linking needs', async () => {
    const anonymous = browserAt(ctx, '198.51.100.7');
    const res = await anonymous.request(`${ISSUER}/account/security/wallets`);
    assert.match(await res.text(), /name="password"/);
    const { browser } = await signedIn();
    const page = await walletsPage(browser);
    assert.match(page.html, /needs a wallet extension \(such as MetaMask\)/);
    assert.match(page.html, new RegExp(`<script src="${atRe('/assets/wallet.js')}" defer=""></script>`));
    const script = await browser.request(`${ISSUER}/assets/wallet.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(await script.text(), /personal_sign/);
  });
});
