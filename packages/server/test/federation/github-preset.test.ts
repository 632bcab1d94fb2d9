import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { type FederationWorld, appAuthorizeUrl, codeAt, defaultScope, exchange, federationWorld, follow, jwtClaims, pageOf, postIn } from './helpers.js';
import { type GithubLike, startGithubLike } from './github-like.js';

const HTML = { accept: 'text/html' };

// The GitHub preset (plain OAuth 2.0) against a local app shaped like GitHub: the user from
// /user, the email and whether it is verified from /user/emails, the numeric id as the subject.
describe('federation: the GitHub preset', () => {
  let world: FederationWorld;
  let github: GithubLike;

  before(async () => {
    world = await federationWorld();
    github = await startGithubLike('Iv1.gatehouse', 'github-secret');
    await createProvider(await defaultScope(world), {
      id: 'github',
      preset: 'github',
      // The preset's endpoints, moved to the local app.
      authorizationEndpoint: `${github.origin}/login/oauth/authorize`,
      tokenEndpoint: `${github.origin}/login/oauth/access_token`,
      userinfoEndpoint: `${github.origin}/user`,
      clientId: 'Iv1.gatehouse',
      clientSecret: 'github-secret',
    });
    github.users.set('octocat', {
      id: 583231,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      emails: [
        { email: 'old@example.com', primary: false, verified: false },
        { email: 'octocat@example.com', primary: true, verified: true },
      ],
    });
    github.users.set('unverified', {
      id: 7,
      login: 'unverified',
      name: null,
      email: 'public@example.com',
      emails: [{ email: 'public@example.com', primary: true, verified: false }],
    });
  });
  after(async () => {
    await github.close();
    await world.close();
  });

  async function signIn(login: string, request = appAuthorizeUrl(world)): Promise<{ url: string; res: Response }> {
    github.next = login;
    const browser = new HttpBrowser();
    const page = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    assert.match(page.html, /Continue with GitHub/);
    const started = await postIn(browser, page, '/upstream', { provider: 'github' });
    const atGithub = await follow(browser, started.res, started.url);
    assert.ok(atGithub.url.startsWith(`${github.origin}/login/oauth/authorize?`), atGithub.url);
    const authorize = new URL(atGithub.url);
    assert.equal(authorize.searchParams.get('scope'), 'read:user user:email');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const back = await follow(browser, await browser.request(atGithub.url), atGithub.url, (u) => u.startsWith(world.issuer));
    return follow(browser, await browser.request(back.url, { headers: HTML }), back.url);
  }

  it('creates the user from the primary verified address of /user/emails, with the numeric id as subject', async () => {
    const request = appAuthorizeUrl(world);
    const tokens = await exchange(world, await codeAt(await signIn('octocat', request)), request.verifier);
    const user = await world.ctx.scope.repos.users.findByEmail('octocat@example.com');
    assert.ok(user);
    assert.deepEqual([user.name, user.picture, user.emailVerified], ['The Octocat', 'https://avatars.example/583231', true]);
    assert.equal(jwtClaims(tokens.id_token).sub, user.id);
    assert.deepEqual(
      (await world.ctx.scope.repos.linkedIdentities.listForUser(user.id)).map((l) => [l.providerId, l.subject]),
      [['github', '583231']],
    );
    const all = JSON.stringify(tokens);
    for (const token of github.issued) assert.ok(!all.includes(token), 'GitHub’s token never reaches the app');
  });

  it('makes no account from an address GitHub has not verified, even a public one', async () => {
    const ended = await signIn('unverified');
    assert.equal(ended.res.status, 400);
    assert.match(await ended.res.text(), /GitHub has not confirmed your email address/);
    assert.equal(await world.ctx.scope.repos.users.findByEmail('public@example.com'), undefined);
  });
});
