import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/auth/password.js';
import { createUser, inviteUser, updateUser } from '../../src/services/users.js';
import { ISSUER, authorizeUrl, runFlow } from '../helpers/flow.js';
import { createTestClient } from '../helpers/harness.js';
import { type MailTestContext, browserAt, linkIn, mailsTo, setNewPassword } from '../helpers/password-pages.js';
import { signUpContext } from './signup-pages.js';

describe('sign-up by invitation: links single-use and bound to the invited address', () => {
  let mail: MailTestContext;
  let clientId: string;
  let ip = 0;
  const browser = () => browserAt(mail.ctx, `198.18.0.${++ip}`);

  before(async () => {
    mail = await signUpContext('invitation');
    clientId = (await createTestClient(mail.ctx, { firstParty: true })).client.id;
  });
  after(() => mail.close());

  async function invite(email: string): Promise<{ userId: string; link: string }> {
    const user = await createUser(mail.ctx.scope, { email, name: 'Invited Person' }, null);
    await inviteUser(mail.ctx.scope, user);
    const sent = (await mailsTo(mail.ctx, mail.sink, email)).at(-1);
    return { userId: user.id, link: linkIn(sent) };
  }

  it('the invited person chooses a password once and signs in; the same link a second time is refused', async () => {
    const { userId, link } = await invite('invitee@example.com');
    const done = await setNewPassword(browser(), link, 'the invitee password');
    assert.equal(done.status, 200, await done.clone().text());
    const user = await mail.ctx.scope.repos.users.findById(userId);
    assert.ok(await verifyPassword(user?.passwordHash ?? null, 'the invitee password'));
    assert.equal(user?.emailVerified, true);
    const flow = await runFlow(browser(), authorizeUrl(clientId).url, { email: 'invitee@example.com', password: 'the invitee password' });
    assert.ok(flow.callback?.searchParams.get('code'));

    const twice = await setNewPassword(browser(), link, 'someone else password').catch((error: unknown) => error);
    // The spent link opens the "no longer valid" page (400), which has no form to post.
    assert.ok(twice instanceof Error, 'no form to post a second time');
    const reopened = await browser().request(link);
    assert.equal(reopened.status, 400);
    const after = await mail.ctx.scope.repos.users.findById(userId);
    assert.ok(await verifyPassword(after?.passwordHash ?? null, 'the invitee password'));
  });

  it('a link is bound to the address it was mailed to: once the account’s address changes, the old link is refused', async () => {
    const { userId, link } = await invite('first-address@example.com');
    const user = (await mail.ctx.scope.repos.users.findById(userId)) ?? assert.fail('the invitee');
    await updateUser(mail.ctx.scope, user, { email: 'second-address@example.com' });
    const res = await browser().request(link);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /no longer valid/);
    const after = await mail.ctx.scope.repos.users.findById(userId);
    assert.equal(after?.passwordHash, null, 'no password was set through the old address');
  });

  it('a link used by another address (forwarded) still only ever sets the invited account: no account for the other address', async () => {
    const { userId, link } = await invite('bound@example.com');
    const forwarded = browser();
    // The person it was forwarded to cannot make it theirs: the page has no address field.
    const page = await forwarded.request(link);
    const html = await page.text();
    assert.doesNotMatch(html, /name="email"(?![^>]*hidden)/);
    assert.equal((await setNewPassword(forwarded, link, 'forwarded password')).status, 200);
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('forwarded@example.com'), undefined);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'bound@example.com');
    // And self-service sign-up stays closed to any other address at an invitation-only issuer.
    assert.equal((await forwarded.request(`${ISSUER}/signup`)).status, 404);
  });
});
