import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contrastRatio } from '../../src/issuers/settings.js';
import { type CliContext, createCliContext } from '../cli/cli-harness.js';
import { ISSUER } from '../helpers/prefix.js';

interface IssuerView {
  id: string;
  name: string;
  url: string;
  domains: string[];
  settings: {
    accessTokenTtl: number;
    brand: { color: string; name: string };
    signUp: string;
    login: { maxFailures: number };
    emailCode: boolean;
    rememberDevice: boolean;
  };
}

describe('gatehouse issuer', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it("creates an issuer at <GATEHOUSE_ISSUER>/<id>, with settings of its own over the environment's", async () => {
    const created = await cli.json<IssuerView>(['issuer', 'create', '--id', 'acme', '--name', 'Acme Inc', '--access-token-ttl', '300', '--sign-up', 'open']);
    assert.equal(created.url, `${ISSUER}/acme`);
    assert.equal(created.name, 'Acme Inc');
    assert.equal(created.settings.accessTokenTtl, 300);
    assert.equal(created.settings.signUp, 'open');
    assert.equal(created.settings.login.maxFailures, 10, "the environment's default");
    const keys = await cli.json<unknown[]>(['keys', 'list', '--issuer', 'acme']);
    assert.equal(keys.length, 3, 'its own signing keys');
    const defaultKeys = await cli.json<{ kid: string }[]>(['keys', 'list']);
    assert.ok(!defaultKeys.some((k) => (keys as { kid: string }[]).some((o) => o.kid === k.kid)));
  });

  it('lists the default issuer first, and shows one', async () => {
    const list = await cli.json<IssuerView[]>(['issuer', 'list']);
    assert.deepEqual(
      list.map((i) => i.id),
      ['default', 'acme'],
    );
    assert.equal(list[0]?.url, ISSUER);
    const shown = await cli.run(['issuer', 'show', 'acme']);
    assert.equal(shown.code, 0);
    assert.match(shown.out, /Acme Inc \(acme\)/);
    assert.ok(shown.out.includes(`Discovery:  ${ISSUER}/acme/.well-known/openid-configuration`), shown.out);
  });

  it('turns "Email me a code" and "Remember this device" on and off with --email-code and --remember-device', async () => {
    const before = await cli.json<IssuerView>(['issuer', 'show', 'acme']);
    assert.equal(before.settings.emailCode, false);
    const on = await cli.json<IssuerView>(['issuer', 'update', 'acme', '--email-code', 'on', '--remember-device', 'on']);
    assert.equal(on.settings.emailCode, true);
    assert.equal(on.settings.rememberDevice, true);
    const shown = await cli.run(['issuer', 'show', 'acme']);
    assert.match(shown.out, /email codes: on; remember device: on/);
    const off = await cli.json<IssuerView>(['issuer', 'update', 'acme', '--email-code', 'off']);
    assert.equal(off.settings.emailCode, false);
    assert.equal(off.settings.rememberDevice, true, 'the other setting is left as it was');
    assert.equal((await cli.json<IssuerView>(['issuer', 'show', 'default'])).settings.emailCode, false, 'another issuer is untouched');
    for (const bad of ['yes', 'true', '']) {
      const refused = await cli.run(['issuer', 'update', 'acme', '--email-code', bad]);
      assert.equal(refused.code, 2, bad);
      assert.match(refused.err, /--email-code must be on or off/);
    }
    assert.equal((await cli.json<IssuerView>(['issuer', 'show', 'acme'])).settings.emailCode, false);
  });

  it('refuses ids that are malformed, reserved or taken', async () => {
    for (const id of ['A', 'x', '-acme', 'acme_1', 'oauth', 'default', 'admin', 'a'.repeat(64)]) {
      const result = await cli.run(['issuer', 'create', `--id=${id}`, '--name', 'X']);
      assert.equal(result.code, 1, `${id}: ${result.err}`);
    }
    const taken = await cli.run(['issuer', 'create', '--id', 'acme', '--name', 'Again']);
    assert.equal(taken.code, 1);
    assert.match(taken.err, /already exists/);
  });

  it('refuses a brand colour without AA contrast, naming the setting', async () => {
    assert.ok(contrastRatio('#ffff00', '#ffffff') < 4.5);
    const result = await cli.run(['issuer', 'update', 'acme', '--brand-color', '#ffff00']);
    assert.equal(result.code, 1);
    assert.match(result.err, /brandColor: #ffff00 has a contrast of 1\.07:1 with white/);
    const ok = await cli.json<IssuerView>(['issuer', 'update', 'acme', '--brand-color', '#1F4FD1']);
    assert.equal(ok.settings.brand.color, '#1f4fd1');
    const bad = await cli.run(['issuer', 'update', 'acme', '--access-token-ttl', '5']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /accessTokenTtl: must be a whole number between 60 and 86400/);
  });

  it('adds and removes custom domains, each owned by one issuer', async () => {
    const added = await cli.json<IssuerView>(['issuer', 'update', 'acme', '--add-domain', 'Login.Acme.Example']);
    assert.deepEqual(added.domains, ['login.acme.example']);
    assert.equal(added.url, 'https://login.acme.example');
    await cli.json(['issuer', 'create', '--id', 'beta', '--name', 'Beta']);
    const taken = await cli.run(['issuer', 'update', 'beta', '--add-domain', 'login.acme.example']);
    assert.equal(taken.code, 1);
    assert.match(taken.err, /already belongs to an issuer/);
    assert.equal((await cli.run(['issuer', 'update', 'beta', '--add-domain', 'not a host'])).code, 1);
    const removed = await cli.json<IssuerView>(['issuer', 'update', 'acme', '--remove-domain', 'login.acme.example']);
    assert.deepEqual(removed.domains, []);
  });

  it('works on the issuer named by --issuer, and says so when there is none', async () => {
    await cli.run(['user', 'create', '--issuer', 'beta', '--email', 'ada@example.com', '--password-stdin'], ['beta password here\n']);
    await cli.run(['--issuer', 'acme', 'user', 'create', '--email', 'ada@example.com', '--password-stdin'], ['acme password here\n']);
    const beta = await cli.json<{ sub: string }[]>(['user', 'list', '--issuer=beta']);
    const acme = await cli.json<{ sub: string }[]>(['--issuer', 'acme', 'user', 'list']);
    const fallback = await cli.json<unknown[]>(['user', 'list']);
    assert.equal(beta.length, 1);
    assert.equal(acme.length, 1);
    assert.ok(beta[0]?.sub && acme[0]?.sub && beta[0].sub !== acme[0].sub);
    assert.equal(fallback.length, 0, 'the default issuer has no users');
    const unknown = await cli.run(['client', 'list', '--issuer', 'nobody']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /there is no issuer "nobody"/);
    assert.equal((await cli.run(['client', 'list', '--issuer'])).code, 2);
  });

  it('deletes an issuer with users only with --force, and never gives its id out again', async () => {
    const refused = await cli.run(['issuer', 'delete', 'beta']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /has 1 user; add --force/);
    assert.equal((await cli.run(['issuer', 'delete', 'beta', '--force'])).code, 0);
    const users = await cli.store.db.selectFrom('users').select('id').where('issuer_id', '=', 'beta').execute();
    assert.deepEqual(users, []);
    const keys = await cli.store.db.selectFrom('signing_keys').select('kid').where('issuer_id', '=', 'beta').execute();
    assert.deepEqual(keys, []);
    const again = await cli.run(['issuer', 'create', '--id', 'beta', '--name', 'Beta again']);
    assert.equal(again.code, 1);
    assert.match(again.err, /belonged to a deleted issuer/);
    assert.equal((await cli.run(['issuer', 'delete', 'default', '--force'])).code, 1);
    assert.equal((await cli.run(['issuer', 'show', 'beta'])).code, 1);
  });
});

describe('deleting an issuer', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it('leaves no row of it in any table that has an issuer_id', async () => {
    await cli.json(['issuer', 'create', '--id', 'gone', '--name', 'Gone']);
    await cli.json(['client', 'create', '--issuer', 'gone', '--name', 'App', '--redirect-uri', 'https://example-business.com/cb']);
    await cli.run(['user', 'create', '--issuer', 'gone', '--email', 'x@example.com', '--password-stdin'], ['a long password here\n']);
    assert.equal((await cli.run(['issuer', 'delete', 'gone', '--force'])).code, 0);
    const tables = (await cli.store.db.introspection.getTables()).filter((t) => t.columns.some((c) => c.name === 'issuer_id') && t.name !== 'issuer_domains');
    assert.ok(tables.length >= 15, `found ${tables.length} tables`);
    for (const table of tables) {
      const rows = await cli.store.db
        .selectFrom(table.name as 'users')
        .select('issuer_id')
        .where('issuer_id', '=', 'gone')
        .execute();
      assert.deepEqual(rows, [], `rows of the deleted issuer left in ${table.name}`);
    }
  });
});
