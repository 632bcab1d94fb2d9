import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../src/tokens/random.js';
import { type CliContext, REDIRECT_URI, createCliContext } from './cli-harness.js';

interface Created {
  client_id: string;
  client_secret?: string;
}

describe('gatehouse client', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it('creates a confidential client and keeps only a hash of its secret', async () => {
    const created = await cli.json<Created>(['client', 'create', '--name', 'Example Business', '--redirect-uri', REDIRECT_URI]);
    assert.deepEqual(Object.keys(created).sort(), ['client_id', 'client_secret']);
    assert.ok(created.client_secret);
    const stored = await cli.repos.clients.find(created.client_id);
    assert.ok(stored);
    assert.equal(stored.secretHash, sha256(created.client_secret));
    assert.notEqual(stored.secretHash, created.client_secret);
    // The documented defaults.
    assert.deepEqual(stored.grantTypes, ['authorization_code', 'refresh_token']);
    assert.deepEqual(stored.scopes, ['openid', 'profile', 'email']);
    assert.deepEqual(stored.redirectUris, [REDIRECT_URI]);
    assert.equal(stored.isPublic, false);
    assert.equal(stored.firstParty, false);
    assert.equal(stored.idTokenAlg, 'RS256');
  });

  it('creates a public client without a secret, with every option', async () => {
    const created = await cli.json<Created>([
      'client',
      'create',
      '--name',
      'Example App',
      '--description',
      'The mobile app',
      '--redirect-uri',
      'com.example.app:/callback',
      '--redirect-uri',
      'http://127.0.0.1:8123/callback',
      '--redirect-uri',
      'http://[::1]/cb',
      '--post-logout-redirect-uri',
      'com.example.app:/logged-out',
      '--scope',
      'openid profile email offline_access payments:read',
      '--grant-types',
      'authorization_code,refresh_token',
      '--id-token-alg',
      'ES256',
      '--public',
      '--first-party',
    ]);
    assert.deepEqual(Object.keys(created), ['client_id']);
    const stored = await cli.repos.clients.find(created.client_id);
    assert.ok(stored);
    assert.equal(stored.secretHash, null);
    assert.equal(stored.isPublic, true);
    assert.equal(stored.firstParty, true);
    assert.equal(stored.idTokenAlg, 'ES256');
    assert.equal(stored.description, 'The mobile app');
    assert.deepEqual(stored.redirectUris, ['com.example.app:/callback', 'http://127.0.0.1:8123/callback', 'http://[::1]/cb']);
    assert.deepEqual(stored.postLogoutRedirectUris, ['com.example.app:/logged-out']);
    assert.deepEqual(stored.scopes, ['openid', 'profile', 'email', 'offline_access', 'payments:read']);
  });

  it('creates a machine-to-machine client with client_credentials only', async () => {
    const created = await cli.json<Created>(['client', 'create', '--name', 'Billing job', '--grant-types', 'client_credentials', '--scope', 'payments']);
    assert.ok(created.client_secret);
    const stored = await cli.repos.clients.find(created.client_id);
    assert.deepEqual(stored?.grantTypes, ['client_credentials']);
    assert.deepEqual(stored?.redirectUris, []);
  });

  it('prints the secret once in human output, with a warning', async () => {
    const result = await cli.run(['client', 'create', '--name', 'Human', '--redirect-uri', 'http://localhost:4000/cb']);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /Client ID:\s+gh_/);
    assert.match(result.out, /Client secret:\s+ghs_/);
    assert.match(result.out, /shown once, copy it now/);
  });

  const invalid: [string, string[], RegExp][] = [
    ['no name', ['--redirect-uri', REDIRECT_URI], /--name is required/],
    ['an empty name', ['--name', '  ', '--redirect-uri', REDIRECT_URI], /--name must not be empty/],
    ['a name over 200 characters', ['--name', 'x'.repeat(201), '--redirect-uri', REDIRECT_URI], /at most 200/],
    ['no redirect URI with authorization_code', ['--name', 'A'], /--redirect-uri is required/],
    ['a relative redirect URI', ['--name', 'A', '--redirect-uri', '/callback'], /not an absolute URI/],
    ['a redirect URI with a fragment', ['--name', 'A', '--redirect-uri', `${REDIRECT_URI}#x`], /fragment/],
    ['an empty fragment', ['--name', 'A', '--redirect-uri', `${REDIRECT_URI}#`], /fragment/],
    ['http on a public host', ['--name', 'A', '--redirect-uri', 'http://example.com/cb'], /must use https/],
    ['http on a look-alike host', ['--name', 'A', '--redirect-uri', 'http://localhost.evil.com/cb'], /must use https/],
    ['a javascript: URI', ['--name', 'A', '--redirect-uri', 'javascript:alert(1)'], /must be https/],
    ['a private-use scheme on a confidential client', ['--name', 'A', '--redirect-uri', 'com.example.app:/cb'], /only public/],
    ['credentials in a redirect URI', ['--name', 'A', '--redirect-uri', 'https://u:p@example.com/cb'], /user name or password/],
    [
      'a bad post-logout URI',
      ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--post-logout-redirect-uri', 'http://example.com/'],
      /--post-logout-redirect-uri .* must use https/,
    ],
    ['an unknown grant type', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--grant-types', 'authorization_code,password'], /"password" is not one of/],
    ['a duplicate grant type', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--grant-types', 'authorization_code,authorization_code'], /twice/],
    [
      'client_credentials on a public client',
      ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--public', '--grant-types', 'authorization_code,client_credentials'],
      /--public client cannot use client_credentials/,
    ],
    [
      'refresh_token without authorization_code',
      ['--name', 'A', '--grant-types', 'refresh_token,client_credentials'],
      /refresh_token needs authorization_code/,
    ],
    [
      'redirect URIs without authorization_code',
      ['--name', 'A', '--grant-types', 'client_credentials', '--redirect-uri', REDIRECT_URI],
      /only apply with the authorization_code/,
    ],
    ['a scope with a quote', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--scope', 'openid "email'], /not a valid scope/],
    ['a scope with a backslash', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--scope', 'openid a\\b'], /not a valid scope/],
    ['a scope with a non-ASCII character', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--scope', 'openid prófile'], /not a valid scope/],
    ['an empty scope', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--scope', ' '], /at least one scope/],
    ['an unknown ID token algorithm', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--id-token-alg', 'HS256'], /--id-token-alg must be one of/],
    ['an unknown option', ['--name', 'A', '--redirect-uri', REDIRECT_URI, '--secret', 'x'], /Unknown option '--secret'/],
    ['a stray argument', ['--name', 'A', 'B', '--redirect-uri', REDIRECT_URI], /unexpected argument "B"/],
  ];

  for (const [what, args, message] of invalid) {
    it(`rejects ${what} with exit 2 and creates nothing`, async () => {
      const before = (await cli.repos.clients.list()).length;
      const result = await cli.run(['client', 'create', ...args, '--json']);
      assert.equal(result.code, 2, `exit code; stderr: ${result.err}`);
      assert.match(result.err, message);
      assert.equal(result.out, '');
      assert.equal((await cli.repos.clients.list()).length, before);
    });
  }

  it('lists clients as a table and as JSON', async () => {
    const { client_id } = await cli.json<Created>(['client', 'create', '--name', 'Listed Co', '--redirect-uri', REDIRECT_URI, '--first-party']);
    const text = await cli.run(['client', 'list']);
    assert.equal(text.code, 0);
    const row = text.out.split('\n').find((line) => line.startsWith(client_id));
    assert.ok(row, text.out);
    assert.match(row, /Listed Co\s+confidential\s+yes/);
    const list = await cli.json<{ client_id: string; name: string }[]>(['client', 'list']);
    assert.ok(list.some((c) => c.client_id === client_id && c.name === 'Listed Co'));
    assert.ok(!JSON.stringify(list).includes('secret'));
  });

  it('registers resource indicators that become the access token audience', async () => {
    const { client_id } = await cli.json<Created>([
      'client',
      'create',
      '--name',
      'With API',
      '--redirect-uri',
      REDIRECT_URI,
      '--resource',
      'https://api.example-business.com',
      '--resource',
      'https://files.example-business.com',
    ]);
    const shown = await cli.json<{ resources: string[] }>(['client', 'show', client_id]);
    assert.deepEqual(shown.resources, ['https://api.example-business.com', 'https://files.example-business.com']);
    const bad = await cli.run(['client', 'create', '--name', 'Bad', '--redirect-uri', REDIRECT_URI, '--resource', 'https://api.example.com/#x']);
    assert.equal(bad.code, 2);
  });

  it('shows a client without its secret hash', async () => {
    const { client_id } = await cli.json<Created>([
      'client',
      'create',
      '--name',
      'Shown',
      '--redirect-uri',
      REDIRECT_URI,
      '--post-logout-redirect-uri',
      'https://example-business.com/',
    ]);
    const shown = await cli.json<Record<string, unknown>>(['client', 'show', client_id]);
    assert.deepEqual(Object.keys(shown).sort(), [
      'backchannel_logout_session_required',
      'backchannel_logout_uri',
      'client_id',
      'created_at',
      'description',
      'first_party',
      'grant_types',
      'id_token_claims',
      'id_token_signed_response_alg',
      'logo_uri',
      'name',
      'pkce',
      'policy_uri',
      'post_logout_redirect_uris',
      'public',
      'redirect_uris',
      'refresh_reuse_grace',
      'resources',
      'scope',
      'tos_uri',
    ]);
    assert.equal(shown.scope, 'openid profile email');
    assert.deepEqual(shown.post_logout_redirect_uris, ['https://example-business.com/']);
    assert.equal(shown.public, false);
    assert.match(String(shown.created_at), /^\d{4}-\d\d-\d\dT/);
    const text = await cli.run(['client', 'show', client_id]);
    assert.match(text.out, /Redirect URIs:\s+https:\/\/example-business\.com/);
    const stored = await cli.repos.clients.find(client_id);
    assert.ok(stored?.secretHash && !text.out.includes(stored.secretHash));
  });

  it('rotates a secret: the stored hash changes to the new one', async () => {
    const created = await cli.json<Created>(['client', 'create', '--name', 'Rotating', '--redirect-uri', REDIRECT_URI]);
    const oldHash = (await cli.repos.clients.find(created.client_id))?.secretHash;
    const rotated = await cli.json<Created>(['client', 'rotate-secret', created.client_id]);
    assert.deepEqual(Object.keys(rotated).sort(), ['client_id', 'client_secret', 'previous_secret_expires_at']);
    assert.equal(rotated.client_id, created.client_id);
    assert.ok(rotated.client_secret && rotated.client_secret !== created.client_secret);
    const newHash = (await cli.repos.clients.find(created.client_id))?.secretHash;
    assert.notEqual(newHash, oldHash);
    assert.equal(newHash, sha256(rotated.client_secret));
    const text = await cli.run(['client', 'rotate-secret', created.client_id]);
    assert.match(text.out, /shown once, copy it now/);
  });

  it('rotates with --overlap: the old hash is kept until then, through the same service', async () => {
    const created = await cli.json<Created>(['client', 'create', '--name', 'Overlapping', '--redirect-uri', REDIRECT_URI]);
    const rotated = await cli.json<Created & { previous_secret_expires_at: string }>(['client', 'rotate-secret', created.client_id, '--overlap', '3600']);
    const stored = await cli.repos.clients.find(created.client_id);
    assert.equal(stored?.previousSecret?.hash, sha256(created.client_secret ?? ''));
    assert.equal(new Date(rotated.previous_secret_expires_at).getTime() / 1000, stored?.previousSecret?.expiresAt);
    const text = await cli.run(['client', 'rotate-secret', created.client_id, '--overlap', '60']);
    assert.match(text.out, /keeps working until/);
    const bad = await cli.run(['client', 'rotate-secret', created.client_id, '--overlap', '604801']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--overlap/);
  });

  it('refuses to rotate the secret of a public or unknown client (exit 1)', async () => {
    const { client_id } = await cli.json<Created>(['client', 'create', '--name', 'Pub', '--public', '--redirect-uri', REDIRECT_URI]);
    const pub = await cli.run(['client', 'rotate-secret', client_id, '--json']);
    assert.equal(pub.code, 1);
    assert.match(pub.err, /public/);
    assert.equal(pub.out, '');
    assert.equal((await cli.repos.clients.find(client_id))?.secretHash, null);
    const unknown = await cli.run(['client', 'rotate-secret', 'gh_nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no client gh_nope/);
  });

  it('deletes a client; unknown ids exit 1', async () => {
    const { client_id } = await cli.json<Created>(['client', 'create', '--name', 'Doomed', '--redirect-uri', REDIRECT_URI]);
    const deleted = await cli.json<{ client_id: string; deleted: boolean }>(['client', 'delete', client_id]);
    assert.deepEqual(deleted, { client_id, deleted: true });
    assert.equal(await cli.repos.clients.find(client_id), undefined);
    const again = await cli.run(['client', 'delete', client_id]);
    assert.equal(again.code, 1);
    assert.match(again.err, /no client with id/);
    const show = await cli.run(['client', 'show', client_id]);
    assert.equal(show.code, 1);
  });

  it('reports usage mistakes with exit 2 and prints help with exit 0', async () => {
    assert.equal((await cli.run(['client'])).code, 2);
    assert.equal((await cli.run(['client', 'frobnicate'])).code, 2);
    assert.equal((await cli.run(['client', 'show'])).code, 2);
    assert.equal((await cli.run(['client', 'delete', 'a', 'b'])).code, 2);
    for (const argv of [
      ['client', '--help'],
      ['client', 'create', '--help'],
      ['client', 'show', '-h'],
      ['client', 'rotate-secret', '--help'],
    ]) {
      const result = await cli.run(argv);
      assert.equal(result.code, 0, argv.join(' '));
      assert.match(result.out, /^Usage: gatehouse client/);
    }
  });
});
