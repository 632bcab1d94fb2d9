import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regenerateRecoveryCodes } from '../../src/factors/recovery-factor.js';
import { type CliContext, createCliContext } from './cli-harness.js';

describe('gatehouse user reset-factors', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it('removes the authenticator app and the recovery codes, recorded with the CLI as actor', async () => {
    const user = await cli.repos.users.create({ email: 'lost-phone@example.com', passwordHash: null });
    await cli.repos.totpFactors.startEnrolment(user.id, 'sealed');
    assert.ok(await cli.repos.totpFactors.acceptStep(user.id, 1, true));
    await regenerateRecoveryCodes(cli.repos, user.id);
    const reset = await cli.json<Record<string, unknown>>(['user', 'reset-factors', 'LOST-PHONE@example.com']);
    assert.deepEqual(reset, { sub: user.id, email: 'lost-phone@example.com', totp_removed: true, recovery_codes_removed: 10 });
    assert.equal(await cli.repos.totpFactors.find(user.id), undefined);
    assert.equal(await cli.repos.recoveryCodes.remaining(user.id), 0);
    const events = await cli.repos.events.list({ type: 'mfa.factor_removed', userId: user.id });
    assert.deepEqual(events.map((e) => [e.actor, (e.payload as { factor: string }).factor]).sort(), [
      ['cli', 'recovery'],
      ['cli', 'totp'],
    ]);
    const again = await cli.json<Record<string, unknown>>(['user', 'reset-factors', user.id]);
    assert.equal(again.totp_removed, false, 'running it again is harmless');
    assert.equal((await cli.run(['user', 'reset-factors', 'nobody@example.com'])).code, 1);
  });
});
