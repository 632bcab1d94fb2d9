import { z } from 'zod';
import { CLOSE_REASONS } from '../../account/close.js';
import type { AccountClosure } from '../../store/repos/account-closures.js';
import { type AdminRoute, defineRoute } from './define.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf, pageQuery, pageSchema } from './paging.js';
import { PROBLEM_RESPONSES } from './responses.js';

export const accountClosureSchema = z
  .object({
    id: z.string().meta({ description: 'Stable; pages are ordered by time, then id, newest first' }),
    user_id: z.string().meta({ description: 'The closed account (an anonymised row keeps it; a deleted one is gone)' }),
    reason: z.enum(CLOSE_REASONS).meta({ description: 'The choice the person made on the close page' }),
    details: z.string().nullable().meta({ description: 'What they wrote, as they wrote it (up to 2000 characters); null when nothing' }),
    outcome: z.enum(['deleted', 'anonymised']).meta({ description: 'What became of the account (the issuer’s closed_accounts setting then)' }),
    closed_at: z.iso.datetime(),
  })
  .meta({ id: 'AccountClosure' });

const closuresQuery = z.strictObject({
  ...pageQuery,
  reason: z
    .enum(CLOSE_REASONS)
    .optional()
    .meta({ description: `Only closures for this reason: ${CLOSE_REASONS.join(', ')}` }),
});

export function accountClosureView(c: AccountClosure): z.infer<typeof accountClosureSchema> {
  const reason = (CLOSE_REASONS as readonly string[]).includes(c.reason) ? (c.reason as (typeof CLOSE_REASONS)[number]) : 'other';
  return { id: c.id, user_id: c.userId, reason, details: c.details, outcome: c.outcome, closed_at: new Date(c.closedAt * 1000).toISOString() };
}

export const ACCOUNT_CLOSURE_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/account-closures',
    operationId: 'listAccountClosures',
    summary: 'Why people closed their accounts',
    description:
      'The reasons users gave when they closed their own account on `<issuer>/account/close` (a choice and free text), newest first, with what became of the account. Kept per issuer for the operator; the matching `user.closed` event carries no reason.',
    tag: 'Users',
    need: 'read',
    query: closuresQuery,
    responses: { 200: { description: 'A page of closures, newest first', schema: pageSchema(accountClosureSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.accountClosures.page({ limit: limit + 1, before: decodeCursor(query.cursor), reason: query.reason });
      return { status: 200, body: pageOf(rows, limit, (c) => [c.closedAt, c.id], accountClosureView) };
    },
  }),
];
