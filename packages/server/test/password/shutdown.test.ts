import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestUser } from '../helpers/harness.js';
import { type MailTestContext, SENT_TEXT, askForLink, browserAt, mailTestContext } from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';
import { stillPending, within } from '../helpers/wait.js';

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
    sink.hold = true;
    // The SMTP server accepts nothing until the test says so: an answer that waited for the mail never comes.
    const res = await within(askForLink(browserAt(ctx, '192.0.2.10'), user.email), 'the answer, which does not wait for the mail');
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(SENT_TEXT));
    await within(sink.holding(), 'the mail to reach the SMTP server');

    const closing = ctx.services.close();
    try {
      assert.equal(await stillPending(closing, 400), true, 'the close waits while the SMTP server has not accepted the mail');
    } finally {
      sink.release();
    }
    await closing;
    assert.deepEqual(
      sink.received.map((m) => m.to),
      [[user.email]],
      'delivered before the close finished',
    );
  });
});
