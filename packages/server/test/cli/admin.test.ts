import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliContext, createCliContext } from './cli-harness.js';

const PASSWORD = 'correct horse battery staple';

describe('gatehouse admin', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it('makes the first owner, creating the user with the password from stdin', async () => {
    const made = await cli.json<{ sub: string; role: string; user_created: boolean }>(
      ['admin', 'create', '--email', 'Owner@Example.com', '--password-stdin', '--json'],
      [`${PASSWORD}\n`],
    );
    assert.equal(made.role, 'owner');
    assert.equal(made.user_created, true);
    assert.equal(await cli.repos.adminRoles.find(made.sub), 'owner');
    const events = await cli.repos.events.list({ type: 'admin.role_granted' });
    assert.equal(events[0]?.actor, 'cli');
  });

  it('gives an existing user a role without touching their password', async () => {
    await cli.run(['user', 'create', '--email', 'viewer@example.com', '--password-stdin'], [`${PASSWORD}\n`]);
    const before = await cli.repos.users.findByEmail('viewer@example.com');
    const made = await cli.json<{ role: string; user_created: boolean }>(['admin', 'create', '--email', 'viewer@example.com', '--role', 'viewer', '--json']);
    assert.deepEqual(made, { sub: before?.id, email: 'viewer@example.com', role: 'viewer', user_created: false });
    assert.equal((await cli.repos.users.findByEmail('viewer@example.com'))?.passwordHash, before?.passwordHash);
  });

  it('asks for a password only when it must create the user', async () => {
    const res = await cli.run(['admin', 'create', '--email', 'nobody@example.com']);
    assert.equal(res.code, 2);
    assert.match(res.err, /--password-stdin/);
    const bad = await cli.run(['admin', 'create', '--email', 'owner@example.com', '--role', 'superuser']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /owner, admin, viewer/);
  });

  it('lists administrators, and never removes or demotes the last owner', async () => {
    const list = await cli.json<{ email: string; role: string }[]>(['admin', 'list', '--json']);
    assert.deepEqual(
      list.map((a) => [a.email, a.role]),
      [
        ['owner@example.com', 'owner'],
        ['viewer@example.com', 'viewer'],
      ],
    );
    const remove = await cli.run(['admin', 'remove', 'owner@example.com']);
    assert.equal(remove.code, 1);
    assert.match(remove.err, /last owner/);
    const demote = await cli.run(['admin', 'create', '--email', 'owner@example.com', '--role', 'admin']);
    assert.equal(demote.code, 1);
    assert.equal((await cli.run(['admin', 'remove', 'viewer@example.com'])).code, 0);
    assert.equal((await cli.json<unknown[]>(['admin', 'list', '--json'])).length, 1);
  });

  it('keeps administrators per issuer', async () => {
    assert.equal((await cli.run(['issuer', 'create', '--id', 'acme', '--name', 'Acme Inc'])).code, 0);
    assert.deepEqual(await cli.json<unknown[]>(['admin', 'list', '--issuer', 'acme', '--json']), []);
  });
});
