import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInOnAccountPage } from '../helpers/account-pages.js';
import { createTestUser } from '../helpers/harness.js';
import { type LoggedContext, loggedContext } from '../helpers/logged-statements.js';
import { browserAt } from '../helpers/password-pages.js';

const THROTTLE = /rate_limits|known_login_addresses/;

// What the sign-in throttle costs a sign-in (docs/production.md): on PostgreSQL the reservation
// rides in the statement that reads the account and the interaction, and a right password costs
// one more statement, its release (which also remembers a new address).
describe('statements of the sign-in throttle', () => {
  let logged: LoggedContext;
  before(async () => {
    logged = await loggedContext({ GATEHOUSE_TRUST_PROXY: 'true' });
  });
  after(() => logged.ctx.close());

  /** The throttle's statements of one sign-in (the form's POST only). */
  async function signInStatements(email: string, ip: string, password?: string): Promise<string[]> {
    const browser = browserAt(logged.ctx, ip);
    const original = browser.request.bind(browser);
    browser.request = async (input, init) => {
      if (init?.method === 'POST') logged.statements.length = 0;
      return original(input, init);
    };
    await signInOnAccountPage(browser, email, password);
    return logged.statements.filter((s) => THROTTLE.test(s));
  }

  it('a right password costs one statement more than the read it shares; a new address no more on PostgreSQL', async () => {
    const user = await createTestUser(logged.ctx);
    const postgres = logged.backend === 'postgres';
    const first = await signInStatements(user.email, '192.0.2.10');
    const again = await signInStatements(user.email, '192.0.2.10');
    const wrong = await signInStatements(user.email, '192.0.2.10', 'not the password');
    // PostgreSQL: the reservation in the read, then the release (with the address remembered).
    // SQLite, which has no writes in WITH: the reservation, the read, the release, the address.
    assert.equal(first.length, postgres ? 2 : 4, first.join('\n'));
    assert.equal(again.length, postgres ? 2 : 3, again.join('\n'));
    assert.equal(wrong.length, postgres ? 1 : 2, `a failure stays counted, nothing more: ${wrong.join('\n')}`);
    if (postgres) assert.match(first[0] as string, /^with "reserved" as \(insert into "rate_limits"/, 'the reservation rides in the read');
  });
});
