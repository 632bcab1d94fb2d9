import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/auth/password.js';
import { main } from '../../src/cli/main.js';
import { type CliContext, REDIRECT_URI, createCliContext } from './cli-harness.js';

const PASSWORD = 'correct horse battery staple';

describe('gatehouse user', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it('creates a user with the password from stdin, stored as an argon2id hash', async () => {
    const { sub } = await cli.json<{ sub: string }>(
      [
        'user',
        'create',
        '--email',
        'Ada@Example.com',
        '--name',
        'Ada Lovelace',
        '--given-name',
        'Ada',
        '--family-name',
        'Lovelace',
        '--username',
        'ada',
        '--email-verified',
        '--password-stdin',
      ],
      [`${PASSWORD}\n`],
    );
    const user = await cli.repos.users.findById(sub);
    assert.ok(user);
    assert.equal(user.email, 'ada@example.com');
    assert.equal(user.emailVerified, true);
    assert.equal(user.name, 'Ada Lovelace');
    assert.equal(user.givenName, 'Ada');
    assert.equal(user.familyName, 'Lovelace');
    assert.equal(user.preferredUsername, 'ada');
    assert.ok(user.passwordHash?.startsWith('$argon2id$'), user.passwordHash ?? 'no hash');
    assert.ok(await verifyPassword(user.passwordHash, PASSWORD), 'the trailing newline is not part of the password');
  });

  it('strips exactly one CRLF, across chunks, and keeps other whitespace', async () => {
    const { sub } = await cli.json<{ sub: string }>(
      ['user', 'create', '--email', 'crlf@example.com', '--password-stdin'],
      ['  spaced password', ' \n', '\r\n'],
    );
    const user = await cli.repos.users.findById(sub);
    assert.equal(user?.emailVerified, false);
    assert.ok(await verifyPassword(user?.passwordHash ?? null, '  spaced password \n'));
  });

  it('refuses a duplicate email (any case) with exit 1', async () => {
    await cli.json(['user', 'create', '--email', 'dup@example.com', '--password-stdin'], [PASSWORD]);
    const result = await cli.run(['user', 'create', '--email', 'DUP@example.com', '--password-stdin', '--json'], [PASSWORD]);
    assert.equal(result.code, 1);
    assert.match(result.err, /a user with this email already exists/);
    assert.equal(result.out, '');
  });

  const invalid: [string, string[], string[], RegExp][] = [
    ['a short password', ['--email', 'a@example.com', '--password-stdin'], ['short12\n'], /at least 8 characters/],
    ['a password over 1024 characters', ['--email', 'a@example.com', '--password-stdin'], ['x'.repeat(1025)], /at most 1024/],
    ['empty stdin', ['--email', 'a@example.com', '--password-stdin'], [], /nothing was read/],
    ['no --password-stdin', ['--email', 'a@example.com'], [PASSWORD], /--password-stdin is required/],
    ['a --password flag', ['--email', 'a@example.com', '--password', PASSWORD], [], /there is no --password flag/],
    ['a --password= flag', ['--email', 'a@example.com', `--password=${PASSWORD}`], [], /there is no --password flag/],
    ['no email', ['--password-stdin'], [PASSWORD], /--email is required/],
    ['an email without @', ['--email', 'ada.example.com', '--password-stdin'], [PASSWORD], /not an email address/],
    ['an email with two @', ['--email', 'a@b@example.com', '--password-stdin'], [PASSWORD], /not an email address/],
    ['an email with a space', ['--email', 'a b@example.com', '--password-stdin'], [PASSWORD], /not an email address/],
    ['an email over 320 characters', ['--email', `${'a'.repeat(310)}@example.com`, '--password-stdin'], [PASSWORD], /at most 320/],
    ['a name with a newline', ['--email', 'a@example.com', '--name', 'A\nB', '--password-stdin'], [PASSWORD], /control characters/],
  ];

  for (const [what, args, stdin, message] of invalid) {
    it(`rejects ${what} with exit 2`, async () => {
      const result = await cli.run(['user', 'create', ...args, '--json'], stdin);
      assert.equal(result.code, 2, result.err);
      assert.match(result.err, message);
      assert.equal(result.out, '');
      assert.equal(await cli.repos.users.findByEmail('a@example.com'), undefined);
    });
  }

  it('never prints password hashes in the list', async () => {
    const list = await cli.json<Record<string, unknown>[]>(['user', 'list']);
    assert.ok(list.length >= 3);
    for (const user of list) assert.deepEqual(Object.keys(user).sort(), ['created_at', 'disabled', 'email', 'name', 'sub']);
    assert.ok(list.some((u) => u.email === 'ada@example.com' && u.name === 'Ada Lovelace' && u.disabled === false));
    const text = await cli.run(['user', 'list']);
    assert.equal(text.code, 0);
    assert.match(text.out, /ada@example\.com\s+Ada Lovelace\s+no/);
    assert.ok(!text.out.includes('$argon2'));
  });

  it('disable ends sessions and revokes grants; enable lets the user back in', async () => {
    const { sub } = await cli.json<{ sub: string }>(['user', 'create', '--email', 'grace@example.com', '--password-stdin'], [PASSWORD]);
    const { client_id } = await cli.json<{ client_id: string }>(['client', 'create', '--name', 'App', '--redirect-uri', REDIRECT_URI]);
    const { cookieValue, session } = await cli.repos.sessions.create(sub, 3600);
    const grants = await Promise.all(
      [1, 2].map(() =>
        cli.repos.grants.create({ clientId: client_id, userId: sub, scope: 'openid', sid: session.sid, authTime: session.authTime, resource: null }, 3600),
      ),
    );

    const disabled = await cli.json<Record<string, unknown>>(['user', 'disable', 'Grace@example.com']);
    assert.deepEqual(disabled, { sub, email: 'grace@example.com', disabled: true, grants_revoked: 2 });
    assert.equal((await cli.repos.users.findById(sub))?.disabled, true);
    assert.equal(await cli.repos.sessions.findByCookie(cookieValue), undefined);
    for (const grant of grants) assert.equal(await cli.repos.grants.findActive(grant.id), undefined);

    // Again is harmless; by id works as well as by email.
    const again = await cli.run(['user', 'disable', sub]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /0 grants revoked/);

    const enabled = await cli.json<Record<string, unknown>>(['user', 'enable', sub]);
    assert.deepEqual(enabled, { sub, email: 'grace@example.com', disabled: false });
    assert.equal((await cli.repos.users.findById(sub))?.disabled, false);
    // Revoked grants stay revoked.
    for (const grant of grants) assert.equal(await cli.repos.grants.findActive(grant.id), undefined);
  });

  it('set-password replaces the hash and ends every session; --revoke-grants also revokes the grants', async () => {
    const NEW = 'a much longer new passphrase';
    const { sub } = await cli.json<{ sub: string }>(['user', 'create', '--email', 'lin@example.com', '--password-stdin'], [PASSWORD]);
    const { client_id } = await cli.json<{ client_id: string }>(['client', 'create', '--name', 'App', '--redirect-uri', REDIRECT_URI]);
    const liveGrant = async (scope = 'openid offline_access'): Promise<string> => {
      const { session } = await cli.repos.sessions.create(sub, 3600);
      const grant = await cli.repos.grants.create(
        { clientId: client_id, userId: sub, scope, sid: session.sid, authTime: session.authTime, resource: null },
        3600,
      );
      return grant.id;
    };
    const { cookieValue } = await cli.repos.sessions.create(sub, 3600);
    const kept = await liveGrant();
    const online = await liveGrant('openid');

    const result = await cli.json<Record<string, unknown>>(['user', 'set-password', 'Lin@example.com', '--password-stdin'], [`${NEW}\n`]);
    assert.deepEqual(result, { sub, email: 'lin@example.com', sessions_ended: true, grants_revoked: 0 });
    const hash = (await cli.repos.users.findById(sub))?.passwordHash ?? null;
    assert.ok(hash?.startsWith('$argon2id$'));
    assert.ok(await verifyPassword(hash, NEW), 'the new password signs in');
    assert.equal(await verifyPassword(hash, PASSWORD), false, 'the old one no longer does');
    assert.equal(await cli.repos.sessions.findByCookie(cookieValue), undefined, 'every session ended');
    assert.ok(await cli.repos.grants.findActive(kept), 'offline_access grants outlive their session');
    assert.equal(await cli.repos.grants.findActive(online), undefined, 'the others end with it');

    const stolen = await liveGrant();
    const text = await cli.run(['user', 'set-password', sub, '--password-stdin', '--revoke-grants'], [PASSWORD]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^New password set for lin@example\.com \(sub [^)]+\): signed out everywhere, 2 grants revoked\.$/);
    for (const grant of [kept, stolen]) assert.equal(await cli.repos.grants.findActive(grant), undefined);
    assert.ok(!text.out.includes(PASSWORD) && !text.out.includes('$argon2'));

    const mistakes: [string[], string[], number, RegExp][] = [
      [['user', 'set-password', sub], [NEW], 2, /--password-stdin is required/],
      [['user', 'set-password', sub, `--password=${NEW}`], [], 2, /there is no --password flag/],
      [['user', 'set-password', sub, '--password-stdin'], ['short'], 2, /at least 8 characters/],
      [['user', 'set-password', '--password-stdin'], [NEW], 2, /user-id-or-email/],
      [['user', 'set-password', 'nobody@example.com', '--password-stdin'], [NEW], 1, /no user with id or email "nobody@example\.com"/],
    ];
    for (const [argv, stdin, code, message] of mistakes) {
      const failed = await cli.run(argv, stdin);
      assert.equal(failed.code, code, `${argv.join(' ')}: ${failed.err}`);
      assert.match(failed.err, message);
    }
    assert.ok(await verifyPassword((await cli.repos.users.findById(sub))?.passwordHash ?? null, PASSWORD), 'no mistake changed the password');
  });

  it('exits 1 for an unknown user and 2 for usage mistakes', async () => {
    const unknown = await cli.run(['user', 'disable', 'nobody@example.com']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no user with id or email "nobody@example.com"/);
    assert.equal((await cli.run(['user', 'enable', 'nope'])).code, 1);
    assert.equal((await cli.run(['user', 'disable'])).code, 2);
    assert.equal((await cli.run(['user', 'list', 'extra'])).code, 2);
    assert.equal((await cli.run(['user', 'remove', 'x'])).code, 2);
  });

  it('prints help without touching the database', async () => {
    // An unusable database URL: loading the configuration would fail with exit 78.
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => {}, stdin: Readable.from([]), env: { GATEHOUSE_DATABASE_URL: 'mysql://nope' } };
    assert.equal(await main(['user', 'create', '--help'], io), 0);
    assert.equal(await main(['user', 'list'], io), 78);
    const result = await cli.run(['user', 'create', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.out, /--password-stdin/);
    assert.match(result.out, /no --password flag/);
    assert.equal((await cli.run(['user', '--help'])).code, 0);
    assert.equal((await cli.run(['user', 'disable', '--help'])).code, 0);
  });
});
