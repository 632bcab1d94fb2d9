/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import {
  ACCOUNT_ACTIVITY_PATH,
  ACCOUNT_APPS_PATH,
  ACCOUNT_HOME_PATH,
  ACCOUNT_SECURITY_PATH,
  ACCOUNT_SESSIONS_PATH,
  type AccountReturnPath,
  CLOSE_ACCOUNT_PATH,
  REAUTH_PATH,
} from '../account/paths.js';
import type { MessageKey } from './messages/all.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { Translator } from './translator.js';

/** Which entry of the account navigation a page is. */
export type AccountSection = 'profile' | 'security' | 'sessions' | 'activity' | 'apps' | 'close';

const NAV: readonly { id: AccountSection; path: string; label: MessageKey }[] = [
  { id: 'profile', path: ACCOUNT_HOME_PATH, label: 'accountPages.nav.profile' },
  { id: 'security', path: ACCOUNT_SECURITY_PATH, label: 'accountPages.nav.security' },
  { id: 'sessions', path: ACCOUNT_SESSIONS_PATH, label: 'accountPages.nav.sessions' },
  { id: 'activity', path: ACCOUNT_ACTIVITY_PATH, label: 'accountPages.nav.activity' },
  { id: 'apps', path: ACCOUNT_APPS_PATH, label: 'accountPages.nav.apps' },
  { id: 'close', path: CLOSE_ACCOUNT_PATH, label: 'accountPages.nav.close' },
];

/** The navigation every account page shows, the current page marked for assistive technology. */
export function AccountNav(props: PageProps & { current: AccountSection }): Html {
  const { site, t } = props;
  return (
    <nav class="account-nav" aria-label={t.t('accountPages.nav.label')}>
      <ul>
        {NAV.map((item) => (
          <li>
            <a href={t.carry(site.path(item.path))} id={`nav-${item.id}`} aria-current={item.id === props.current ? 'page' : undefined}>
              {t.say({ key: item.label })}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A page of the account area: its heading, the navigation, who is signed in, and a notice. */
export function AccountFrame(
  props: PageProps & { current: AccountSection; title: string; userEmail: string; notice?: string | undefined; children: Child; localTimes?: boolean },
): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={props.title} localTimes={props.localTimes}>
      <AccountNav site={site} t={t} current={props.current} />
      <h1 id="page-title">{props.title}</h1>
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      {props.notice ? (
        <p class="notice" role="status" id="notice">
          {props.notice}
        </p>
      ) : null}
      {props.children}
    </Layout>
  );
}

/**
 * "Confirm your password" (POST /account/reauth): a fresh sign-in that comes back to `returnTo`.
 * Other sections of the security page post the same form with return=/account/security.
 */
export function ReauthForm(props: PageProps & { csrf: string; returnTo: AccountReturnPath; text: string }): Html {
  const { site, t } = props;
  return (
    <form method="post" action={t.carry(site.path(REAUTH_PATH))} class="reauth-form" id="reauth-form">
      <p>{props.text}</p>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="return" value={props.returnTo} />
      <button type="submit" class="secondary" id="reauth">
        {t.t('accountPages.reauth.submit')}
      </button>
    </form>
  );
}

/** A time shown in the browser's own zone by /assets/local-time.js; without script, in UTC (named). */
export function LocalTime(props: { t: Translator; seconds: number }): Html {
  const { t } = props;
  return (
    <time datetime={new Date(props.seconds * 1000).toISOString()} data-local="">
      {t.t('apps.time', { time: t.dateTime(props.seconds) })}
    </time>
  );
}
