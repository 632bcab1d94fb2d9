import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../src/log.js';
import { MAIL_CONSUMER, OUTBOX_TIMING } from '../../src/mail/outbox.js';
import { RESET_MAIL } from '../../src/password/reset-links.js';
import { startServer } from '../../src/server.js';
import { type Services, createServices } from '../../src/services.js';
import { openStore } from '../../src/store/db.js';
import { EventDeliveryRepository } from '../../src/store/repos/event-deliveries.js';
import { type TestContext, createTestUser } from '../helpers/harness.js';
import { type MailTestContext, SENT_TEXT, askForLink, browserAt, linkIn, mailTestContext, mailsTo, setNewPassword } from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';

// "We have sent you a link" is a promise: the request stores the mail before it is answered,
// and it is sent until the SMTP server takes it, by this instance or any other, after a
// deferral or a crash.
describe('password reset: mail that could not be sent at once', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  let events: Record<string, unknown>[];
  let ip = 0;
  const nextBrowser = () => browserAt(ctx, `203.0.113.${++ip}`);
  const eventsNamed = (name: string) => events.filter((e) => e.event === name);
  // Mail still to send: the mail consumer's deliveries that are not dead letters.
  const pending = () =>
    ctx.services.store.db.selectFrom('event_deliveries').selectAll().where('consumer', '=', MAIL_CONSUMER).where('dead_at', 'is', null).execute();
  const deadLetters = () => new EventDeliveryRepository(ctx.services.store.db, ctx.clock).dead(MAIL_CONSUMER);

  /** Another instance on the same database, as behind a load balancer or after a restart. */
  async function otherInstance(): Promise<Services> {
    return createServices(ctx.config, {
      clock: ctx.clock,
      store: openStore(ctx.databaseUrl),
      logger: createLogger('debug', (line) => events.push(JSON.parse(line) as Record<string, unknown>)),
    });
  }

  /** Starts another instance's outbox, lets it send what it finds, and closes that instance. */
  async function drainFromOtherInstance(): Promise<void> {
    const other = await otherInstance();
    try {
      other.outbox?.start();
      await other.background.settled();
    } finally {
      await other.close();
    }
  }

  let mail: MailTestContext;
  before(async () => {
    events = [];
    mail = await mailTestContext({ logger: createLogger('debug', (line) => events.push(JSON.parse(line) as Record<string, unknown>)) });
    ({ ctx, sink } = mail);
  });
  after(() => mail.close());
  beforeEach(async () => {
    await ctx.services.background.settled();
    sink.defer = false;
    sink.refuse = false;
    events.length = 0;
    await ctx.services.store.db.deleteFrom('event_deliveries').execute();
  });

  it('a deferred mail is sent again after the back-off, once, and its link works', async () => {
    const user = await createTestUser(ctx);
    sink.defer = true;
    const res = await askForLink(nextBrowser(), user.email);
    assert.ok((await res.text()).includes(SENT_TEXT));
    assert.deepEqual(await mailsTo(ctx, sink, user.email), []);
    const [row] = await pending();
    assert.equal(row?.attempts, 1, 'kept for another try');
    assert.equal(Number(row?.not_before), ctx.clock() + OUTBOX_TIMING.firstRetrySeconds);
    const [deferred] = eventsNamed('password_reset_mail_deferred');
    assert.equal(deferred?.level, 'warn');
    assert.equal(deferred?.retry_in_seconds, OUTBOX_TIMING.firstRetrySeconds);
    assert.match(String(deferred?.error), /451/);

    sink.defer = false;
    ctx.services.outbox?.kick();
    assert.deepEqual(await mailsTo(ctx, sink, user.email), [], 'not before its time');
    ctx.clock.advance(OUTBOX_TIMING.firstRetrySeconds);
    ctx.services.outbox?.kick();
    const mails = await mailsTo(ctx, sink, user.email);
    assert.equal(mails.length, 1);
    assert.deepEqual(await pending(), [], 'gone once accepted');
    const done = await setNewPassword(nextBrowser(), linkIn(mails[0]), 'a brand new passphrase');
    assert.equal(done.status, 200);
  });

  it('each retry waits twice as long, and the mail is given up 15 minutes after the request', async () => {
    const user = await createTestUser(ctx);
    sink.defer = true;
    await askForLink(nextBrowser(), user.email);
    await ctx.services.background.settled();
    const waits: unknown[] = [];
    for (let i = 0; i < 20 && (await pending()).length > 0; i++) {
      const [row] = await pending();
      ctx.clock.set(Number(row?.not_before));
      ctx.services.outbox?.kick();
      await ctx.services.background.settled();
    }
    for (const e of eventsNamed('password_reset_mail_deferred')) waits.push(e.retry_in_seconds);
    assert.deepEqual(waits, [15, 30, 60, 120, 240, 300]);
    const [failed] = eventsNamed('password_reset_mail_failed');
    assert.equal(failed?.attempts, 7);
    assert.deepEqual(await pending(), []);
    const [dead] = await deadLetters();
    assert.equal(dead?.attempts, 7, 'kept as a dead letter');
    assert.match(String(dead?.lastError), /451/);
    assert.deepEqual(await mailsTo(ctx, sink, user.email), []);
  });

  it('a permanent refusal is not tried again', async () => {
    const user = await createTestUser(ctx);
    sink.refuse = true;
    await askForLink(nextBrowser(), user.email);
    await ctx.services.background.settled();
    assert.equal(eventsNamed('password_reset_mail_failed').length, 1);
    assert.equal(eventsNamed('password_reset_mail_deferred').length, 0);
    assert.deepEqual(await pending(), []);
    assert.equal((await deadLetters()).length, 1, 'kept as a dead letter');
  });

  it('an unknown email leaves nothing behind and sends nothing', async () => {
    const res = await askForLink(nextBrowser(), 'nobody-here@example.com');
    assert.ok((await res.text()).includes(SENT_TEXT));
    assert.deepEqual(await mailsTo(ctx, sink, 'nobody-here@example.com'), []);
    assert.deepEqual(await pending(), []);
  });

  it('a mail stored by an instance that died before sending it goes out when another starts', async () => {
    const user = await createTestUser(ctx);
    // What the request wrote before it was answered; its process ended there.
    await ctx.scope.repos.mailOutbox.enqueue(RESET_MAIL, user.email);
    await drainFromOtherInstance();
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 1);
    assert.deepEqual(await pending(), []);
  });

  it('a server that starts sends the mail waiting for it, without a request', async () => {
    const user = await createTestUser(ctx);
    await ctx.scope.repos.mailOutbox.enqueue(RESET_MAIL, user.email);
    const other = await otherInstance();
    const server = await startServer(other, { port: 0, host: '127.0.0.1' });
    try {
      await other.background.settled();
    } finally {
      await server.close();
    }
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 1);
  });

  it('a mail one instance was deferred is sent by another, after the back-off', async () => {
    const user = await createTestUser(ctx);
    sink.defer = true;
    await askForLink(nextBrowser(), user.email);
    await ctx.services.background.settled();
    sink.defer = false;
    ctx.clock.advance(OUTBOX_TIMING.firstRetrySeconds);
    await drainFromOtherInstance();
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 1);
  });

  it('a mail a dead instance was sending is taken again once its lease runs out', async () => {
    const user = await createTestUser(ctx);
    await ctx.scope.repos.mailOutbox.enqueue(RESET_MAIL, user.email);
    // Claimed as a sender does, then the sender dies.
    assert.ok(await new EventDeliveryRepository(ctx.services.store.db, ctx.clock).claim(MAIL_CONSUMER, OUTBOX_TIMING.leaseSeconds));
    ctx.services.outbox?.kick();
    assert.deepEqual(await mailsTo(ctx, sink, user.email), [], 'another sender holds it');
    ctx.clock.advance(OUTBOX_TIMING.leaseSeconds);
    ctx.services.outbox?.kick();
    assert.equal((await mailsTo(ctx, sink, user.email)).length, 1);
  });

  it('instances draining the same outbox at once send each mail once', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createTestUser(ctx)));
    for (const user of users) await ctx.scope.repos.mailOutbox.enqueue(RESET_MAIL, user.email);
    const others = await Promise.all([otherInstance(), otherInstance()]);
    try {
      ctx.services.outbox?.kick();
      for (const other of others) other.outbox?.start();
      await Promise.all([ctx.services.background.settled(), ...others.map((o) => o.background.settled())]);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    for (const user of users) assert.equal((await mailsTo(ctx, sink, user.email)).length, 1, `one mail to ${user.email}`);
    assert.deepEqual(await pending(), []);
  });
});
