/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { auditEventSchema } from '../../admin/api/audit-log.js';
import { EVENT_TYPES } from '../../events/catalog.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { seconds } from './event-table.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

export type AuditEvent = z.infer<typeof auditEventSchema>;

/** The filters as the page's GET form has them (days as YYYY-MM-DD, UTC). */
export interface AuditFilters {
  type: string;
  user_id: string;
  client_id: string;
  since: string;
  until: string;
}

const LABELS: Readonly<Record<keyof AuditFilters, ConsoleKey>> = {
  type: 'audit.type',
  user_id: 'audit.userId',
  client_id: 'audit.clientId',
  since: 'audit.since',
  until: 'audit.until',
};

function Subject(props: { subject: AuditEvent['subject'] }): Html {
  const parts = [
    props.subject.user_id ? `user:${props.subject.user_id}` : undefined,
    props.subject.client_id ? `client:${props.subject.client_id}` : undefined,
    props.subject.organization_id ? `organization:${props.subject.organization_id}` : undefined,
  ].filter((p): p is string => p !== undefined);
  if (parts.length === 0) return <>—</>;
  return (
    <>
      {parts.map((p) => (
        <code dir="ltr" class="subject">
          {p}
        </code>
      ))}
    </>
  );
}

/** The audit log, newest first, with a GET form of filters and a "More" link that keeps them. */
export function AuditPage(props: { frame: Frame; events: AuditEvent[]; filters: AuditFilters; next?: string; problem?: FormProblem }): Html {
  const { scope, t } = props.frame;
  const f = props.filters;
  const chosen = new Set(f.type.split(','));
  const p = props.problem;
  const title = t.t('audit.title');
  const query = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== ''));
  if (props.next) query.set('cursor', props.next);
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <p class="muted">{t.t('audit.intro')}</p>
      <FieldErrors frame={props.frame} problem={p} labels={LABELS} />
      <form method="get" action={scope.path(CONSOLE_PATHS.audit)} class="filters" aria-label={t.t('audit.filters')}>
        <div>
          <label for="type">{t.t('audit.type')}</label>
          <p class="hint" id="type-hint">
            {t.t('audit.anyType')}
          </p>
          <select id="type" name="type" multiple size={6} {...fieldAttrs(p, 'type', 'type-hint')}>
            {EVENT_TYPES.map((type) => (
              <option value={type} selected={chosen.has(type)}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="user_id">{t.t('audit.userId')}</label>
          <input id="user_id" name="user_id" type="text" dir="ltr" maxlength={200} value={f.user_id} {...fieldAttrs(p, 'user_id')} />
        </div>
        <div>
          <label for="client_id">{t.t('audit.clientId')}</label>
          <input id="client_id" name="client_id" type="text" dir="ltr" maxlength={200} value={f.client_id} {...fieldAttrs(p, 'client_id')} />
        </div>
        <div>
          <label for="since">{t.t('audit.since')}</label>
          <input id="since" name="since" type="date" value={f.since} {...fieldAttrs(p, 'since')} />
        </div>
        <div>
          <label for="until">{t.t('audit.until')}</label>
          <input id="until" name="until" type="date" value={f.until} {...fieldAttrs(p, 'until')} />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t.t('audit.apply')}
          </button>
          <a href={scope.path(CONSOLE_PATHS.audit)}>{t.t('audit.clear')}</a>
        </div>
      </form>
      {props.events.length === 0 ? (
        <p class="muted">{t.t('audit.none')}</p>
      ) : (
        <table class="list" id="audit-events">
          <thead>
            <tr>
              <th scope="col">{t.t('audit.when')}</th>
              <th scope="col">{t.t('audit.type')}</th>
              <th scope="col">{t.t('audit.actor')}</th>
              <th scope="col">{t.t('audit.address')}</th>
              <th scope="col">{t.t('audit.subject')}</th>
              <th scope="col">{t.t('audit.data')}</th>
            </tr>
          </thead>
          <tbody>
            {props.events.map((e) => (
              <tr id={`event-${e.id}`}>
                <td>
                  <time datetime={e.time}>{t.dateTime(seconds(e.time))}</time>
                </td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td dir="ltr">{e.actor ?? '—'}</td>
                <td dir="ltr">{e.address ?? '—'}</td>
                <td>
                  <Subject subject={e.subject} />
                </td>
                <td>{Object.keys(e.data).length === 0 ? '—' : <code dir="ltr">{JSON.stringify(e.data)}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={`${scope.path(CONSOLE_PATHS.audit)}?${query.toString()}`} id="more">
            {t.t('list.more')}
          </a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}
