import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestUser } from '../helpers/harness.js';
import { type MailTestContext, SENT_TEXT, askForLink, browserAt, mailTestContext } from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';

// The link is sent after the answer: an instance told to stop right then must still hand the
// mail over before it closes the database, or the user is told a link is coming that never does.
describe('password reset: shutting down while a link is being sent', () => {
  let ctx: TestContext;
  let sink: SmtpSink;

  let mail: MailTestContext;
  before(async () => {
    mail = await mailTestContext();
    ({ ctx, sink } = mail);
  });
  after(() => mail.close());

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
