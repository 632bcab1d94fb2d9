import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isRefusedAddress } from '../../src/webhooks/addresses.js';
import { WebhookSendError, parseAllowedHosts, postWebhook } from '../../src/webhooks/outbound.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Receiver, startReceiver } from './receiver.js';

describe('outbound safety of webhooks', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answers.length = 0;
    receiver.otherwise = { status: 204 };
  });

  const refused = async (url: string, allowed = parseAllowedHosts(''), reason: RegExp = /private, loopback or reserved/): Promise<void> => {
    await assert.rejects(postWebhook(url, {}, '{}', allowed), (error: unknown) => error instanceof WebhookSendError && reason.test(error.message));
  };

  it('refuses private, loopback, link-local, unique-local, multicast and unspecified addresses, IPv4-mapped ones too', async () => {
    await refused('https://10.0.0.1/hook');
    await refused('https://169.254.169.254/latest/meta-data/');
    await refused('https://192.168.1.10/');
    await refused('https://172.20.0.1/');
    await refused('https://0.0.0.0/');
    await refused('https://224.0.0.1/');
    await refused(`https://[::1]:${receiver.port}/hook`);
    await refused('https://[fe80::1]/');
    await refused('https://[fd12:3456::1]/');
    await refused('https://[ff02::1]/');
    await refused('https://[::]/');
    await refused('https://[::ffff:127.0.0.1]/');
    await refused('https://[::ffff:a9fe:a9fe]/');
    for (const open of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isRefusedAddress(open), false, open);
  });

  it('refuses a host name that resolves to a loopback address (the check is on what it resolves to)', async () => {
    await refused(`https://localhost:${receiver.port}/hook`);
    // Allowed by address, the name is still not: the list names hosts as the URL does.
    await refused(`https://localhost:${receiver.port}/hook`, parseAllowedHosts('127.0.0.1'));
    assert.equal(receiver.received.length, 0);
  });

  it('requires https except to allowed hosts, whose port must match when the entry names one', async () => {
    await refused(receiver.url(), parseAllowedHosts(''), /https/);
    await refused(receiver.url(), parseAllowedHosts(`127.0.0.1:${receiver.port + 1}`), /https/);
    const answer = await postWebhook(receiver.url(), {}, '{"a":1}', parseAllowedHosts(`127.0.0.1:${receiver.port}`));
    assert.equal(answer.status, 204);
    assert.equal(receiver.received[0]?.body, '{"a":1}');
    assert.throws(() => parseAllowedHosts('host:99999'), /host:port/);
    assert.throws(() => parseAllowedHosts('https://x'), /host:port/);
    assert.deepEqual(parseAllowedHosts(' A.example , [::1]:8443 '), [
      { host: 'a.example', port: undefined },
      { host: '::1', port: 8443 },
    ]);
  });

  it('does not follow redirects: a 3xx is a failure, and the place it points to gets nothing', async () => {
    receiver.answers.push({ status: 302, headers: { location: receiver.url('/elsewhere') } });
    await assert.rejects(
      postWebhook(receiver.url('/hook'), {}, '{}', parseAllowedHosts('127.0.0.1')),
      (error: unknown) => error instanceof WebhookSendError && error.status === 302 && /redirects are not followed/.test(error.message),
    );
    assert.deepEqual(
      receiver.received.map((r) => r.path),
      ['/hook'],
    );
  });

  it('reads at most a kilobyte of the answer', async () => {
    receiver.answers.push({ status: 500, body: 'x'.repeat(200_000) });
    await assert.rejects(postWebhook(receiver.url(), {}, '{}', parseAllowedHosts('127.0.0.1')), (error: unknown) => {
      assert.ok(error instanceof WebhookSendError);
      assert.equal(error.excerpt?.length, 1024);
      return true;
    });
  });

  describe('in delivery', () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    });
    after(() => ctx.close());

    it('logs a refused destination as a failed attempt and sends nothing (a name that resolves to 127.0.0.1)', async () => {
      const { endpoint } = await createWebhook(ctx.scope, { url: `https://localhost:${receiver.port}/hook`, events: 'user.created' });
      await createTestUser(ctx);
      ctx.services.webhooks.kick();
      await ctx.services.background.settled();
      assert.equal(receiver.received.length, 0);
      const [attempt] = await ctx.scope.repos.webhooks.attempts(endpoint.id, { limit: 5 });
      assert.equal(attempt?.status, null);
      assert.match(attempt?.error ?? '', /resolves to .*loopback/);
      const [queued] = await ctx.scope.repos.webhooks.queued(endpoint.id);
      assert.equal(queued?.deadAt, null, 'retried later: DNS may change');
    });

    it('logs a redirect as a failure with its status', async () => {
      receiver.otherwise = { status: 301, headers: { location: 'https://example.com/' }, body: 'moved' };
      const { endpoint } = await createWebhook(ctx.scope, { url: receiver.url('/moved'), events: 'user.created' });
      await createTestUser(ctx);
      ctx.services.webhooks.kick();
      await ctx.services.background.settled();
      const [attempt] = await ctx.scope.repos.webhooks.attempts(endpoint.id, { limit: 5 });
      assert.equal(attempt?.status, 301);
      assert.equal(attempt?.response, 'moved');
      assert.equal(receiver.received.filter((r) => r.path !== '/moved').length, 0);
    });
  });
});
