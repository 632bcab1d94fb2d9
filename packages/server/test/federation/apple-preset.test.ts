import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider, updateProvider } from '../../src/federation/providers.js';
import { HttpBrowser, formIn } from '../helpers/http-browser.js';
import { type AppleLike, startAppleLike } from './apple-like.js';
import { type FederationWorld, addGatehouseProvider, appAuthorizeUrl, codeAt, defaultScope, federationWorld, follow, pageOf, postIn } from './helpers.js';

const RELAY = 'ab12cd34@privaterelay.appleid.com';

// The Apple preset against a local Apple-shaped provider: the answer is a cross-site form_post
// to the callback, the client secret a fresh ES256 JWT from the sealed .p8 key, the name only
// in the first sign-in's `user` JSON, email_verified the string "true".
describe('federation: the Sign in with Apple preset', () => {
  let world: FederationWorld;
  let apple: AppleLike;

  before(async () => {
    world = await federationWorld();
    apple = await startAppleLike();
    await createProvider(await defaultScope(world), {
      id: 'apple',
      preset: 'apple',
      issuerUrl: apple.origin,
      clientId: apple.clientId,
      apple: { teamId: apple.teamId, keyId: apple.keyId, privateKey: apple.privateKeyPem },
    });
  });
  after(async () => {
    await apple.close();
    await world.close();
  });

  /** The app's request, the Apple button, and Apple's form_post page: the form the browser would post. */
  async function toApple(browser: HttpBrowser): Promise<{ action: string; body: URLSearchParams; flowCookie: string }> {
    const request = appAuthorizeUrl(world);
    const page = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    assert.match(page.html, /Continue with Apple/);
    const started = await postIn(browser, page, '/upstream', { provider: 'apple' });
    assert.equal(started.res.status, 303);
    const flowCookie = started.res.headers.getSetCookie().find((c) => c.includes('gh_upstream')) ?? '';
    const location = started.res.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${apple.origin}/auth/authorize?`), location);
    assert.equal(new URL(location).searchParams.get('response_mode'), 'form_post');
    const atApple = await browser.request(location);
    assert.equal(atApple.status, 200);
    const form = formIn(await atApple.text(), '/signin/apple/callback');
    return { action: form.action, body: new URLSearchParams(form.hidden), flowCookie };
  }

  function post(browser: HttpBrowser, action: string, body: URLSearchParams): Promise<Response> {
    return browser.request(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  }

  it('signs a new user in on the first form_post, with the name from the user JSON and the relay address verified', async () => {
    const browser = new HttpBrowser();
    const { action, body, flowCookie } = await toApple(browser);
    // The flow cookie must come along on Apple's cross-site POST.
    assert.match(flowCookie, /SameSite=None/i);
    assert.match(flowCookie, /Secure/i);
    assert.ok(body.get('user'), 'the first sign-in carries the user JSON');
    const res = await post(browser, action, body);
    await codeAt(await follow(browser, res, action));
    const user = await world.ctx.scope.repos.users.findByEmail(RELAY);
    assert.ok(user);
    assert.equal(user.name, 'Ada Lovelace');
    assert.equal(user.emailVerified, true);
    // The email in the unsigned user JSON is never read.
    assert.equal(await world.ctx.scope.repos.users.findByEmail('not-to-be-trusted@example.com'), undefined);
    const secret = apple.accepted.at(-1);
    assert.ok(secret);
    assert.equal(secret.iss, apple.teamId);
    assert.equal(secret.sub, apple.clientId);
    assert.equal(secret.aud, apple.origin);
    assert.ok(Number(secret.exp) - Number(secret.iat) <= 300);
  });

  it('signs the same user in again when Apple sends no user JSON', async () => {
    const browser = new HttpBrowser();
    const { action, body } = await toApple(browser);
    assert.equal(body.get('user'), null);
    await codeAt(await follow(browser, await post(browser, action, body), action));
    const user = await world.ctx.scope.repos.users.findByEmail(RELAY);
    assert.equal(user?.name, 'Ada Lovelace');
    assert.equal(apple.refused.length, 0, apple.refused.join(', '));
  });

  it('refuses the form_post from a browser other than the one that started the sign-in, and a replay', async () => {
    const browser = new HttpBrowser();
    const { action, body } = await toApple(browser);
    const other = await post(new HttpBrowser(), action, body);
    assert.equal(other.status, 403);
    // That attempt spent nothing: the browser that started it finishes, once.
    await codeAt(await follow(browser, await post(browser, action, body), action));
    const replay = await post(browser, action, body);
    assert.equal(replay.status, 400);
  });

  it('refuses a POST to the callback of a provider that answers by redirect', async () => {
    await addGatehouseProvider(world);
    const res = await post(new HttpBrowser(), `${world.issuer}/signin/gh/callback`, new URLSearchParams({ state: 'x', code: 'y' }));
    assert.equal(res.status, 405);
  });

  it('keeps the .p8 key sealed, checks it, and takes no plain client secret for Apple', async () => {
    const scope = await defaultScope(world);
    const row = await scope.repos.upstreamProviders.find('apple');
    assert.ok(row);
    assert.ok(!row.sealedClientSecret.includes('PRIVATE KEY'));
    assert.ok(!row.sealedClientSecret.includes(apple.teamId));
    const base = { preset: 'apple', issuerUrl: apple.origin, clientId: apple.clientId };
    const apples = { teamId: apple.teamId, keyId: apple.keyId, privateKey: apple.privateKeyPem };
    await assert.rejects(createProvider(scope, { ...base, id: 'apple2', apple: { ...apples, privateKey: 'not a key' } }), /applePrivateKey|private key/);
    await assert.rejects(createProvider(scope, { ...base, id: 'apple3', apple: { ...apples, teamId: 'short' } }), /team id/);
    await assert.rejects(createProvider(scope, { ...base, id: 'apple4', clientSecret: 'static', apple: apples }), /no client secret/);
    // A new key id alone keeps the team id and key; the next token request's JWT names it.
    await updateProvider(scope, 'apple', { apple: { keyId: 'KEYNEW0001' } });
    const browser = new HttpBrowser();
    const { action, body } = await toApple(browser);
    const res = await post(browser, action, body);
    assert.equal(res.status, 502);
    assert.match(apple.refused.at(-1) ?? '', /kid/);
    await updateProvider(scope, 'apple', { apple: { keyId: apple.keyId } });
  });
});
