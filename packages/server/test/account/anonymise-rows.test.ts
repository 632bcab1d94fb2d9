import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeAccount } from '../../src/account/close.js';
import { createIssuer } from '../../src/issuers/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { scopeOf } from '../../src/services.js';
import { ANONYMISED_ROWS } from '../../src/store/repos/users.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';

/** One row in each table of ANONYMISED_ROWS for `user`, through the repositories that write them. */
async function personalRows(scope: IssuerScope, user: User, clientId: string): Promise<void> {
  const { repos } = scope;
  await repos.consents.add(user.id, clientId, ['openid', 'email']);
  await repos.totpFactors.startEnrolment(user.id, 'sealed-secret');
  await repos.recoveryCodes.replace(user.id, ['hash-1', 'hash-2']);
  await repos.passkeys.create({
    userId: user.id,
    credentialId: `cred-${user.id}`,
    publicKey: new Uint8Array([1, 2, 3]),
    signCount: 0,
    transports: [],
    aaguid: '00000000-0000-0000-0000-000000000000',
    deviceType: 'singleDevice',
    backedUp: false,
    name: 'laptop',
  });
  await repos.passkeys.issueChallenge('register', `session-${user.id}`, user.id, 300);
  const address = `0x${user.id
    .replace(/[^0-9a-f]/gi, '')
    .padEnd(40, 'a')
    .slice(0, 40)
    .toLowerCase()}`;
  assert.ok((await repos.wallets.link({ userId: user.id, address, chainId: 1, label: null })).linked);
  await repos.walletChallenges.create({ purpose: 'link', binding: `session-${user.id}`, userId: user.id, address, chainId: 1, ttl: 300 });
  await repos.emailVerifications.create({ purpose: 'email_change', email: `new-${user.email}`, userId: user.id, locale: 'en' }, 900);
  await repos.emailCodes.put(`interaction-${user.id}`, user.id, 'code-hash', 600);
  await repos.passwordResets.create(user.id, 3600);
  await scope.services.store.db
    .insertInto('known_login_addresses')
    .values({ issuer_id: scope.id, user_id: user.id, address: 'mac-of-an-address', created_at: scope.services.clock() })
    .execute();
}

async function rowsOf(scope: IssuerScope, userId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ANONYMISED_ROWS) {
    const rows = await scope.services.store.db.selectFrom(table).select('user_id').where('issuer_id', '=', scope.id).where('user_id', '=', userId).execute();
    out[table] = rows.length;
  }
  return out;
}

describe('closing an account that the issuer anonymises', () => {
  let ctx: TestContext;
  let keep: IssuerScope;
  let other: IssuerScope;
  before(async () => {
    ctx = await createTestContext();
    await createIssuer(ctx.services, { id: 'anon', name: 'Anon', settings: { closedAccounts: 'anonymise' } });
    await createIssuer(ctx.services, { id: 'anonother', name: 'Other', settings: { closedAccounts: 'anonymise' } });
    keep = await scopeOf(ctx.services, 'anon');
    other = await scopeOf(ctx.services, 'anonother');
  });
  after(() => ctx.close());

  it('deletes consents, factors, recovery codes, passkeys, wallets, verifications, codes and links with it; others keep theirs', async () => {
    const client = (await createTestClient({ ...ctx, scope: keep })).client;
    const user = await keep.repos.users.create({ email: 'closing@example.com', emailVerified: true, passwordHash: null, name: 'Closing' });
    const neighbour = await keep.repos.users.create({ email: 'staying@example.com', emailVerified: true, passwordHash: null, name: 'Staying' });
    await personalRows(keep, user, client.id);
    await personalRows(keep, neighbour, client.id);
    // The same user id at another issuer (ids are issuer-scoped rows): untouched.
    const otherClient = (await createTestClient({ ...ctx, scope: other })).client;
    const elsewhere = await other.repos.users.create({ email: 'closing@example.com', emailVerified: true, passwordHash: null, name: 'Elsewhere' });
    await personalRows(other, elsewhere, otherClient.id);

    const everyOne = Object.fromEntries(ANONYMISED_ROWS.map((t) => [t, t === 'recovery_codes' ? 2 : 1]));
    assert.deepEqual(await rowsOf(keep, user.id), everyOne, 'the fixture has a row in every table');

    assert.equal(await closeAccount(keep, user, 'privacy', 'no longer needed'), 'anonymised');
    assert.deepEqual(await rowsOf(keep, user.id), Object.fromEntries(ANONYMISED_ROWS.map((t) => [t, 0])));
    assert.deepEqual(await rowsOf(keep, neighbour.id), everyOne, 'another user of the issuer keeps theirs');
    assert.deepEqual(await rowsOf(other, elsewhere.id), everyOne, 'another issuer’s rows are untouched');
    const row = await keep.repos.users.findById(user.id);
    assert.ok(row, 'the row stays');
    assert.equal(row.disabled, true);
    const [closure] = await keep.repos.accountClosures.list();
    assert.deepEqual([closure?.reason, closure?.details, closure?.outcome], ['privacy', 'no longer needed', 'anonymised']);
    assert.equal((await keep.repos.events.list({ type: 'user.closed', userId: user.id })).length, 1, 'the record stays');
  });

  it('removes nothing when the transaction fails: the last owner cannot close their account', async () => {
    const client = (await createTestClient({ ...ctx, scope: keep })).client;
    const owner = await keep.repos.users.create({ email: 'owner@example.com', emailVerified: true, passwordHash: null, name: 'Owner' });
    await personalRows(keep, owner, client.id);
    assert.equal(await keep.repos.adminRoles.ownerCount(), 0);
    await keep.repos.adminRoles.set(owner.id, 'owner');
    await assert.rejects(closeAccount(keep, owner, 'other', null));
    const counts = await rowsOf(keep, owner.id);
    assert.ok(
      Object.values(counts).every((n) => n > 0),
      JSON.stringify(counts),
    );
  });
});
