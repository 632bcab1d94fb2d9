import type { Context } from 'hono';
import { hashPassword } from '../auth/password.js';
import { passwordLengthIssue } from '../auth/password-policy.js';
import { clientIp } from '../http/client-ip.js';
import { rawQuery, readPageForm } from '../http/form.js';
import { sendPage, seeOther } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import type { IssuerScope } from '../issuers/scope.js';
import { ServiceError } from '../services/errors.js';
import { validateNewUser } from '../services/users.js';
import { DuplicateEmailError } from '../store/repos/users.js';
import { randomToken, sha256 } from '../tokens/random.js';
import { consoleTextOf } from './guard.js';
import { SetupPage, type SetupProblem } from './pages/setup.js';
import { CONSOLE_PATHS } from './paths.js';

/** A setup link works for an hour, once, and only while the issuer has no owner. */
export const SETUP_LINK_SECONDS = 3600;

/**
 * A one-time link to make the issuer's first owner in the browser, or none when it has an owner
 * already. `gatehouse serve` prints it at start; only its hash is stored.
 */
export async function issueSetupLink(scope: IssuerScope): Promise<string | undefined> {
  if ((await scope.repos.adminRoles.ownerCount()) > 0) return undefined;
  const token = randomToken(24);
  await scope.repos.consoleSetupLinks.create(sha256(token), SETUP_LINK_SECONDS);
  return `${scope.href(CONSOLE_PATHS.setup)}?token=${token}`;
}

const tokenOf = (value: string | null): string | undefined => (value && /^[A-Za-z0-9_-]{16,100}$/.test(value) ? value : undefined);

async function state(scope: IssuerScope, token: string | undefined): Promise<'form' | 'owned' | 'expired'> {
  if ((await scope.repos.adminRoles.ownerCount()) > 0) return 'owned';
  if (!token || !(await scope.repos.consoleSetupLinks.isLive(sha256(token)))) return 'expired';
  return 'form';
}

/** GET /admin/setup?token=…: the form for the first owner, or why the link no longer works. */
export async function showSetup(c: Context): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const scope = issuerScope(c);
  const token = tokenOf(new URLSearchParams(rawQuery(c)).get('token'));
  const now = await state(scope, token);
  const frame = { scope, t: consoleTextOf(c) };
  return sendPage(c, SetupPage({ frame, state: now, token: token ?? '', values: {} }), now === 'form' ? 200 : 410);
}

/**
 * POST /admin/setup: makes the account and gives it the owner role, in one transaction that
 * spends the link (of two posts of one link, one wins). The link's token is the form's
 * protection against cross-site posts: no other site knows it.
 */
export async function completeSetup(c: Context): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const scope = issuerScope(c);
  const form = await readPageForm(c);
  const token = tokenOf(form.get('token'));
  const frame = { scope, t: consoleTextOf(c) };
  const values = { email: (form.get('email') ?? '').slice(0, 320), name: (form.get('name') ?? '').slice(0, 200) };
  const now = await state(scope, token);
  if (now !== 'form' || !token) return sendPage(c, SetupPage({ frame, state: now, token: '', values }), 410);
  const again = (problem: SetupProblem): Promise<Response> => sendPage(c, SetupPage({ frame, state: 'form', token, values, problem }), 400);
  const password = form.get('password') ?? '';
  let user: ReturnType<typeof validateNewUser>;
  try {
    user = validateNewUser({ email: values.email, name: values.name || undefined, emailVerified: true });
  } catch (error) {
    if (error instanceof ServiceError)
      return again({ field: error.field === 'email' ? 'email' : 'name', key: error.field === 'email' ? 'setup.badEmail' : 'setup.badName' });
    throw error;
  }
  const issue = passwordLengthIssue(password);
  if (issue) return again({ field: 'password', key: issue === 'short' ? 'setup.shortPassword' : 'setup.longPassword' });
  if (password !== (form.get('confirm') ?? '')) return again({ field: 'confirm', key: 'setup.mismatch' });
  const passwordHash = await hashPassword(password);
  const address = clientIp(c, scope.services.config.trustProxy);
  const outcome = await scope
    .transaction(async (repos): Promise<'done' | 'expired'> => {
      if (!(await repos.consoleSetupLinks.consume(sha256(token)))) return 'expired';
      const created = await repos.users.create({ ...user, passwordHash });
      await repos.adminRoles.set(created.id, 'owner');
      await repos.events.record({ type: 'admin.setup_completed', actor: `user:${created.id}`, userId: created.id, address, payload: {} });
      return 'done';
    })
    .catch((error: unknown) => {
      if (error instanceof DuplicateEmailError) return 'taken' as const;
      throw error;
    });
  if (outcome === 'taken') return again({ field: 'email', key: 'setup.taken' });
  if (outcome === 'expired') return sendPage(c, SetupPage({ frame, state: 'expired', token: '', values }), 410);
  return seeOther(c, `${scope.path(CONSOLE_PATHS.signIn)}?ready=1`);
}
