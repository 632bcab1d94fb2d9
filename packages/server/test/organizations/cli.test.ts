import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliContext, createCliContext } from '../cli/cli-harness.js';

// `gatehouse org …` against a database of its own, on the backend under test.
describe('gatehouse org', () => {
  let cli: CliContext;
  let ada: { sub: string };
  let bob: { sub: string };
  before(async () => {
    cli = await createCliContext();
    ada = await cli.json<{ sub: string }>(
      ['user', 'create', '--email', 'ada@example.com', '--name', 'Ada', '--password-stdin'],
      ['correct horse battery staple\n'],
    );
    bob = await cli.json<{ sub: string }>(['user', 'create', '--email', 'bob@example.com', '--password-stdin'], ['correct horse battery staple\n']);
  });
  after(() => cli.close());

  it('creates, lists, shows, renames, suspends, resumes and deletes an organization', async () => {
    const created = await cli.json<Record<string, unknown>>(['org', 'create', '--name', 'Acme Inc', '--id', 'acme']);
    assert.deepEqual({ id: created.id, name: created.name, suspended: created.suspended }, { id: 'acme', name: 'Acme Inc', suspended: false });
    const [event] = await cli.repos.events.list({ type: 'organization.created' });
    assert.deepEqual(
      { actor: event?.actor, payload: event?.payload },
      { actor: 'cli', payload: { organization_id: 'acme', name: 'Acme Inc' } },
      "recorded as the command line's doing",
    );
    const generated = await cli.run(['org', 'create', '--name', 'Initech']);
    assert.equal(generated.code, 0, generated.err);
    assert.match(generated.out, /Created organization Initech\.\n {2}id: org_[0-9a-f]{20}$/);

    const table = await cli.run(['org', 'list']);
    assert.match(table.out, /^ID\s+NAME\s+SUSPENDED\s+MEMBERS\s+ROLES\n/);
    assert.match(table.out, /\nacme\s+Acme Inc\s+no\s+0\s+0\n/);

    assert.equal((await cli.json<{ name: string }>(['org', 'rename', 'acme', '--name', 'Acme Corp'])).name, 'Acme Corp');
    const suspended = await cli.run(['org', 'suspend', 'acme']);
    assert.match(suspended.out, /Suspended organization acme \(Acme Corp\)\. Apps see the change at their next token refresh or userinfo call\./);
    assert.match((await cli.run(['org', 'suspend', 'acme'])).out, /already suspended/);
    assert.equal((await cli.repos.organizations.find('acme'))?.suspended, true);
    assert.equal((await cli.json<{ suspended: boolean }>(['org', 'resume', 'acme'])).suspended, false);

    const shown = await cli.run(['org', 'show', 'acme']);
    assert.match(shown.out, /Name:\s+Acme Corp\nSuspended:\s+no\nMembers:\s+0/);
    assert.match(shown.out, /No roles yet/);

    const list = await cli.json<{ id: string; members: number }[]>(['org', 'list']);
    assert.deepEqual(list.map((o) => o.id).slice(0, 1), ['acme']);
    const initech = list.find((o) => o.id !== 'acme')?.id as string;
    assert.deepEqual(await cli.json(['org', 'delete', initech]), { id: initech, deleted: true });
    assert.equal(await cli.repos.organizations.find(initech), undefined);

    assert.equal((await cli.run(['org', 'create', '--name', 'Gone', '--id', 'gone'])).code, 0);
    assert.equal((await cli.run(['org', 'delete', 'gone'])).code, 0);
    const again = await cli.run(['org', 'create', '--name', 'Someone else', '--id', 'gone']);
    assert.equal(again.code, 1, "a deleted organization's id is never given to another");
    assert.match(again.err, /"gone" belonged to a deleted organization/);
    assert.equal(await cli.repos.organizations.find('gone'), undefined);
  });

  it('defines, replaces, lists and deletes roles', async () => {
    await cli.json(['org', 'create', '--name', 'Roles', '--id', 'roles-org']);
    const defined = await cli.json(['org', 'role', 'set', 'roles-org', 'admin', '--permission', 'write:projects', '--permission', 'read:billing']);
    assert.deepEqual(defined, { organization: 'roles-org', role: 'admin', permissions: ['read:billing', 'write:projects'], created: true });
    const replaced = await cli.run(['org', 'role', 'set', 'roles-org', 'admin', '--permission', 'read:projects']);
    assert.equal(replaced.code, 0, replaced.err);
    assert.match(replaced.out, /^Replaced role admin in roles-org: read:projects\. Apps see the change/);
    assert.deepEqual(await cli.json(['org', 'role', 'set', 'roles-org', 'guest', '--none']), {
      organization: 'roles-org',
      role: 'guest',
      permissions: [],
      created: true,
    });
    const listed = await cli.run(['org', 'role', 'list', 'roles-org']);
    assert.match(listed.out, /^ROLE\s+PERMISSIONS\nadmin\s+read:projects\nguest\s+\(none\)$/);
    const show = await cli.json<{ roles: unknown }>(['org', 'show', 'roles-org']);
    assert.deepEqual(show.roles, [
      { name: 'admin', permissions: ['read:projects'] },
      { name: 'guest', permissions: [] },
    ]);

    await cli.json(['org', 'member', 'add', 'roles-org', 'ada@example.com', '--role', 'admin', '--role', 'guest']);
    assert.deepEqual(await cli.json(['org', 'role', 'delete', 'roles-org', 'admin']), {
      organization: 'roles-org',
      role: 'admin',
      deleted: true,
      members_affected: 1,
    });
    assert.deepEqual((await cli.repos.memberships.find('roles-org', ada.sub))?.roles, ['guest'], 'the member keeps the other role');
    const missing = await cli.run(['org', 'role', 'delete', 'roles-org', 'admin']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /organization roles-org has no role "admin"/);
  });

  it('adds members by email or sub, changes their roles, lists and removes them', async () => {
    await cli.json(['org', 'create', '--name', 'Members', '--id', 'members-org']);
    await cli.json(['org', 'role', 'set', 'members-org', 'admin', '--permission', 'write:projects']);
    await cli.json(['org', 'role', 'set', 'members-org', 'viewer', '--permission', 'read:projects']);

    const added = await cli.run(['org', 'member', 'add', 'members-org', 'Ada@Example.com', '--role', 'admin']);
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, /^Added ada@example\.com to members-org with role admin\. Apps see the change/);
    assert.deepEqual(await cli.json(['org', 'member', 'add', 'members-org', bob.sub]), {
      organization: 'members-org',
      sub: bob.sub,
      email: 'bob@example.com',
      roles: [],
    });

    const again = await cli.run(['org', 'member', 'add', 'members-org', 'ada@example.com']);
    assert.equal(again.code, 1);
    assert.match(again.err, /already a member/);
    const unknownRole = await cli.run(['org', 'member', 'set-roles', 'members-org', 'bob@example.com', '--role', 'owner']);
    assert.equal(unknownRole.code, 1);
    assert.match(unknownRole.err, /organization members-org has no role "owner"/);

    assert.deepEqual(await cli.json(['org', 'member', 'set-roles', 'members-org', 'bob@example.com', '--role', 'viewer', '--role', 'admin']), {
      organization: 'members-org',
      sub: bob.sub,
      email: 'bob@example.com',
      roles: ['admin', 'viewer'],
    });
    assert.deepEqual((await cli.json<{ roles: string[] }>(['org', 'member', 'set-roles', 'members-org', 'ada@example.com', '--none'])).roles, []);

    const table = await cli.run(['org', 'member', 'list', 'members-org']);
    assert.match(
      table.out,
      /^EMAIL\s+SUB\s+NAME\s+ROLES\s+SINCE\nada@example\.com\s+\S+\s+Ada\s+\(none\)\s+\S+\nbob@example\.com\s+\S+\s+admin, viewer\s+\S+$/,
    );
    const list = await cli.json<{ email: string; roles: string[] }[]>(['org', 'member', 'list', 'members-org']);
    assert.deepEqual(
      list.map((m) => [m.email, m.roles]),
      [
        ['ada@example.com', []],
        ['bob@example.com', ['admin', 'viewer']],
      ],
    );

    assert.deepEqual(await cli.json(['org', 'member', 'remove', 'members-org', 'ada@example.com']), {
      organization: 'members-org',
      sub: ada.sub,
      email: 'ada@example.com',
      removed: true,
    });
    const notMember = await cli.run(['org', 'member', 'remove', 'members-org', 'ada@example.com']);
    assert.equal(notMember.code, 1);
    assert.match(notMember.err, /ada@example\.com is not a member of members-org/);
    const setRolesNotMember = await cli.run(['org', 'member', 'set-roles', 'members-org', 'ada@example.com', '--none']);
    assert.equal(setRolesNotMember.code, 1);
    assert.match(setRolesNotMember.err, /not a member of members-org \(add them with/);
  });

  const usage: [string, string[], RegExp][] = [
    ['create without --name', ['org', 'create'], /--name is required/],
    ['an upper-case id', ['org', 'create', '--name', 'X', '--id', 'Acme'], /must be 2 to 64 characters of a-z/],
    ['an id that starts with a dash', ['org', 'create', '--name', 'X', '--id=-acme'], /must be 2 to 64 characters/],
    ['a name with a newline', ['org', 'create', '--name', 'A\nB'], /control characters/],
    ['a permission without a resource', ['org', 'role', 'set', 'acme', 'admin', '--permission', 'write'], /exactly one ":"/],
    ['a wildcard permission', ['org', 'role', 'set', 'acme', 'admin', '--permission', 'write:*'], /no wildcards/],
    ['a role without permissions or --none', ['org', 'role', 'set', 'acme', 'admin'], /--permission ACTION:RESOURCE .* or --none/],
    ['a bad role name', ['org', 'role', 'set', 'acme', 'Admin', '--none'], /role "Admin" must be/],
    ['set-roles without roles or --none', ['org', 'member', 'set-roles', 'acme', 'ada@example.com'], /--role ROLE .* or --none/],
    ['a member without an email', ['org', 'member', 'add', 'acme'], /missing <org-id> <email>/],
    ['an unknown subcommand', ['org', 'frobnicate'], /unknown subcommand "frobnicate"/],
    ['an unknown option', ['org', 'list', '--all'], /Unknown option '--all'/],
  ];
  for (const [what, argv, message] of usage) {
    it(`refuses ${what} with exit 2`, async () => {
      const result = await cli.run(argv);
      assert.equal(result.code, 2, result.err);
      assert.match(result.err, message);
      assert.equal(result.out, '');
    });
  }

  const failures: [string, string[], RegExp][] = [
    ['a duplicate id', ['org', 'create', '--name', 'Again', '--id', 'acme'], /an organization with id "acme" already exists/],
    ['an unknown organization', ['org', 'show', 'nope'], /no organization with id "nope"/],
    ['renaming an unknown organization', ['org', 'rename', 'nope', '--name', 'X'], /no organization with id "nope"/],
    ['deleting an unknown organization', ['org', 'delete', 'nope'], /no organization with id "nope"/],
    ['an unknown user', ['org', 'member', 'add', 'acme', 'nobody@example.com'], /no user with id or email "nobody@example\.com"/],
    ['a role in an unknown organization', ['org', 'role', 'set', 'nope', 'admin', '--none'], /no organization with id "nope"/],
  ];
  for (const [what, argv, message] of failures) {
    it(`fails on ${what} with exit 1`, async () => {
      const result = await cli.run(argv);
      assert.equal(result.code, 1, result.err);
      assert.match(result.err, message);
      assert.equal(result.out, '');
    });
  }

  it('prints help for every subcommand', async () => {
    for (const argv of [
      ['org', '--help'],
      ['org', 'role', '--help'],
      ['org', 'member', 'set-roles', '--help'],
    ]) {
      const result = await cli.run(argv);
      assert.equal(result.code, 0);
      assert.match(result.out, /^Usage: gatehouse org/);
    }
  });
});
