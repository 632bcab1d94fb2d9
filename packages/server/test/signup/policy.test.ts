import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { updateIssuer } from '../../src/issuers/service.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';
import { type MailTestContext, browserAt } from '../helpers/password-pages.js';
import { openAppSignIn, setSignUp, signUpContext, signUpLinkIn } from './signup-pages.js';

describe('sign-up policy per issuer: off, open, invitation', () => {
  let mail: MailTestContext;
  let clientId: string;
  let ip = 0;
  const browser = () => browserAt(mail.ctx, `203.0.113.${++ip}`);

  before(async () => {
    // The default issuer's default is off: today's deployments do not change.
    mail = await signUpContext('off');
    clientId = (await createTestClient(mail.ctx)).client.id;
  });
  after(() => mail.close());

  it('is off by default for the default issuer', async () => {
    const fresh = await createTestContext();
    try {
      assert.equal(fresh.scope.settings.signUp, 'off');
    } finally {
      await fresh.close();
    }
  });

  for (const policy of ['off', 'invitation'] as const) {
    it(`${policy}: no link on the sign-in page, the sign-up pages say so (404), and a post creates nobody`, async () => {
      await setSignUp(mail.ctx, policy);
      const b = browser();
      const { page } = await openAppSignIn(b, clientId);
      assert.equal(signUpLinkIn(page.html), undefined);
      const uid = /\/interaction\/([A-Za-z0-9_-]+)\/login/.exec(page.html)?.[1] ?? assert.fail('a login form');
      const csrf = /name="csrf" value="([^"]*)"/.exec(page.html)?.[1] ?? '';
      const form = await b.request(`${ISSUER}/interaction/${uid}/signup`);
      assert.equal(form.status, 404);
      const text = await form.text();
      assert.doesNotMatch(text, /id="signup-form"/);
      assert.match(text, policy === 'invitation' ? /by invitation only/ : /cannot create an account here yourself/);
      assert.equal((await b.request(`${ISSUER}/signup`)).status, 404);
      const posted = await b.request(`${ISSUER}/interaction/${uid}/signup`, {
        method: 'POST',
        headers: FORM_HEADERS,
        body: new URLSearchParams({ csrf, email: `${policy}@example.com`, name: 'No One', password: 'long enough password' }).toString(),
      });
      assert.equal(posted.status, 404);
      assert.equal((await mail.ctx.scope.repos.events.list({ type: 'mail.requested' })).length, 0, 'no mail queued');
    });
  }

  it('open: the sign-in page links to the sign-up inside the same sign-in', async () => {
    await setSignUp(mail.ctx, 'open');
    const b = browser();
    const { page } = await openAppSignIn(b, clientId);
    const uid = /\/interaction\/([A-Za-z0-9_-]+)\/login/.exec(page.html)?.[1];
    assert.equal(signUpLinkIn(page.html), `${ISSUER}/interaction/${uid}/signup`);
    const form = await b.request(signUpLinkIn(page.html) ?? '');
    assert.equal(form.status, 200);
    assert.match(await form.text(), /Your account will also sign you in to <strong>Example Business<\/strong>/);
  });

  it('is per issuer: open at one, off at another', async () => {
    await setSignUp(mail.ctx, 'open');
    await mail.ctx.services.scopes.issuers.create({ id: 'closed', name: 'Closed', settings: {}, domains: [] });
    await updateIssuer(mail.ctx.services, 'closed', { settings: { signUp: 'off' } });
    const b = browser();
    assert.equal((await b.request(`${ISSUER}/closed/signup`)).status, 404);
    assert.equal((await b.request(`${ISSUER}/signup`)).status, 200);
    await updateIssuer(mail.ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: 'off' } });
    assert.equal((await b.request(`${ISSUER}/signup`)).status, 404);
  });
});

describe('sign-up without mail configured', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
    await setSignUp(ctx, 'open');
  });
  after(() => ctx.close());

  it('does not exist even when the setting is open: no address could be verified', async () => {
    const b = inProcessBrowser(ctx);
    const clientId = (await createTestClient(ctx)).client.id;
    const { page } = await openAppSignIn(b, clientId);
    assert.equal(signUpLinkIn(page.html), undefined);
    assert.equal((await b.request(`${ISSUER}/signup`)).status, 404);
  });
});
