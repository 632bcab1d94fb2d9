import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliContext, REDIRECT_URI, createCliContext } from './cli-harness.js';

interface View {
  client_id: string;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scope: string;
  pkce: string;
  refresh_reuse_grace: number;
}

// Client policies (PKCE, refresh-token reuse grace) and `client update`, through the client
// service the CLI calls (services/clients.ts).
describe('gatehouse client: policies and update', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  const create = async (...extra: string[]): Promise<string> =>
    (await cli.json<{ client_id: string }>(['client', 'create', '--name', 'Shop', '--redirect-uri', REDIRECT_URI, ...extra])).client_id;

  it('creates with PKCE required and no grace by default; --pkce optional and --refresh-reuse-grace 10s are kept, with a warning', async () => {
    const plain = await cli.json<View>(['client', 'show', await create()]);
    assert.equal(plain.pkce, 'required');
    assert.equal(plain.refresh_reuse_grace, 0);
    const result = await cli.run([
      'client',
      'create',
      '--name',
      'Legacy',
      '--redirect-uri',
      REDIRECT_URI,
      '--pkce',
      'optional',
      '--refresh-reuse-grace',
      '10s',
      '--json',
    ]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.err, /^warning: PKCE is optional for this client/);
    const stored = await cli.repos.clients.find((JSON.parse(result.out) as { client_id: string }).client_id);
    assert.equal(stored?.pkce, 'optional');
    assert.equal(stored?.refreshReuseGrace, 10);
  });

  it('--id-token-claims: off by default, on at create, on and off again with update', async () => {
    const plain = await create();
    assert.equal((await cli.json<{ id_token_claims: boolean }>(['client', 'show', plain])).id_token_claims, false);
    const compat = await create('--id-token-claims');
    assert.equal((await cli.repos.clients.find(compat))?.idTokenClaims, true);
    assert.match((await cli.run(['client', 'show', compat])).out, /ID token claims: +profile and email in the ID token too/);
    assert.equal((await cli.json<{ id_token_claims: boolean }>(['client', 'update', plain, '--id-token-claims', '--json'])).id_token_claims, true);
    assert.equal((await cli.json<{ id_token_claims: boolean }>(['client', 'update', plain, '--no-id-token-claims', '--json'])).id_token_claims, false);
    assert.equal((await cli.repos.clients.find(plain))?.idTokenClaims, false);
    const both = await cli.run(['client', 'update', plain, '--id-token-claims', '--no-id-token-claims']);
    assert.equal(both.code, 2, 'not both at once');
  });

  it('--logo-uri, --policy-uri, --tos-uri: set at create, changed and removed ("") with update, refused unless https', async () => {
    const id = await create('--logo-uri', 'https://cdn.example-business.com/logo.png', '--policy-uri', 'https://example-business.com/privacy');
    const shown = await cli.json<{ logo_uri: string | null; policy_uri: string | null; tos_uri: string | null }>(['client', 'show', id]);
    assert.deepEqual(
      [shown.logo_uri, shown.policy_uri, shown.tos_uri],
      ['https://cdn.example-business.com/logo.png', 'https://example-business.com/privacy', null],
    );
    assert.match((await cli.run(['client', 'show', id])).out, /Privacy policy: +https:\/\/example-business\.com\/privacy/);
    const changed = await cli.json<{ logo_uri: string | null; tos_uri: string | null }>([
      'client',
      'update',
      id,
      '--logo-uri',
      '',
      '--tos-uri',
      'https://example-business.com/terms',
      '--json',
    ]);
    assert.deepEqual([changed.logo_uri, changed.tos_uri], [null, 'https://example-business.com/terms']);
    const refused = await cli.run(['client', 'update', id, '--policy-uri', 'http://example-business.com/privacy']);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /--policy-uri must use https/);
  });

  it('updates only what it names; lists replace the stored ones', async () => {
    const id = await create('--post-logout-redirect-uri', 'https://example-business.com/');
    const updated = await cli.json<View>([
      'client',
      'update',
      id,
      '--name',
      'Shop 2',
      '--redirect-uri',
      'https://shop.example/a',
      '--redirect-uri',
      'https://shop.example/b',
      '--scope',
      'openid email',
      '--refresh-reuse-grace',
      '15',
    ]);
    assert.equal(updated.name, 'Shop 2');
    assert.deepEqual(updated.redirect_uris, ['https://shop.example/a', 'https://shop.example/b']);
    assert.deepEqual(updated.post_logout_redirect_uris, ['https://example-business.com/'], 'not named, not changed');
    assert.equal(updated.scope, 'openid email');
    assert.equal(updated.refresh_reuse_grace, 15);
    assert.equal(updated.pkce, 'required');
    const text = await cli.run(['client', 'update', id, '--pkce', 'optional']);
    assert.equal(text.code, 0);
    assert.match(text.err, /warning: PKCE is optional/);
    assert.equal((await cli.repos.clients.find(id))?.pkce, 'optional');
    assert.match((await cli.run(['client', 'show', id])).out, /PKCE:\s+optional\nRefresh reuse grace:\s+15 s/);
  });

  const refused: [string, string[], RegExp][] = [
    ['PKCE optional for a public client', ['--pkce', 'optional'], /--pkce optional is for confidential clients only/],
    ['an unknown PKCE policy', ['--pkce', 'sometimes'], /--pkce must be one of required, optional/],
    ['a grace over the limit', ['--refresh-reuse-grace', '301'], /--refresh-reuse-grace must be a whole number of seconds from 0 to 300/],
    ['a grace that is not a number', ['--refresh-reuse-grace', 'soon'], /--refresh-reuse-grace must be a whole number/],
    ['an http redirect URI', ['--redirect-uri', 'http://example.com/cb'], /--redirect-uri "http:\/\/example.com\/cb" must use https/],
    ['nothing to change', [], /nothing to change/],
  ];
  for (const [what, args, message] of refused) {
    it(`update refuses ${what} with exit 2 and changes nothing`, async () => {
      const id = (await cli.json<{ client_id: string }>(['client', 'create', '--name', 'Native', '--public', '--redirect-uri', 'com.example.app:/cb']))
        .client_id;
      const before = await cli.repos.clients.find(id);
      const result = await cli.run(['client', 'update', id, ...args]);
      assert.equal(result.code, 2, result.err);
      assert.match(result.err, message);
      assert.deepEqual(await cli.repos.clients.find(id), before);
    });
  }

  it('create refuses PKCE optional for a public client, and a grace without refresh tokens', async () => {
    const pub = await cli.run(['client', 'create', '--name', 'N', '--public', '--redirect-uri', 'com.example.app:/cb', '--pkce', 'optional']);
    assert.equal(pub.code, 2);
    assert.match(pub.err, /confidential clients only/);
    const grace = await cli.run([
      'client',
      'create',
      '--name',
      'N',
      '--redirect-uri',
      REDIRECT_URI,
      '--grant-types',
      'authorization_code',
      '--refresh-reuse-grace',
      '10',
    ]);
    assert.equal(grace.code, 2);
    assert.match(grace.err, /needs the refresh_token grant type/);
  });

  it('exits 1 for an unknown client, or one of another issuer', async () => {
    const id = await create();
    assert.equal((await cli.run(['client', 'update', 'gh_nope', '--name', 'X'])).code, 1);
    assert.equal((await cli.run(['issuer', 'create', '--id', 'beta', '--name', 'Beta'])).code, 0);
    const other = await cli.run(['client', 'update', id, '--issuer', 'beta', '--name', 'Taken over']);
    assert.equal(other.code, 1);
    assert.match(other.err, /no client with id/);
    assert.equal((await cli.repos.clients.find(id))?.name, 'Shop');
  });
});
