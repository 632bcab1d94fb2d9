import { z } from 'zod';
import { CONSOLE_CLIENT_PREFIX } from '../../console/client.js';
import type { EventType } from '../../events/catalog.js';
import { type AdminRoute, defineRoute } from './define.js';
import { PROBLEM_RESPONSES } from './responses.js';

const DAY = 86_400;

/** What the overview calls security events: failures, refusals and changes of who may do what. */
export const SECURITY_EVENT_TYPES: readonly EventType[] = [
  'sign_in.failed',
  'sign_in.throttled',
  'token.reused',
  'grant.revoked',
  'access_token.revoked',
  'user.disabled',
  'user.password_changed',
  'client.secret_rotated',
  'key.rotated',
  'admin.role_granted',
  'admin.role_revoked',
  'admin.signed_in',
  'admin.setup_completed',
  // Accounts (issue 20): factors, lockouts, failed codes, sign-up abuse, wallets, passkeys, closing.
  'mfa.failed',
  'mfa.locked',
  'mfa.factor_added',
  'mfa.factor_removed',
  'mfa.recovery_codes_generated',
  'passkey.added',
  'passkey.removed',
  'passkey.used_failed',
  'wallet.linked',
  'wallet.unlinked',
  'sign_in.email_code_failed',
  'password.breached_refused',
  'abuse.proof_of_work_failed',
  'user.sign_up_attempted',
  'user.email_changed',
  'user.closed',
  'grant.scope_removed',
  'identity.linked',
  'identity.unlinked',
];

const daySchema = z.object({
  date: z.iso.date().meta({ description: 'The UTC day' }),
  sign_ins: z.number().int().meta({ description: 'Sessions started (session.started)' }),
  sign_in_failures: z.number().int().meta({ description: 'Failed and throttled password checks (sign_in.failed, sign_in.throttled)' }),
});

export const statsSchema = z
  .object({
    days: z.array(daySchema).meta({ description: 'One entry per day, oldest first, today last' }),
    active_users: z.number().int().meta({ description: 'Distinct users who signed in during the last 30 days' }),
    users: z.number().int(),
    clients: z.number().int(),
    recent_security_events: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        occurred_at: z.iso.datetime(),
        actor: z.string().nullable(),
        address: z.string().nullable(),
        user_id: z.string().nullable(),
        client_id: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Stats' });

const statsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).optional().meta({ description: 'How many days, ending today (default 14)' }),
});

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export const STATS_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/stats',
    operationId: 'getStats',
    summary: 'Sign-ins, failures and recent security events',
    description: 'What the console’s overview shows, counted from the audit log.',
    tag: 'Overview',
    need: 'read',
    query: statsQuery,
    responses: { 200: { description: 'The counts', schema: statsSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const days = query.days ?? 14;
      const [daily, active, users, clients, recent] = await Promise.all([
        scope.repos.eventStats.daily(['session.started', 'sign_in.failed', 'sign_in.throttled'], days),
        scope.repos.eventStats.distinctUsers('session.started', 30 * DAY),
        scope.repos.users.count(),
        scope.repos.clients.count(CONSOLE_CLIENT_PREFIX),
        scope.repos.eventStats.recent(SECURITY_EVENT_TYPES, 10),
      ]);
      const today = Math.floor(scope.services.clock() / DAY) * DAY;
      const series = Array.from({ length: days }, (_, i) => {
        const day = today - (days - 1 - i) * DAY;
        const on = daily.filter((d) => d.day === day);
        const count = (...types: EventType[]): number => on.filter((d) => types.includes(d.type)).reduce((sum, d) => sum + d.count, 0);
        return { date: iso(day).slice(0, 10), sign_ins: count('session.started'), sign_in_failures: count('sign_in.failed', 'sign_in.throttled') };
      });
      return {
        status: 200,
        body: {
          days: series,
          active_users: active,
          users,
          clients,
          recent_security_events: recent.map((e) => ({
            id: e.id,
            type: e.type,
            occurred_at: iso(e.occurredAt),
            actor: e.actor,
            address: e.address,
            user_id: e.userId,
            client_id: e.clientId,
          })),
        },
      };
    },
  }),
];
