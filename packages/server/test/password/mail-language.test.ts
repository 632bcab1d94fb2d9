import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { interactionUid, openLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl } from '../helpers/flow.js';
import { createTestClient, createTestUser } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { type MailTestContext, mailTestContext, mailsTo, submitForm } from '../helpers/password-pages.js';
import { at } from '../helpers/prefix.js';

const NEW_PASSWORD = 'a new and long enough password';
const LINK = new RegExp(`${ISSUER.replace(/[.:/]/g, '\\$&')}/password/reset\\?token=[A-Za-z0-9_-]{43}&ui_locales=([a-z]{2})(?=\\s)`);

// The mail is sent later, from the outbox: its language is the one stored with the request.
describe('password reset: the mail in the language of the page it was asked from', () => {
  let m: MailTestContext;
  let clientId: string;

  before(async () => {
    m = await mailTestContext();
    clientId = (await createTestClient(m.ctx)).client.id;
  });
  after(() => m.close());

  const speaking = (languages?: string): HttpBrowser =>
    new HttpBrowser((input, init) => {
      const headers = new Headers(init?.headers);
      if (languages) headers.set('accept-language', languages);
      return Promise.resolve(m.ctx.app.request(input, { ...init, headers }));
    });

  it('from a sign-in asked in German (ui_locales), the reset pages, the mail and its link stay German', async () => {
    const user = await createTestUser(m.ctx);
    const browser = speaking('en');
    const login = await openLoginPage(browser, authorizeUrl(clientId, { ui_locales: 'de' }).url);
    const forgot = /<a href="([^"]+)" id="forgot-password"/.exec(login.html)?.[1]?.replace(/&amp;/g, '&');
    assert.equal(forgot, at(`/password/forgot?return=${interactionUid(login.html)}&ui_locales=de`));

    const sent = await submitForm(browser, new URL(forgot ?? '', ISSUER).href, '/password/forgot', { email: user.email });
    const sentHtml = await sent.text();
    assert.match(sentHtml, /<html lang="de" dir="ltr">/);
    assert.match(sentHtml, /Sehen Sie in Ihren E-Mails nach/);

    const [mail] = await mailsTo(m.ctx, m.sink, user.email);
    assert.ok(mail);
    assert.equal(mail.subject, 'Ihr Passwort für Gatehouse zurücksetzen');
    assert.match(mail.text, /innerhalb von 30 Minuten diesen Link/);
    const link = LINK.exec(mail.text);
    assert.equal(link?.[1], 'de');

    // Opened anywhere, even in a browser that asks for English, the link's page is German.
    const reset = await speaking('en').request(link?.[0] ?? '');
    const resetHtml = await reset.text();
    assert.match(resetHtml, /<h1 id="page-title">Neues Passwort wählen<\/h1>/);
    assert.ok(resetHtml.includes(`action="${at('/password/reset?ui_locales=de')}"`), 'the form posts to the reset page, in German');
    const changed = await submitForm(speaking('en'), link?.[0] ?? '', '/password/reset', { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.match(await changed.text(), /Ihr Passwort wurde geändert/);
  });

  it('asked from a page in the browser’s language (French, Arabic), the mail is in that language', async () => {
    for (const [languages, subject, locale] of [
      ['fr-FR,fr;q=0.9', 'Réinitialiser votre mot de passe Gatehouse', 'fr'],
      ['ar', 'إعادة تعيين كلمة مرورك في Gatehouse', 'ar'],
    ] as const) {
      const user = await createTestUser(m.ctx);
      await submitForm(speaking(languages), `${ISSUER}/password/forgot`, '/password/forgot', { email: user.email });
      const [mail] = await mailsTo(m.ctx, m.sink, user.email);
      assert.equal(mail?.subject, subject);
      assert.equal(LINK.exec(mail?.text ?? '')?.[1], locale, mail?.text);
    }
  });

  it('a row written before the outbox kept a language goes out in English', async () => {
    const user = await createTestUser(m.ctx);
    await m.ctx.scope.repos.mailOutbox.enqueue('password_reset', user.email);
    m.ctx.services.outbox?.kick();
    const [mail] = await mailsTo(m.ctx, m.sink, user.email);
    assert.equal(mail?.subject, 'Reset your Gatehouse password');
  });
});
