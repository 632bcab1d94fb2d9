/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { memberSchema, organizationSchema, roleSchema } from '../../admin/api/organization-schema.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { SearchForm } from './search-form.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';
import { OrganizationSsoSection, type SsoFormValues, type SsoView } from './organization-sso.js';

export type OrganizationView = z.infer<typeof organizationSchema>;
export type RoleView = z.infer<typeof roleSchema>;
export type MemberView = z.infer<typeof memberSchema>;

export const orgPath = (id: string, rest = ''): string => `${CONSOLE_PATHS.organizations}/${encodeURIComponent(id)}${rest}`;

/** The list with its search, paging and the create form. */
export function OrganizationsPage(props: {
  frame: Frame;
  organizations: OrganizationView[];
  q: string;
  next: string | undefined;
  notice?: ConsoleKey;
  canWrite: boolean;
  values: { id: string; name: string };
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const title = t.t('orgs.title');
  const p = props.problem;
  const more = props.next
    ? `${scope.path(CONSOLE_PATHS.organizations)}?${new URLSearchParams({ ...(props.q ? { q: props.q } : {}), cursor: props.next })}`
    : undefined;
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      {props.notice ? <Notice kind="ok">{t.t(props.notice)}</Notice> : null}
      <SearchForm frame={props.frame} action={CONSOLE_PATHS.organizations} q={props.q} label="orgs.search" button="orgs.searchButton" />
      {props.organizations.length === 0 ? (
        <p class="muted">{props.q ? t.t('orgs.noMatch', { q: props.q }) : t.t('orgs.none')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t.t('field.name')}</th>
              <th scope="col">{t.t('orgs.id')}</th>
              <th scope="col">{t.t('orgs.members')}</th>
              <th scope="col">{t.t('orgs.roles')}</th>
              <th scope="col">{t.t('orgs.suspended')}</th>
            </tr>
          </thead>
          <tbody>
            {props.organizations.map((o) => (
              <tr>
                <td>
                  <a href={scope.path(orgPath(o.id))}>{o.name}</a>
                </td>
                <td>
                  <code dir="ltr">{o.id}</code>
                </td>
                <td>{t.number(o.members)}</td>
                <td>{t.number(o.roles)}</td>
                <td>{o.suspended ? t.t('orgs.yes') : t.t('orgs.no')}</td>
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
      {props.canWrite ? (
        <form method="post" action={scope.path(`${CONSOLE_PATHS.organizations}/new`)}>
          <Csrf frame={props.frame} />
          <h2>{t.t('orgs.new')}</h2>
          <FieldErrors frame={props.frame} problem={p} />
          <label for="name">{t.t('field.name')}</label>
          <input id="name" name="name" type="text" required maxlength={200} value={props.values.name} {...fieldAttrs(p, 'name')} />
          <label for="id">{t.t('orgs.id')}</label>
          <p class="hint" id="id-hint">
            {t.t('orgs.idHint')}
          </p>
          <input id="id" name="id" type="text" maxlength={64} dir="ltr" value={props.values.id} {...fieldAttrs(p, 'id', 'id-hint')} />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('orgs.create')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

function RoleChoices(props: { frame: Frame; roles: RoleView[]; held: string[]; prefix: string }): Html {
  return (
    <ul class="choices">
      {props.roles.map((r) => (
        <li>
          <input type="checkbox" id={`${props.prefix}-${r.name}`} name="roles" value={r.name} checked={props.held.includes(r.name)} />
          <label for={`${props.prefix}-${r.name}`}>
            <code dir="ltr">{r.name}</code>
          </label>
        </li>
      ))}
    </ul>
  );
}

/** One organization: its settings, roles and members, each with its own form, and the delete. */
export function OrganizationPage(props: {
  frame: Frame;
  organization: OrganizationView;
  etag: string;
  roles: RoleView[];
  members: MemberView[];
  /** The cursor of the next page of members, if there is one. */
  moreMembers?: string;
  canWrite: boolean;
  notice?: ConsoleKey;
  problem?: FormProblem;
  /** Which form the problem belongs to, so its summary shows there. */
  problemAt?: string;
  /** Its single sign-on (none when not set), the issuer's providers to choose from, and the SSO form as typed. */
  sso?: SsoView | undefined;
  providers?: { id: string; display_name: string }[];
  ssoValues?: SsoFormValues | undefined;
}): Html {
  const { scope, t } = props.frame;
  const o = props.organization;
  const action = (rest: string): string => scope.path(orgPath(o.id, rest));
  const problemFor = (form: string): FormProblem | undefined => (props.problemAt === form ? props.problem : undefined);
  const w = props.canWrite;
  return (
    <ConsoleLayout frame={props.frame} title={o.name}>
      <h1 id="page-title">{o.name}</h1>
      <p>
        <code dir="ltr">{o.id}</code>
      </p>
      {props.notice ? <Notice kind={props.notice === 'orgs.stale' ? 'error' : 'ok'}>{t.t(props.notice)}</Notice> : null}
      <p class="muted">{t.t('orgs.changesReachApps')}</p>
      <form method="post" action={action('/settings')}>
        <Csrf frame={props.frame} />
        <input type="hidden" name="etag" value={props.etag} />
        <FieldErrors frame={props.frame} problem={problemFor('settings')} />
        <label for="name">{t.t('field.name')}</label>
        <input id="name" name="name" type="text" required maxlength={200} value={o.name} disabled={!w} {...fieldAttrs(problemFor('settings'), 'name')} />
        <p>
          <input type="checkbox" id="suspended" name="suspended" value="1" checked={o.suspended} disabled={!w} aria-describedby="suspended-hint" />
          <label for="suspended">{t.t('orgs.suspended')}</label>
        </p>
        <p class="hint" id="suspended-hint">
          {t.t('orgs.suspendedHint')}
        </p>
        {w ? (
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('action.save')}
            </button>
          </p>
        ) : null}
      </form>

      <OrganizationSsoSection
        frame={props.frame}
        action={action}
        sso={props.sso}
        providers={props.providers ?? []}
        canWrite={w}
        values={props.ssoValues}
        problem={problemFor('sso')}
      />

      <h2>{t.t('orgs.roles')}</h2>
      {props.roles.length === 0 ? <p class="muted">{t.t('orgs.noRoles')}</p> : null}
      {props.roles.map((r) => (
        <section>
          <h3>
            <code dir="ltr">{r.name}</code>
          </h3>
          {w ? (
            <>
              <form method="post" action={action(`/roles/${encodeURIComponent(r.name)}/permissions`)}>
                <Csrf frame={props.frame} />
                <FieldErrors frame={props.frame} problem={problemFor(`role:${r.name}`)} />
                <label for={`permissions-${r.name}`}>{t.t('orgs.permissions')}</label>
                <textarea id={`permissions-${r.name}`} name="permissions" rows={3} dir="ltr">
                  {r.permissions.join('\n')}
                </textarea>
                <button type="submit">{t.t('orgs.saveRole')}</button>
              </form>
              <form method="post" action={action(`/roles/${encodeURIComponent(r.name)}/delete`)}>
                <Csrf frame={props.frame} />
                <button type="submit" class="danger">
                  {t.t('orgs.deleteRole')}
                </button>
              </form>
            </>
          ) : (
            <p dir="ltr">{r.permissions.join(' ') || t.t('orgs.noPermissions')}</p>
          )}
        </section>
      ))}
      {w ? (
        <form method="post" action={action('/roles/add')}>
          <Csrf frame={props.frame} />
          <h3>{t.t('orgs.addRole')}</h3>
          <FieldErrors frame={props.frame} problem={problemFor('role')} />
          <label for="role-name">{t.t('orgs.roleName')}</label>
          <input id="role-name" name="name" type="text" required maxlength={64} dir="ltr" {...fieldAttrs(problemFor('role'), 'name')} />
          <label for="role-permissions">{t.t('orgs.permissions')}</label>
          <p class="hint" id="role-permissions-hint">
            {t.t('orgs.permissionsHint')}
          </p>
          <textarea id="role-permissions" name="permissions" rows={3} dir="ltr" {...fieldAttrs(problemFor('role'), 'permissions', 'role-permissions-hint')} />
          <p class="actions">
            <button type="submit">{t.t('orgs.addRole')}</button>
          </p>
        </form>
      ) : null}

      <h2>{t.t('orgs.members')}</h2>
      {props.members.length === 0 ? (
        <p class="muted">{t.t('orgs.noMembers')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t.t('orgs.email')}</th>
              <th scope="col">{t.t('orgs.memberRoles')}</th>
              {w ? <td /> : null}
            </tr>
          </thead>
          <tbody>
            {props.members.map((m) => (
              <tr>
                <td>
                  {m.email}
                  <br />
                  <code dir="ltr" class="muted">
                    {m.sub}
                  </code>
                </td>
                <td>
                  {w ? (
                    <form method="post" action={action(`/members/${encodeURIComponent(m.sub)}/roles`)}>
                      <Csrf frame={props.frame} />
                      <RoleChoices frame={props.frame} roles={props.roles} held={m.roles} prefix={`m-${m.sub}`} />
                      <button type="submit">{t.t('orgs.saveMember')}</button>
                    </form>
                  ) : (
                    <span dir="ltr">{m.roles.join(', ')}</span>
                  )}
                </td>
                {w ? (
                  <td>
                    <form method="post" action={action(`/members/${encodeURIComponent(m.sub)}/remove`)}>
                      <Csrf frame={props.frame} />
                      <button type="submit" class="danger">
                        {t.t('orgs.removeMember')}
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.moreMembers ? (
        <p>
          <a href={`${scope.path(orgPath(props.organization.id))}?${new URLSearchParams({ members: props.moreMembers })}`} id="more-members">
            {t.t('list.more')}
          </a>
        </p>
      ) : null}
      {w ? (
        <form method="post" action={action('/members/add')}>
          <Csrf frame={props.frame} />
          <h3>{t.t('orgs.addMember')}</h3>
          <FieldErrors frame={props.frame} problem={problemFor('member')} />
          <label for="user">{t.t('orgs.user')}</label>
          <input id="user" name="user" type="text" required maxlength={320} dir="ltr" {...fieldAttrs(problemFor('member'), 'user_id')} />
          {props.roles.length > 0 ? (
            <fieldset>
              <legend>{t.t('orgs.memberRoles')}</legend>
              <RoleChoices frame={props.frame} roles={props.roles} held={[]} prefix="new" />
            </fieldset>
          ) : null}
          <p class="actions">
            <button type="submit">{t.t('orgs.addMember')}</button>
          </p>
        </form>
      ) : null}

      {w ? (
        <form method="post" action={action('/delete')} class="danger-zone">
          <Csrf frame={props.frame} />
          <input type="hidden" name="etag" value={props.etag} />
          <h2>{t.t('orgs.delete')}</h2>
          <FieldErrors frame={props.frame} problem={problemFor('delete')} />
          <p>{t.t('orgs.deleteText')}</p>
          <p>
            <input type="checkbox" id="confirm" name="confirm" value="1" required />
            <label for="confirm">{t.t('orgs.deleteConfirm', { name: o.name })}</label>
          </p>
          <button type="submit" class="danger">
            {t.t('orgs.deleteButton')}
          </button>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}
