import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { ChallengeContext, FactorResult } from '../../src/factors/factor.js';
import { factorOf } from '../../src/factors/registry.js';
import { authenticatedBy } from '../../src/signin/assurance.js';
import { translator } from '../../src/pages/translator.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { ISSUER } from '../helpers/flow.js';
import { testAccount, unescapeHtml } from './helpers.js';

const WALLET = testAccount(11);
const OTHER = testAccount(12);

interface Typed {
  domain: { name: string; version: string; chainId: number };
  types: Record<string, { name: string; type: string }[]>;
  primaryType: 'SignIn';
  message: Record<string, string>;
}

// The wallet second factor through the SecondFactor interface alone, as the `mfa` step uses it:
// a real Hono app whose routes call challenge() and verify() with the step's context.
describe('wallets: the EIP-712 second factor', () => {
  let ctx: TestContext;
  let user: User;
  const app = new Hono();
  const factor = factorOf('wallet');
  assert.ok(factor, 'listed in the registry');
  const stepContext = (userId: string, interactionId: string): ChallengeContext => ({
    userId,
    interactionId,
    csrf: 'csrf-of-the-step',
    action: `/interaction/${interactionId}/mfa`,
    t: translator('en'),
  });
  app.get('/challenge/:user/:interaction', async (c) =>
    c.html(String(await factor.challenge(c, ctx.scope, stepContext(c.req.param('user'), c.req.param('interaction'))))),
  );
  app.post('/verify/:user/:interaction', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    return c.json(await factor.verify(c, ctx.scope, stepContext(c.req.param('user'), c.req.param('interaction')), form));
  });

  async function challenge(interaction: string, who = user.id): Promise<{ html: string; nonce: string; typed: Typed }> {
    const html = await (await app.request(`/challenge/${who}/${interaction}`)).text();
    const nonce = /name="nonce" value="([0-9a-f]{32})"/.exec(html)?.[1];
    const json = /data-wallet-typed-data="([^"]*)"/.exec(html)?.[1];
    assert.ok(nonce && json, html);
    return { html, nonce, typed: JSON.parse(unescapeHtml(json)) as Typed };
  }

  async function verify(interaction: string, fields: Record<string, string>, who = user.id): Promise<FactorResult> {
    const res = await app.request(`/verify/${who}/${interaction}`, { method: 'POST', body: new URLSearchParams(fields).toString() });
    return (await res.json()) as FactorResult;
  }

  /** What the wallet signs (the script hands eth_signTypedData_v4 the same JSON). */
  function sign(account = WALLET, typed: Typed): Promise<`0x${string}`> {
    const { EIP712Domain: _, ...types } = typed.types;
    return account.signTypedData({ domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message });
  }

  before(async () => {
    ctx = await createTestContext();
    user = await createTestUser(ctx);
  });
  after(() => ctx.close());

  it('is enrolled once the user has a linked wallet', async () => {
    assert.equal(await factor.enrolled(ctx.scope, user.id), false);
    await ctx.scope.repos.wallets.link({ userId: user.id, address: WALLET.address, chainId: 1, label: null });
    assert.equal(await factor.enrolled(ctx.scope, user.id), true);
  });

  it('asks for a SignIn bound to the issuer, the interaction and a fresh nonce, on a form posting to the step', async () => {
    const { html, nonce, typed } = await challenge('interaction-one');
    assert.match(html, /<form method="post" action="\/interaction\/interaction-one\/mfa"/);
    assert.match(html, /name="csrf" value="csrf-of-the-step"/);
    assert.match(html, /name="factor" value="wallet"/);
    assert.deepEqual(typed.domain, { name: 'Gatehouse', version: '1', chainId: 1 });
    assert.equal(typed.primaryType, 'SignIn');
    assert.deepEqual(typed.message, { issuer: ISSUER, interaction: 'interaction-one', nonce, issuedAt: new Date(ctx.clock() * 1000).toISOString() });
    assert.notEqual((await challenge('interaction-one')).nonce, nonce, 'each challenge has its own nonce');
  });

  it('accepts a signature of a linked wallet once, as proof of possession (pop), and notes the wallet used', async () => {
    const { nonce, typed } = await challenge('interaction-two');
    const signature = await sign(WALLET, typed);
    ctx.clock.advance(7);
    assert.deepEqual(await verify('interaction-two', { nonce, signature, chain_id: '1' }), { ok: true, amr: ['pop'] });
    const [wallet] = await ctx.scope.repos.wallets.listForUser(user.id);
    assert.equal(wallet?.lastUsedAt, ctx.clock());
    assert.deepEqual(authenticatedBy(['pwd', 'pop']).amr, ['pwd', 'pop', 'mfa'], 'with a password it is two factors');

    const replay = await verify('interaction-two', { nonce, signature, chain_id: '1' });
    assert.equal(replay.ok, false);
    assert.equal(replay.ok === false && replay.status, 401);
    assert.equal(replay.ok === false && replay.error.key, 'wallet.error.stale');
  });

  it('accepts the chain the wallet is on, as the script sets it', async () => {
    const { nonce, typed } = await challenge('interaction-chain');
    const signature = await sign(WALLET, { ...typed, domain: { ...typed.domain, chainId: 137 } });
    assert.deepEqual(await verify('interaction-chain', { nonce, signature, chain_id: '137' }), { ok: true, amr: ['pop'] });
  });

  it('refuses a signature for another interaction, of another wallet, or of another user’s challenge', async () => {
    const mine = await challenge('interaction-a');
    const signature = await sign(WALLET, mine.typed);
    const elsewhere = await verify('interaction-b', { nonce: mine.nonce, signature, chain_id: '1' });
    assert.equal(elsewhere.ok === false && elsewhere.error.key, 'wallet.error.stale', 'the nonce is bound to its interaction');

    // A signature over interaction-a's data posted with interaction-b's own nonce: not what was asked.
    const b = await challenge('interaction-b');
    const crossed = await verify('interaction-b', { nonce: b.nonce, signature, chain_id: '1' });
    assert.equal(crossed.ok === false && crossed.error.key, 'wallet.error.signature');

    const c = await challenge('interaction-c');
    const unlinked = await verify('interaction-c', { nonce: c.nonce, signature: await sign(OTHER, c.typed), chain_id: '1' });
    assert.equal(unlinked.ok === false && unlinked.status, 401);
    assert.equal(unlinked.ok === false && unlinked.error.key, 'wallet.error.signature');

    const other = await createTestUser(ctx);
    const d = await challenge('interaction-d');
    const stolen = await verify('interaction-d', { nonce: d.nonce, signature: await sign(WALLET, d.typed), chain_id: '1' }, other.id);
    assert.equal(stolen.ok, false, 'a nonce is bound to its user');
  });

  it('refuses a challenge past its five minutes, and malformed answers with 400', async () => {
    const { nonce, typed } = await challenge('interaction-late');
    const signature = await sign(WALLET, typed);
    ctx.clock.advance(301);
    const late = await verify('interaction-late', { nonce, signature, chain_id: '1' });
    assert.equal(late.ok === false && late.error.key, 'wallet.error.stale');
    const malformed: Record<string, string>[] = [
      { nonce: 'x', signature, chain_id: '1' },
      { nonce, signature: '0x12', chain_id: '1' },
      { nonce, signature, chain_id: 'abc' },
      {},
    ];
    for (const fields of malformed) {
      const result = await verify('interaction-late', fields);
      assert.equal(result.ok === false && result.status, 400, JSON.stringify(fields));
    }
  });
});
