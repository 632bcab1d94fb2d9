/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { issuerSchema } from '../../admin/api/issuers.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

export type IssuerView = z.infer<typeof issuerSchema>;

export const NEW_ISSUER = `${CONSOLE_PATHS.issuers}/new`;
export const issuerRoute = (id: string, rest = ''): string => `${CONSOLE_PATHS.issuers}/${encodeURIComponent(id)}${rest}`;

const LABELS: Readonly<Record<string, ConsoleKey>> = { id: 'issuers.id', name: 'field.name', domains: 'issuers.domains' };

export interface NewIssuerValues {
  id: string;
  name: string;
  domains: string;
}

/** Every issuer of the deployment, and the form that creates one. */
export function IssuersPage(props: {
  frame: Frame;
  issuers: IssuerView[];
  values: NewIssuerValues;
  idempotencyKey: string;
  notice?: ConsoleKey;
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const v = props.values;
  const p = props.problem;
  const title = t.t('issuers.title');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <p class="muted">{t.t('issuers.intro')}</p>
      {props.notice ? <Notice kind="ok">{t.t(props.notice)}</Notice> : null}
      <table class="list" id="issuers">
        <thead>
          <tr>
            <th scope="col">{t.t('field.name')}</th>
            <th scope="col">{t.t('issuers.id')}</th>
            <th scope="col">{t.t('issuers.url')}</th>
          </tr>
        </thead>
        <tbody>
          {props.issuers.map((i) => (
            <tr>
              <td>
                <a href={scope.path(issuerRoute(i.id))}>{i.name}</a>
              </td>
              <td>
                <code dir="ltr">{i.id}</code> {i.id === 'default' ? <span class="role">{t.t('issuers.default')}</span> : null}
              </td>
              <td dir="ltr">{i.url}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel" aria-labelledby="new-issuer">
        <h2 id="new-issuer">{t.t('issuers.new')}</h2>
        <FieldErrors frame={props.frame} problem={p} labels={LABELS} />
        <form method="post" action={scope.path(NEW_ISSUER)}>
          <Csrf frame={props.frame} />
          <input type="hidden" name="idempotency_key" value={props.idempotencyKey} />
          <label for="id">{t.t('issuers.id')}</label>
          <p class="hint" id="id-hint">
            {t.t('issuers.idHint')}
          </p>
          <input id="id" name="id" type="text" dir="ltr" required maxlength={63} value={v.id} {...fieldAttrs(p, 'id', 'id-hint')} />
          <label for="name">{t.t('field.name')}</label>
          <input id="name" name="name" type="text" required maxlength={60} value={v.name} {...fieldAttrs(p, 'name')} />
          <label for="domains">{t.t('issuers.domains')}</label>
          <textarea id="domains" name="domains" rows={2} dir="ltr" {...fieldAttrs(p, 'domains')}>
            {v.domains}
          </textarea>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('issuers.create')}
            </button>
          </p>
        </form>
      </section>
    </ConsoleLayout>
  );
}

export interface IssuerFormValues {
  name: string;
  domains: string;
}

/** One issuer: its URL, a form for its name and domains, and its deletion behind a confirmation. */
export function IssuerPage(props: {
  frame: Frame;
  issuer: IssuerView;
  etag: string;
  values: IssuerFormValues;
  notice?: ConsoleKey;
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const i = props.issuer;
  const p = props.problem;
  const ok = props.notice === 'issuers.saved' || props.notice === 'issuers.created';
  return (
    <ConsoleLayout frame={props.frame} title={i.name}>
      <h1 id="page-title">{i.name}</h1>
      {props.notice ? <Notice kind={ok ? 'ok' : 'error'}>{t.t(props.notice)}</Notice> : null}
      <dl class="facts">
        <dt>{t.t('issuers.id')}</dt>
        <dd>
          <code dir="ltr">{i.id}</code>
        </dd>
        <dt>{t.t('issuers.url')}</dt>
        <dd dir="ltr">{i.url}</dd>
      </dl>
      <FieldErrors frame={props.frame} problem={p} labels={LABELS} />
      <form method="post" action={scope.path(issuerRoute(i.id))} id="issuer-form">
        <Csrf frame={props.frame} />
        <input type="hidden" name="etag" value={props.etag} />
        <label for="name">{t.t('field.name')}</label>
        <input id="name" name="name" type="text" required maxlength={60} value={props.values.name} {...fieldAttrs(p, 'name')} />
        <label for="domains">{t.t('issuers.domains')}</label>
        <textarea id="domains" name="domains" rows={3} dir="ltr" {...fieldAttrs(p, 'domains')}>
          {props.values.domains}
        </textarea>
        <p class="actions">
          <button type="submit" class="primary">
            {t.t('action.save')}
          </button>
        </p>
      </form>
      <section class="panel danger" aria-labelledby="delete-issuer">
        <h2 id="delete-issuer">{t.t('issuers.delete')}</h2>
        {i.id === 'default' ? (
          <p class="muted">{t.t('issuers.defaultStays')}</p>
        ) : (
          <form method="post" action={scope.path(issuerRoute(i.id, '/delete'))}>
            <Csrf frame={props.frame} />
            <input type="hidden" name="etag" value={props.etag} />
            <p class="muted">{t.t('issuers.deleteHint')}</p>
            <p class="check">
              <input id="confirm" name="confirm" type="checkbox" value="1" required {...fieldAttrs(p, 'confirm')} />
              <label for="confirm">{t.t('issuers.confirm')}</label>
            </p>
            <p class="check">
              <input id="force" name="force" type="checkbox" value="1" />
              <label for="force">{t.t('issuers.force')}</label>
            </p>
            <p class="actions">
              <button type="submit" class="danger">
                {t.t('issuers.delete')}
              </button>
            </p>
          </form>
        )}
      </section>
    </ConsoleLayout>
  );
}
