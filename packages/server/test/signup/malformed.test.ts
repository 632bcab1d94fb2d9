import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import { createTestClient } from '../helpers/harness.js';
import { type MailTestContext, browserAt } from '../helpers/password-pages.js';
import { openAppSignIn, openSignUpForm, signUpContext, signUpUid } from './signup-pages.js';

describe('sign-up and email pages: malformed requests get a page, never a 500', () => {
  let mail: MailTestContext;
  let uid: string;
  let csrf: string;
  const b = () => browserAt(mail.ctx, '203.0.113.250');

  before(async () => {
    mail = await signUpContext('open');
    const clientId = (await createTestClient(mail.ctx)).client.id;
    const browser = b();
    const form = await openSignUpForm(browser, (await openAppSignIn(browser, clientId)).page);
    uid = signUpUid(form.html);
    csrf = /name="csrf" value="([^"]*)"/.exec(form.html)?.[1] ?? '';
  });
  after(() => mail.close());

  it('answers odd queries, bodies and ids with 4xx pages', async () => {
    const browser = b();
    const requests: [string, string, string | undefined][] = [
      ['GET', `/interaction/${uid}/signup/verify`, undefined],
      ['GET', `/interaction/${uid}/signup/verify?token=${'x'.repeat(5000)}`, undefined],
      ['GET', `/interaction/${uid}/signup/verify?token=a&token=b`, undefined],
      ['GET', '/interaction/not*an*id/signup', undefined],
      ['POST', `/interaction/${uid}/signup/verify`, 'token=%ZZ&csrf='],
      ['POST', `/interaction/${uid}/signup/verify`, `token=${'A'.repeat(43)}&csrf=nope`],
      ['POST', `/interaction/${uid}/signup/code`, `csrf=${csrf}&code=%00%00`],
      ['POST', `/interaction/${uid}/signup`, `csrf=${csrf}&email=${'a'.repeat(400)}%40example.com&name=x&password=long+enough+one`],
      ['POST', `/interaction/${uid}/signup`, `csrf=${csrf}&email=a%40b&name=${'n'.repeat(300)}&password=long+enough+one`],
      ['POST', `/interaction/${uid}/signup`, `csrf=${csrf}&email=a%40b&name=x&password=${'p'.repeat(2000)}`],
      ['PUT', `/interaction/${uid}/signup`, undefined],
      ['DELETE', '/signup', undefined],
      ['GET', '/account/email/verify?token=', undefined],
      ['POST', '/account/email/verify', 'token=&csrf='],
      ['POST', '/account/email/code', 'csrf=x&code=1'],
      ['POST', '/account/email', 'csrf=x&email=x%40example.com'],
    ];
    for (const [method, path, body] of requests) {
      const res = await browser.request(`${ISSUER}${path}`, { method, headers: FORM_HEADERS, ...(body === undefined ? {} : { body }) });
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path.slice(0, 80)}: ${res.status}`);
      await res.arrayBuffer();
    }
  });
});
