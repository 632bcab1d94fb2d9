import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestUser } from '../helpers/harness.js';
import { type MailTestContext, SENT_TEXT, askForLink, browserAt, formError, mailTestContext, mailsTo } from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';
import { createLogger } from '../../src/log.js';

const TOO_MANY = 'Too many requests for a reset link. Wait 60 minutes and try again.';

// "Forgot your password?" must not become a way to flood someone's inbox, from one address or many.
describe('password reset: throttling requests for a link', () => {
  let ctx: TestContext;
  let sink: SmtpSink;

  let mail: MailTestContext;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    mail = await mailTestContext({ logger: createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) });
    ({ ctx, sink } = mail);
  });
  after(() => mail.close());

  it('three links per email an hour, from any number of client addresses; then again after the window', async () => {
    const user = await createTestUser(ctx);
    for (let i = 1; i <= 3; i++) {
      const res = await askForLink(browserAt(ctx, `192.0.2.${i}`), user.email.toUpperCase());
      assert.equal(res.status, 200);
      assert.ok((await res.text()).includes(SENT_TEXT));
    }
    const refused = await askForLink(browserAt(ctx, '192.0.2.4'), user.email);
    assert.equal(refused.status, 429);
    assert.equal(formError(await refused.text()), TOO_MANY);
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 3, 'no fourth mail');
    const logged = lines.filter((l) => l.event === 'password_reset_throttled');
    assert.equal(logged.length, 1, 'the refusal is a security event in the log');
    assert.equal(logged[0]?.request_id, refused.headers.get('x-request-id'));
    assert.ok(!JSON.stringify(logged[0]).includes(user.email.split('@')[0] as string), 'without the email');

    ctx.clock.advance(3600);
    assert.equal((await askForLink(browserAt(ctx, '192.0.2.5'), user.email)).status, 200);
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 4);
  });

  it('an unknown email is limited exactly as a known one, so the limit tells nothing', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await askForLink(browserAt(ctx, `192.0.2.${20 + i}`), 'no-such-user@example.com')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('twenty requests an hour from one client address, whatever the emails', async () => {
    const browser = browserAt(ctx, '198.18.0.1');
    for (let i = 0; i < 20; i++) assert.equal((await askForLink(browser, `someone-${i}@example.com`)).status, 200, `request ${i + 1}`);
    const user = await createTestUser(ctx);
    const refused = await askForLink(browser, user.email);
    assert.equal(refused.status, 429);
    assert.equal(formError(await refused.text()), TOO_MANY);
    assert.deepEqual(await mailsTo(ctx, sink, user.email), []);
    assert.equal((await askForLink(browserAt(ctx, '198.18.0.2'), user.email)).status, 200, 'another address is not held back');
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 1);
  });
});
