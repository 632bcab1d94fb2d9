/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import { Copyable } from './apps.js';
import { ListHead } from './list-head.js';
import { type PageNotice, PageNoticeOf } from './page-notice.js';

/** An endpoint as GET /webhooks answers it. */
export interface WebhookRow {
  id: string;
  url: string;
  events: string;
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
}

/** One attempt as GET /webhooks/{id}/deliveries answers it. */
export interface AttemptRow {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: number | null;
  latency_ms: number;
  response: string | null;
  error: string | null;
  at: string;
}

export type { PageNotice } from './page-notice.js';

const detailPath = (id: string): string => `${CONSOLE_PATHS.webhooks}/${encodeURIComponent(id)}`;

/** The endpoints, and the form that adds one. */
export function WebhooksPage(props: {
  frame: Frame;
  endpoints: WebhookRow[];
  canWrite: boolean;
  notice?: PageNotice;
  values?: { url: string; events: string; description: string };
}): Html {
  const { scope, t } = props.frame;
  const title = t.t('webhooks.title');
  const values = props.values ?? { url: '', events: '', description: '' };
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <PageNoticeOf notice={props.notice} />
      <p class="muted">{t.t('webhooks.intro')}</p>
      {props.endpoints.length === 0 ? (
        <p>{t.t('webhooks.none')}</p>
      ) : (
        <table class="list">
          <ListHead columns={[t.t('webhooks.url'), t.t('webhooks.events'), t.t('webhooks.description'), t.t('webhooks.state')]} actions={false} />
          <tbody>
            {props.endpoints.map((e) => (
              <tr>
                <td>
                  <a href={scope.path(detailPath(e.id))} dir="ltr">
                    {e.url}
                  </a>
                </td>
                <td>
                  <code dir="ltr">{e.events}</code>
                </td>
                <td>{e.description}</td>
                <td>{e.enabled ? t.t('webhooks.enabled') : t.t('webhooks.disabled', { reason: e.disabled_reason ?? '' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite ? (
        <form method="post" action={scope.path(CONSOLE_PATHS.webhooks)}>
          <Csrf frame={props.frame} />
          <h2>{t.t('webhooks.create')}</h2>
          <label for="url">{t.t('webhooks.url')}</label>
          <input id="url" name="url" type="url" required maxlength={2000} value={values.url} dir="ltr" />
          <label for="events">{t.t('webhooks.events')}</label>
          <input id="events" name="events" required maxlength={2000} value={values.events} dir="ltr" aria-describedby="events-hint" />
          <p class="hint" id="events-hint">
            {t.t('webhooks.eventsHint')}
          </p>
          <label for="description">{t.t('webhooks.description')}</label>
          <input id="description" name="description" maxlength={500} value={values.description} />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('webhooks.createButton')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

/** After a create or a rotation: the secret, this once. */
export function WebhookSecretPage(props: { frame: Frame; endpoint: { id: string; url: string }; secret: string }): Html {
  const { scope, t } = props.frame;
  const title = t.t('webhooks.secretTitle', { url: props.endpoint.url });
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <Notice kind="ok">{t.t('webhooks.secretOnce')}</Notice>
      <Copyable id="webhook-secret" label={t.t('webhooks.secret')} value={props.secret} copy={t.t('action.copy')} />
      <p class="actions">
        <a class="button primary" href={scope.path(detailPath(props.endpoint.id))}>
          {t.t('webhooks.toDetail')}
        </a>
      </p>
    </ConsoleLayout>
  );
}

/** One endpoint: its settings, rotation, test, deletion, and its delivery log with replay. */
export function WebhookDetailPage(props: {
  frame: Frame;
  endpoint: WebhookRow;
  attempts: AttemptRow[];
  next: string | null;
  canWrite: boolean;
  notice?: PageNotice;
}): Html {
  const { scope, t } = props.frame;
  const e = props.endpoint;
  const base = detailPath(e.id);
  const title = e.url;
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title" dir="ltr">
        {title}
      </h1>
      <PageNoticeOf notice={props.notice} />
      <p>{e.enabled ? t.t('webhooks.enabled') : t.t('webhooks.disabled', { reason: e.disabled_reason ?? '' })}</p>
      {props.canWrite ? (
        <form method="post" action={scope.path(base)}>
          <Csrf frame={props.frame} />
          <h2>{t.t('webhooks.edit')}</h2>
          <label for="url">{t.t('webhooks.url')}</label>
          <input id="url" name="url" type="url" required maxlength={2000} value={e.url} dir="ltr" />
          <label for="events">{t.t('webhooks.events')}</label>
          <input id="events" name="events" required maxlength={2000} value={e.events} dir="ltr" aria-describedby="events-hint" />
          <p class="hint" id="events-hint">
            {t.t('webhooks.eventsHint')}
          </p>
          <label for="description">{t.t('webhooks.description')}</label>
          <input id="description" name="description" maxlength={500} value={e.description} />
          <p>
            <input type="checkbox" id="enabled" name="enabled" value="1" checked={e.enabled} />
            <label for="enabled">{t.t('webhooks.enable')}</label>
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('action.save')}
            </button>
          </p>
        </form>
      ) : null}
      {props.canWrite ? (
        <>
          <form method="post" action={scope.path(`${base}/rotate`)}>
            <Csrf frame={props.frame} />
            <h2>{t.t('webhooks.rotate')}</h2>
            <p class="hint">{t.t('webhooks.rotateText')}</p>
            <button type="submit" class="secondary">
              {t.t('webhooks.rotateButton')}
            </button>
          </form>
          <form method="post" action={scope.path(`${base}/test`)}>
            <Csrf frame={props.frame} />
            <p class="actions">
              <button type="submit" class="secondary" disabled={!e.enabled}>
                {t.t('webhooks.test')}
              </button>
            </p>
          </form>
        </>
      ) : null}
      <h2>{t.t('webhooks.log')}</h2>
      {props.attempts.length === 0 ? (
        <p class="muted">{t.t('webhooks.logEmpty')}</p>
      ) : (
        <table class="list">
          <ListHead
            columns={[t.t('webhooks.time'), t.t('webhooks.event'), t.t('webhooks.attempt'), t.t('webhooks.status'), t.t('webhooks.latency')]}
            actions={props.canWrite}
          />
          <tbody>
            {props.attempts.map((a) => (
              <tr>
                <td>{t.dateTime(Date.parse(a.at) / 1000)}</td>
                <td>
                  <code dir="ltr">{a.event_type}</code> <code dir="ltr">{a.event_id}</code>
                </td>
                <td>{a.attempt}</td>
                <td>
                  {a.status ?? t.t('webhooks.noAnswer')}
                  {a.error ? (
                    <span class="muted" lang="en">
                      {' '}
                      {a.error}
                    </span>
                  ) : null}
                  {a.response ? (
                    <pre class="code" dir="ltr">
                      <code>{a.response}</code>
                    </pre>
                  ) : null}
                </td>
                <td>{t.t('webhooks.latencyMs', { ms: a.latency_ms })}</td>
                {props.canWrite ? (
                  <td>
                    <form method="post" action={scope.path(`${base}/replay`)}>
                      <Csrf frame={props.frame} />
                      <input type="hidden" name="event" value={a.event_id} />
                      <button type="submit" class="secondary small">
                        {t.t('webhooks.replay')}
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={scope.path(`${base}?cursor=${encodeURIComponent(props.next)}`)}>{t.t('webhooks.older')}</a>
        </p>
      ) : null}
      {props.canWrite ? (
        <form method="post" action={scope.path(`${base}/delete`)}>
          <Csrf frame={props.frame} />
          <h2>{t.t('webhooks.delete')}</h2>
          <input type="checkbox" id="confirm-delete" name="confirm" value="1" required />
          <label for="confirm-delete">{t.t('webhooks.deleteConfirm')}</label>
          <p class="actions">
            <button type="submit" class="danger">
              {t.t('webhooks.delete')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}
