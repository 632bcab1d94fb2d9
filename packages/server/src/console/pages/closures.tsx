/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { accountClosureSchema } from '../../admin/api/account-closures.js';
import { CLOSE_REASONS } from '../../account/close.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import { userPath } from './users.js';
import { seconds } from './event-table.js';

export type ClosureView = z.infer<typeof accountClosureSchema>;

/**
 * Why people closed their accounts (GET /account-closures of the Admin API), newest first: the
 * reason in the operator's language, the free text as written (in its own direction), the
 * outcome, and the account (a link while its anonymised row is there).
 */
export function ClosuresPage(props: { frame: Frame; closures: ClosureView[]; reason: string; next?: string | undefined }): Html {
  const { scope, t } = props.frame;
  const title = t.t('closures.title');
  const query = new URLSearchParams(props.reason ? { reason: props.reason } : {});
  if (props.next) query.set('cursor', props.next);
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <p class="muted">{t.t('closures.intro')}</p>
      <form method="get" action={scope.path(CONSOLE_PATHS.closures)} class="filters" aria-label={t.t('closures.filter')}>
        <div>
          <label for="reason">{t.t('closures.filter')}</label>
          <select id="reason" name="reason">
            <option value="" selected={props.reason === ''}>
              {t.t('closures.anyReason')}
            </option>
            {CLOSE_REASONS.map((reason) => (
              <option value={reason} selected={props.reason === reason}>
                {t.t(`closures.reason.${reason}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t.t('closures.apply')}
          </button>
        </div>
      </form>
      {props.closures.length === 0 ? (
        <p class="muted" id="no-closures">
          {t.t(props.reason ? 'closures.noMatch' : 'closures.none')}
        </p>
      ) : (
        <table class="list" id="closures">
          <thead>
            <tr>
              <th scope="col">{t.t('closures.when')}</th>
              <th scope="col">{t.t('closures.reason')}</th>
              <th scope="col">{t.t('closures.details')}</th>
              <th scope="col">{t.t('closures.outcome')}</th>
              <th scope="col">{t.t('closures.user')}</th>
            </tr>
          </thead>
          <tbody>
            {props.closures.map((c) => (
              <tr id={`closure-${c.id}`} data-reason={c.reason}>
                <td>
                  <time datetime={c.closed_at}>{t.dateTime(seconds(c.closed_at))}</time>
                </td>
                <td>{t.t(`closures.reason.${c.reason}`)}</td>
                <td class="details">{c.details === null ? '—' : <span dir="auto">{c.details}</span>}</td>
                <td>{t.t(`closures.outcome.${c.outcome}`)}</td>
                <td>
                  {c.outcome === 'anonymised' ? (
                    <a href={scope.path(userPath(c.user_id))} dir="ltr">
                      <code>{c.user_id}</code>
                    </a>
                  ) : (
                    <code dir="ltr">{c.user_id}</code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={`${scope.path(CONSOLE_PATHS.closures)}?${query.toString()}`} id="more">
            {t.t('list.more')}
          </a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}
