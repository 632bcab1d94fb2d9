/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { auditEventSchema } from '../../admin/api/audit-log.js';
import type { sessionSchema, userGrantSchema, userSchema } from '../../admin/api/user-schema.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { LOCALES, type Locale } from '../../pages/locales.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { EventTable, seconds } from './event-table.js';
import { SearchForm } from './search-form.js';
import { ActionForm } from './action-form.js';
import { GrantScopes } from './grant-scopes.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

export type UserView = z.infer<typeof userSchema>;
export type SessionView = z.infer<typeof sessionSchema>;
export type UserGrantView = z.infer<typeof userGrantSchema>;
export type ActivityView = z.infer<typeof auditEventSchema>;

export const NEW_USER_PATH = `${CONSOLE_PATHS.users}/new`;
export const userPath = (id: string, rest = ''): string => `${CONSOLE_PATHS.users}/${encodeURIComponent(id)}${rest}`;

/** The users of this issuer, searched by email or name, a page at a time. */
export function UsersPage(props: { frame: Frame; users: UserView[]; q: string; next: string | undefined; notice?: ConsoleKey }): Html {
  const { scope, t } = props.frame;
  const title = t.t('users.title');
  const more = props.next ? `${scope.path(CONSOLE_PATHS.users)}?${new URLSearchParams({ ...(props.q ? { q: props.q } : {}), cursor: props.next })}` : undefined;
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <div class="heading">
        <h1 id="page-title">{title}</h1>
        {props.frame.operator?.role !== 'viewer' ? (
          <a class="button primary" href={scope.path(NEW_USER_PATH)}>
            {t.t('users.new')}
          </a>
        ) : null}
      </div>
      {props.notice ? <Notice kind="ok">{t.t(props.notice)}</Notice> : null}
      <SearchForm frame={props.frame} action={CONSOLE_PATHS.users} q={props.q} label="users.search" button="users.searchButton" />
      <p>
        <a href={scope.path(CONSOLE_PATHS.closures)} id="closures-link">
          {t.t('closures.link')}
        </a>
      </p>
      {props.users.length === 0 ? (
        <p class="muted">{props.q ? t.t('users.noMatch', { q: props.q }) : t.t('users.none')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t.t('field.email')}</th>
              <th scope="col">{t.t('field.name')}</th>
              <th scope="col">{t.t('users.status')}</th>
              <th scope="col">{t.t('users.created')}</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((user) => (
              <tr>
                <td>
                  <a href={scope.path(userPath(user.user_id))} dir="ltr">
                    {user.email}
                  </a>
                </td>
                <td>{user.name ?? ''}</td>
                <td>{t.t(user.disabled ? 'users.disabled' : 'users.active')}</td>
                <td>{t.dateTime(seconds(user.created_at))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more ? (
        <p>
          <a href={more}>{t.t('list.more')}</a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}

export interface NewUserValues {
  email: string;
  name: string;
  email_verified: boolean;
  how: 'invite' | 'password' | 'none';
  /** The invitation's language. */
  locale: Locale;
}

/** A language by its own name (Deutsch, Français, العربية): the invitee reads it, not the operator. */
const languageName = (locale: Locale): string => new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;

/** Adding a user: their profile and how they get a password (an invitation by default). */
export function NewUserPage(props: { frame: Frame; values: NewUserValues; idempotencyKey: string; problem?: FormProblem }): Html {
  const { scope, t } = props.frame;
  const v = props.values;
  const p = props.problem;
  const title = t.t('users.new');
  const hows: [NewUserValues['how'], ConsoleKey][] = [
    ['invite', 'users.howInvite'],
    ['password', 'users.howPassword'],
    ['none', 'users.howNone'],
  ];
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <FieldErrors frame={props.frame} problem={p} />
      <form method="post" action={scope.path(NEW_USER_PATH)}>
        <Csrf frame={props.frame} />
        <input type="hidden" name="idempotency_key" value={props.idempotencyKey} />
        <label for="email">{t.t('field.email')}</label>
        <input id="email" name="email" type="email" dir="ltr" required maxlength={320} value={v.email} {...fieldAttrs(p, 'email')} />
        <label for="name">{t.t('field.name')}</label>
        <input id="name" name="name" type="text" maxlength={200} value={v.name} {...fieldAttrs(p, 'name')} />
        <p class="check">
          <input id="email_verified" name="email_verified" type="checkbox" value="1" checked={v.email_verified} />
          <label for="email_verified">{t.t('users.verified')}</label>
        </p>
        <fieldset>
          <legend>{t.t('users.how')}</legend>
          <ul class="choices">
            {hows.map(([how, key]) => (
              <li>
                <input type="radio" id={`how-${how}`} name="how" value={how} checked={v.how === how} />
                <label for={`how-${how}`}>{t.t(key)}</label>
              </li>
            ))}
          </ul>
          <label for="password">{t.t('field.password')}</label>
          <input id="password" name="password" type="password" autocomplete="new-password" maxlength={1000} {...fieldAttrs(p, 'password')} />
          <label for="locale">{t.t('users.inviteLanguage')}</label>
          <select id="locale" name="locale">
            {LOCALES.map((locale) => (
              <option value={locale} lang={locale} selected={v.locale === locale}>
                {languageName(locale)}
              </option>
            ))}
          </select>
        </fieldset>
        <p class="actions">
          <button type="submit" class="primary">
            {t.t('users.create')}
          </button>
        </p>
      </form>
    </ConsoleLayout>
  );
}

export interface ProfileValues {
  email: string;
  name: string;
  given_name: string;
  family_name: string;
  preferred_username: string;
  email_verified: boolean;
}

export function profileValuesOf(user: UserView): ProfileValues {
  return {
    email: user.email,
    name: user.name ?? '',
    given_name: user.given_name ?? '',
    family_name: user.family_name ?? '',
    preferred_username: user.preferred_username ?? '',
    email_verified: user.email_verified,
  };
}

const ERROR_NOTICES: readonly ConsoleKey[] = ['users.stale', 'users.confirmNeeded'];

/** One user: profile (edited with If-Match), sign-in, password, sessions, apps with access, deletion. */
export function UserDetailPage(props: {
  frame: Frame;
  user: UserView;
  etag: string;
  values: ProfileValues;
  sessions: SessionView[];
  grants: UserGrantView[];
  /** The latest events about the user (GET /audit-log?user_id=), newest first. */
  activity: ActivityView[];
  canWrite: boolean;
  notice?: ConsoleKey;
  problem?: FormProblem;
}): Html {
  const { t } = props.frame;
  const { user, canWrite } = props;
  const v = props.values;
  const p = props.problem;
  const id = user.user_id;
  const text = (name: 'name' | 'given_name' | 'family_name' | 'preferred_username', label: ConsoleKey): Html => (
    <>
      <label for={name}>{t.t(label)}</label>
      <input id={name} name={name} type="text" maxlength={200} value={v[name]} {...fieldAttrs(p, name)} />
    </>
  );
  return (
    <ConsoleLayout frame={props.frame} title={user.email}>
      <h1 id="page-title" dir="ltr">
        {user.email}
      </h1>
      {props.notice ? <Notice kind={ERROR_NOTICES.includes(props.notice) ? 'error' : 'ok'}>{t.t(props.notice)}</Notice> : null}
      <dl class="facts">
        <dt>{t.t('users.userId')}</dt>
        <dd>
          <code dir="ltr">{id}</code>
        </dd>
        <dt>{t.t('users.status')}</dt>
        <dd>{t.t(user.disabled ? 'users.disabled' : 'users.active')}</dd>
        <dt>{t.t('users.hasPassword')}</dt>
        <dd>{t.t(user.has_password ? 'users.passwordSet' : 'users.passwordNone')}</dd>
        <dt>{t.t('users.created')}</dt>
        <dd>{t.dateTime(seconds(user.created_at))}</dd>
      </dl>
      <p>
        <a href={props.frame.scope.path(`${userPath(id)}/attributes`)} id="user-attributes-link">
          {t.t('claims.userLink')}
        </a>
      </p>

      <h2>{t.t('users.profile')}</h2>
      <FieldErrors frame={props.frame} problem={p} />
      <form method="post" action={props.frame.scope.path(userPath(id))}>
        <Csrf frame={props.frame} />
        <input type="hidden" name="etag" value={props.etag} />
        <fieldset disabled={!canWrite}>
          <label for="email">{t.t('field.email')}</label>
          <input id="email" name="email" type="email" dir="ltr" required maxlength={320} value={v.email} {...fieldAttrs(p, 'email')} />
          <p class="check">
            <input id="email_verified" name="email_verified" type="checkbox" value="1" checked={v.email_verified} />
            <label for="email_verified">{t.t('users.verified')}</label>
          </p>
          {text('name', 'field.name')}
          {text('given_name', 'users.givenName')}
          {text('family_name', 'users.familyName')}
          {text('preferred_username', 'users.username')}
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('action.save')}
            </button>
          </p>
        </fieldset>
      </form>

      {canWrite ? (
        <section class="panel">
          <h2>{t.t('users.access')}</h2>
          <p>{t.t(user.disabled ? 'users.enableText' : 'users.disableText')}</p>
          <ActionForm
            frame={props.frame}
            action={userPath(id, '/status')}
            fields={{ disabled: user.disabled ? '0' : '1' }}
            label={t.t(user.disabled ? 'users.enable' : 'users.disable')}
            kind={user.disabled ? 'secondary' : 'danger'}
          />
        </section>
      ) : null}

      {canWrite ? (
        <section class="panel">
          <h2>{t.t('users.setPassword')}</h2>
          <p>{t.t('users.setPasswordText')}</p>
          <form method="post" action={props.frame.scope.path(userPath(id, '/password'))}>
            <Csrf frame={props.frame} />
            <label for="new-password">{t.t('field.password')}</label>
            <input id="new-password" name="password" type="password" autocomplete="new-password" required maxlength={1000} {...fieldAttrs(p, 'password')} />
            <p class="actions">
              <button type="submit" class="secondary">
                {t.t('users.setPassword')}
              </button>
            </p>
          </form>
          <h2>{t.t('users.invite')}</h2>
          <p>{t.t('users.inviteText')}</p>
          <ActionForm frame={props.frame} action={userPath(id, '/invitation')} label={t.t('users.invite')} />
        </section>
      ) : null}

      <h2>{t.t('users.sessions')}</h2>
      {props.sessions.length === 0 ? (
        <p class="muted">{t.t('users.noSessions')}</p>
      ) : (
        <>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">{t.t('users.signedIn')}</th>
                <th scope="col">{t.t('users.expires')}</th>
                <th scope="col">amr</th>
                {canWrite ? <td /> : null}
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => (
                <tr>
                  <td>{t.dateTime(seconds(s.auth_time))}</td>
                  <td>{t.dateTime(seconds(s.expires_at))}</td>
                  <td dir="ltr">{s.amr.join(', ')}</td>
                  {canWrite ? (
                    <td>
                      <ActionForm
                        frame={props.frame}
                        action={userPath(id, '/sessions/end')}
                        fields={{ session_id: s.session_id }}
                        label={t.t('users.endSession')}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {canWrite ? <ActionForm frame={props.frame} action={userPath(id, '/sessions/end')} label={t.t('users.endAll')} kind="danger" /> : null}
        </>
      )}

      <h2>{t.t('users.grants')}</h2>
      {props.grants.length === 0 ? (
        <p class="muted">{t.t('users.noGrants')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t.t('users.app')}</th>
              <th scope="col">{t.t('users.scope')}</th>
              <th scope="col">{t.t('users.created')}</th>
              {canWrite ? <td /> : null}
            </tr>
          </thead>
          <tbody>
            {props.grants.map((g) => (
              <tr>
                <td>{g.client_name}</td>
                <td>
                  <GrantScopes frame={props.frame} action={userPath(id, '/grants/remove-scope')} grant={g} canWrite={canWrite} />
                </td>
                <td>{t.dateTime(seconds(g.created_at))}</td>
                {canWrite ? (
                  <td>
                    <ActionForm frame={props.frame} action={userPath(id, '/grants/revoke')} fields={{ grant_id: g.grant_id }} label={t.t('users.revoke')} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t.t('users.activity')}</h2>
      <EventTable frame={props.frame} events={props.activity} empty="users.noActivity" />

      {canWrite ? (
        <section class="panel danger">
          <h2>{t.t('users.delete')}</h2>
          <p>{t.t('users.deleteText')}</p>
          <form method="post" action={props.frame.scope.path(userPath(id, '/delete'))}>
            <Csrf frame={props.frame} />
            <input type="hidden" name="etag" value={props.etag} />
            <p class="check">
              <input id="confirm-delete" name="confirm" type="checkbox" value="1" required />
              <label for="confirm-delete">{t.t('users.deleteConfirm', { email: user.email })}</label>
            </p>
            <p class="actions">
              <button type="submit" class="danger">
                {t.t('users.deleteButton')}
              </button>
            </p>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
