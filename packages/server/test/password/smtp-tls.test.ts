import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, TEST_SECRET, createTestContext, createTestUser } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { freePort } from '../helpers/live-server.js';
import { SENT_TEXT, submitForm } from '../helpers/password-pages.js';
import { type PrivateCa, createPrivateCa } from '../helpers/private-ca.js';
import { type GatehouseProcess, startGatehouse } from '../helpers/process.js';
import { type TlsSmtpServer, startTlsSmtpServer } from '../helpers/tls-smtp.js';
import { until } from '../helpers/wait.js';
import { issuerAt } from '../helpers/prefix.js';

/** The JSON log lines a process has written so far. */
function logLines(server: GatehouseProcess): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// The SMTP sink of the other tests is plain SMTP on loopback. Here the relay has a certificate
// from a CA of its own, and a real `gatehouse serve` process is started with or without that CA
// in NODE_EXTRA_CA_CERTS, since Node reads it only at process start.
describe('password reset: mail over TLS to a relay with a private CA', () => {
  let ca: PrivateCa;
  let ctx: TestContext;
  const processes: GatehouseProcess[] = [];
  const relays: TlsSmtpServer[] = [];

  before(async () => {
    ca = createPrivateCa();
    ctx = await createTestContext();
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all(relays.map((r) => r.close()));
    await ctx.close();
    ca.remove();
  });

  async function relay(implicitTls: boolean): Promise<TlsSmtpServer> {
    const smtp = await startTlsSmtpServer({ key: ca.key, cert: ca.cert, implicitTls });
    relays.push(smtp);
    return smtp;
  }

  /**
   * Starts gatehouse with mail to `smtp` and asks for a link for a new user through the form.
   * `extraCa` empty: the variable is set to nothing, not inherited, as the environment running
   * the tests may name a CA file of its own.
   */
  async function askForLinkVia(
    smtp: TlsSmtpServer,
    extraCa: string,
  ): Promise<{ server: GatehouseProcess; issuer: string; browser: HttpBrowser; email: string }> {
    const port = await freePort();
    const issuer = issuerAt(`http://127.0.0.1:${port}`);
    const server = await startGatehouse({
      PORT: String(port),
      GATEHOUSE_ISSUER: issuer,
      GATEHOUSE_DATABASE_URL: ctx.databaseUrl,
      GATEHOUSE_DATA_DIR: ctx.config.dataDir,
      GATEHOUSE_SECRET: TEST_SECRET,
      GATEHOUSE_SMTP_URL: smtp.url,
      GATEHOUSE_MAIL_FROM: 'no-reply@example.com',
      NODE_EXTRA_CA_CERTS: extraCa,
    });
    processes.push(server);
    const { email } = await createTestUser(ctx);
    const browser = new HttpBrowser();
    const res = await submitForm(browser, `${issuer}/password/forgot`, '/password/forgot', { email });
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(SENT_TEXT));
    return { server, issuer, browser, email };
  }

  /** Waits until the mail is handed over or its first attempt has failed (and is to be retried). */
  async function outcome(server: GatehouseProcess, smtp: TlsSmtpServer): Promise<void> {
    const logged = (event: string): boolean => logLines(server).some((l) => l.event === event);
    await until(() => smtp.received.length > 0 || logged('password_reset_mailed') || logged('password_reset_mail_deferred'), 'the mail is sent or deferred', {
      detail: () => `gatehouse wrote:\n${server.output()}`,
    });
  }

  it('smtp:// with the CA: upgrades with STARTTLS, authenticates and delivers a link that works', async () => {
    const smtp = await relay(false);
    assert.match(smtp.url, /^smtp:\/\/[^@]+@localhost:\d+$/);
    const { server, issuer, browser, email } = await askForLinkVia(smtp, ca.caFile);
    await outcome(server, smtp);
    assert.equal(smtp.received.length, 1, `one mail; gatehouse wrote:\n${server.output()}`);
    const mail = smtp.received[0];
    assert.ok(mail);
    assert.deepEqual(mail.to, [email]);
    assert.equal(mail.secure, true, 'the session was upgraded to TLS before the message');
    assert.deepEqual(smtp.logins, [{ secure: true }], 'the password went over TLS only');

    const link = /\S+\/password\/reset\?token=[A-Za-z0-9_-]{43}&ui_locales=en(?=\s)/.exec(mail.text)?.[0];
    assert.ok(link, `a reset link in: ${mail.text}`);
    assert.ok(link.startsWith(`${issuer}/password/reset?token=`), link);
    const form = await browser.request(link);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /Choose a new password/);
  });

  it('smtp:// without the CA: the certificate is refused, nothing is sent, a warning is logged and the mail kept for a retry', async () => {
    const smtp = await relay(false);
    const { server, email } = await askForLinkVia(smtp, '');
    await outcome(server, smtp);
    const kept = await ctx.services.store.db
      .selectFrom('event_deliveries')
      .innerJoin('events', 'events.id', 'event_deliveries.event_id')
      .select(['event_deliveries.attempts', 'events.payload'])
      .where('event_deliveries.dead_at', 'is', null)
      .execute();
    assert.deepEqual(
      kept.filter((r) => (JSON.parse(r.payload) as { recipient: string }).recipient === email).map((r) => r.attempts),
      [1],
    );
    // Not given up: an operator who adds the CA and restarts gets the mail out (mail/outbox.ts).
    const warning = logLines(server).find((l) => l.event === 'password_reset_mail_deferred');
    assert.ok(warning, `the failure is logged; gatehouse wrote:\n${server.output()}`);
    assert.equal(warning.level, 'warn');
    // The reason is the certificate (OpenSSL's words for a chain it cannot complete), not a
    // refused connection or login.
    assert.match(String(warning.error), /unable to (verify the first|get local issuer) certificate/);
    assert.deepEqual(smtp.received, [], 'no mail, encrypted or not');
    assert.deepEqual(smtp.logins, [], 'and the password was not sent either');
  });

  it('smtps:// with the CA: TLS from the first byte, and the mail arrives', async () => {
    const smtp = await relay(true);
    assert.match(smtp.url, /^smtps:\/\//);
    const { server, email } = await askForLinkVia(smtp, ca.caFile);
    await outcome(server, smtp);
    assert.equal(smtp.received.length, 1, `one mail; gatehouse wrote:\n${server.output()}`);
    assert.deepEqual(smtp.received[0]?.to, [email]);
    assert.equal(smtp.received[0]?.secure, true);
    assert.deepEqual(smtp.logins, [{ secure: true }]);
  });
});
