import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/auth/password.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';
import { type CliContext, createCliContext } from './cli-harness.js';

describe('gatehouse user delete and invite', () => {
  let cli: CliContext;
  let bare: CliContext;
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
    cli = await createCliContext({ GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
    bare = await createCliContext();
  });
  after(async () => {
    await cli.close();
    await bare.close();
    await sink.close();
  });

  it('deletes a user by email or id, with their sessions; the event names the CLI', async () => {
    const user = await cli.repos.users.create({ email: 'gone@example.com', passwordHash: await hashPassword('a long enough password') });
    const { session } = await cli.repos.sessions.create(user.id, 3600);
    const deleted = await cli.json<{ sub: string; deleted: boolean }>(['user', 'delete', 'GONE@example.com']);
    assert.deepEqual(deleted, { sub: user.id, email: 'gone@example.com', deleted: true });
    assert.equal(await cli.repos.users.findById(user.id), undefined);
    assert.equal(await cli.repos.sessions.findBySid(session.sid), undefined);
    const [event] = await cli.repos.events.list({ type: 'user.deleted', userId: user.id });
    assert.equal(event?.actor, 'cli');
    const again = await cli.run(['user', 'delete', user.id]);
    assert.equal(again.code, 1);
    assert.match(again.err, /no user with id or email/);
  });

  it('refuses to delete the last owner (exit 1)', async () => {
    const owner = await cli.repos.users.create({ email: 'owner@example.com', passwordHash: null });
    await cli.repos.adminRoles.set(owner.id, 'owner');
    const res = await cli.run(['user', 'delete', owner.id]);
    assert.equal(res.code, 1);
    assert.match(res.err, /last owner/);
    assert.ok(await cli.repos.users.findById(owner.id));
  });

  it('invites: creates the user without a password and queues the invitation mail; again for an existing one', async () => {
    const first = await cli.json<{ sub: string; email: string; created: boolean }>(['user', 'invite', '--email', 'New@Example.com', '--name', 'New Person']);
    assert.equal(first.email, 'new@example.com');
    assert.equal(first.created, true);
    const user = await cli.repos.users.findById(first.sub);
    assert.equal(user?.passwordHash, null);
    assert.equal(user?.name, 'New Person');
    const again = await cli.json<{ sub: string; created: boolean }>(['user', 'invite', '--email', 'new@example.com']);
    assert.deepEqual([again.sub, again.created], [first.sub, false]);
    const invited = await cli.repos.events.list({ type: 'user.invited', userId: first.sub });
    assert.equal(invited.length, 2);
    assert.equal(invited[0]?.actor, 'cli');
    const mails = (await cli.repos.events.list({ type: 'mail.requested' })).filter((e) => (e.payload as { recipient: string }).recipient === 'new@example.com');
    assert.equal(mails.length, 2);
    assert.equal((mails[0]?.payload as { template: string } | undefined)?.template, 'invitation');
  });

  it('refuses an invitation without mail (exit 1, nobody created) and usage mistakes (exit 2)', async () => {
    const res = await bare.run(['user', 'invite', '--email', 'nomail@example.com']);
    assert.equal(res.code, 1);
    assert.match(res.err, /mail is not configured/);
    assert.equal(await bare.repos.users.findByEmail('nomail@example.com'), undefined);
    assert.equal((await cli.run(['user', 'invite'])).code, 2);
    assert.equal((await cli.run(['user', 'invite', '--email', 'not an email'])).code, 2);
    assert.equal((await cli.run(['user', 'invite', '--help'])).code, 0);
    assert.equal((await cli.run(['user', 'delete', '--help'])).code, 0);
  });
});
