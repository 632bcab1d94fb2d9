import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliContext, createCliContext } from '../cli/cli-harness.js';

interface Listed {
  type: string;
  user_id: string | null;
  client_id: string | null;
  payload: Record<string, unknown>;
}

describe('gatehouse audit list', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it("lists the issuer's events newest first, filtered by type, user and client", async () => {
    const { client_id } = await cli.json<{ client_id: string }>(['client', 'create', '--name', 'Audited', '--redirect-uri', 'https://example-business.com/cb']);
    const { sub } = await cli.json<{ sub: string }>(['user', 'create', '--email', 'audit@example.com', '--password-stdin'], ['a long password here\n']);
    await cli.json(['user', 'disable', 'audit@example.com']);
    const all = await cli.json<Listed[]>(['audit', 'list']);
    assert.deepEqual(
      all.map((e) => e.type),
      ['user.disabled', 'user.created', 'client.created'],
    );
    assert.deepEqual(
      (await cli.json<Listed[]>(['audit', 'list', '--type', 'client.created'])).map((e) => e.client_id),
      [client_id],
    );
    assert.deepEqual(
      (await cli.json<Listed[]>(['audit', 'list', '--user', sub])).map((e) => e.type),
      ['user.disabled', 'user.created'],
    );
    assert.deepEqual(await cli.json<Listed[]>(['audit', 'list', '--since', '2100-01-01T00:00:00Z']), []);
    assert.equal((await cli.json<Listed[]>(['audit', 'list', '--limit', '1'])).length, 1);
  });

  it("shows another issuer's log only with --issuer", async () => {
    await cli.json(['issuer', 'create', '--id', 'audited', '--name', 'Audited Co']);
    await cli.json(['client', 'create', '--issuer', 'audited', '--name', 'Theirs', '--redirect-uri', 'https://example-business.com/cb']);
    const theirs = await cli.json<Listed[]>(['audit', 'list', '--issuer', 'audited']);
    assert.deepEqual(
      theirs.map((e) => e.type),
      ['client.created', 'issuer.created'],
    );
    assert.ok(!(await cli.json<Listed[]>(['audit', 'list'])).some((e) => e.type === 'issuer.created'));
  });

  it('refuses a type that does not exist and a time it cannot read', async () => {
    assert.equal((await cli.run(['audit', 'list', '--type', 'nope'])).code, 2);
    assert.equal((await cli.run(['audit', 'list', '--since', 'yesterday-ish'])).code, 2);
  });
});
