import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { SENT_TEXT, askForLink, browserAt } from '../helpers/password-pages.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

// The link is sent after the answer: an instance told to stop right then must still hand the
// mail over before it closes the database, or the user is told a link is coming that never does.
describe('password reset: shutting down while a link is being sent', () => {
  let ctx: TestContext;
  let sink: SmtpSink;

  before(async () => {
    sink = await startSmtpSink();
    ctx = await createTestContext({ GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
  });
  after(async () => {
    await ctx.close();
    await sink.close();
  });

  it('waits for the SMTP server to accept the mail before closing', async () => {
    const user = await createTestUser(ctx);
    sink.delayMs = 400;
    const res = await askForLink(browserAt(ctx, '192.0.2.10'), user.email);
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(SENT_TEXT));
    assert.equal(sink.received.length, 0, 'the answer came before the mail went out');

    await ctx.services.close();
    assert.deepEqual(sink.received.map((m) => m.to), [[user.email]], 'delivered before the close finished');
  });
});
