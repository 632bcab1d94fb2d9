/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AppWithAccess } from '../account/apps.js';
import type { ApiRegistry } from '../claims/registries.js';
import { AccountNav } from './account-frame.js';
import { shownClientName } from './client-name.js';
import { CHANGE_PASSWORD_PATH, REMOVE_ACCESS_PATH, REMOVE_SCOPE_PATH } from '../account/paths.js';
import { type Html, Layout, type PageProps } from './layout.js';
import { describeScope } from './scope-text.js';
import type { Text, Translator } from './translator.js';

export interface AccountAppsPageInput {
  userEmail: string;
  csrf: string;
  apps: AppWithAccess[];
  notice: Text | undefined;
  /** The issuer's APIs and own scopes (claims/), so theirs are described as on the consent page. */
  apis: ApiRegistry;
}

// Rendered on the server in one fixed zone, named on the page; the page's script
// (pages/local-time.ts) shows it in the browser's own zone.
function When(props: { t: Translator; seconds: number }): Html {
  const { t } = props;
  return (
    <time datetime={new Date(props.seconds * 1000).toISOString()} data-local="">
      {t.t('apps.time', { time: t.dateTime(props.seconds) })}
    </time>
  );
}

function AppItem(props: PageProps & { app: AppWithAccess; csrf: string; index: number; apis: ApiRegistry }): Html {
  const { site, t, app, apis } = props;
  const granted = <When t={t} seconds={app.grantedAt} />;
  const appName = shownClientName(t, { id: app.clientId, name: app.name });
  return (
    <li class="app" id={`app-${props.index}`}>
      <h2>{shownClientName(t, { id: app.clientId, name: app.name })}</h2>
      <p class="muted">{t.t('apps.canDo')}</p>
      <ul class="scopes">
        {app.scopes.map((scope) => (
          <li>
            <span class="scope">{describeScope(t, scope, apis)}</span>{' '}
            <form method="post" action={t.carry(site.path(REMOVE_SCOPE_PATH))} class="scope-form">
              <input type="hidden" name="csrf" value={props.csrf} />
              <input type="hidden" name="grant" value={app.grantId} />
              <input type="hidden" name="scope" value={scope} />
              <button
                type="submit"
                class="link scope-remove"
                aria-label={t.t('scopeRevoke.removeLabel', { app: appName, scope: describeScope(t, scope, apis) })}
              >
                {t.t('scopeRevoke.remove')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <p class="muted">
        {app.lastUsedAt > app.grantedAt
          ? t.rich('apps.grantedAndUsed', { granted, used: <When t={t} seconds={app.lastUsedAt} /> })
          : t.rich('apps.granted', { granted })}
      </p>
      <form method="post" action={t.carry(site.path(REMOVE_ACCESS_PATH))} class="remove-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="grant" value={app.grantId} />
        <button type="submit" class="secondary" aria-label={t.t('apps.removeLabel', { app: shownClientName(t, { id: app.clientId, name: app.name }) })}>
          {t.t('apps.remove')}
        </button>
      </form>
    </li>
  );
}

/**
 * The apps that can use the signed-in person's account, each with a "Remove access" form that
 * posts `csrf` and `grant`, and a "Remove" form per permission that also posts its `scope`; a link to change the password; and a sign-out button (RP-initiated
 * logout, which asks to confirm).
 */
export function AccountAppsPage(props: PageProps & AccountAppsPageInput): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('apps.title')} localTimes>
      <AccountNav site={site} t={t} current="apps" />
      <h1 id="page-title">{t.t('apps.heading')}</h1>
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      {props.notice ? (
        <p class="notice" role="status" id="notice">
          {t.say(props.notice)}
        </p>
      ) : null}
      {props.apps.length === 0 ? (
        <p id="no-apps">{t.t('apps.none')}</p>
      ) : (
        <ul class="apps">
          {props.apps.map((app, i) => (
            <AppItem site={site} t={t} app={app} csrf={props.csrf} index={i} apis={props.apis} />
          ))}
        </ul>
      )}
      <p>
        <a href={t.carry(site.path(CHANGE_PASSWORD_PATH))} id="change-password-link">
          {t.t('apps.changePassword')}
        </a>
      </p>
      <form method="post" action={site.path('/oauth/logout')} id="sign-out-form">
        <button type="submit" class="link" id="sign-out">
          {t.t('apps.signOut')}
        </button>
      </form>
    </Layout>
  );
}
