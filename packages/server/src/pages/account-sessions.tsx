/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { END_OTHER_SESSIONS_PATH, END_SESSION_PATH } from '../account/paths.js';
import { parseUserAgent } from '../account/user-agent.js';
import type { Session } from '../store/repos/sessions.js';
import { AccountFrame, LocalTime } from './account-frame.js';
import type { Html, PageProps } from './layout.js';
import type { Text, Translator } from './translator.js';

export interface AccountSessionsPageInput {
  userEmail: string;
  csrf: string;
  /** The user's live sessions, newest first. */
  sessions: readonly Session[];
  /** The id of this browser's session. */
  currentId: string;
  notice?: Text | undefined;
}

/** "Chrome on Windows", or as much of it as the User-Agent told. */
export function deviceName(t: Translator, agent: string | null): string {
  const { browser, os } = parseUserAgent(agent);
  if (browser && os) return t.t('accountPages.sessions.device', { browser, os });
  if (browser) return browser;
  if (os) return t.t('accountPages.sessions.unknownBrowserOn', { os });
  return t.t('accountPages.sessions.unknownBrowser');
}

function SessionItem(props: PageProps & { session: Session; current: boolean; csrf: string; index: number }): Html {
  const { site, t, session } = props;
  const name = deviceName(t, session.userAgent);
  return (
    <li class="session" id={`session-${props.index}`} data-sid={session.sid}>
      <h2>
        {name}
        {props.current ? (
          <>
            {' '}
            <strong class="this-device">{t.t('accountPages.sessions.thisDevice')}</strong>
          </>
        ) : null}
      </h2>
      <p class="muted">
        {session.ip ? t.rich('accountPages.sessions.address', { ip: <span dir="ltr">{session.ip}</span> }) : t.t('accountPages.sessions.unknownAddress')}
      </p>
      <p class="muted">{t.rich('accountPages.sessions.firstSeen', { time: <LocalTime t={t} seconds={session.createdAt} /> })}</p>
      <p class="muted">{t.rich('accountPages.sessions.lastSeen', { time: <LocalTime t={t} seconds={session.lastSeenAt ?? session.createdAt} /> })}</p>
      {props.current ? null : (
        <form method="post" action={t.carry(site.path(END_SESSION_PATH))} class="end-session-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="sid" value={session.sid} />
          <button type="submit" class="secondary" aria-label={t.t('accountPages.sessions.signOutLabel', { device: name, time: t.dateTime(session.createdAt) })}>
            {t.t('accountPages.sessions.signOut')}
          </button>
        </form>
      )}
    </li>
  );
}

/** The browsers signed in to the account, this one marked; each other one can be signed out, or all of them at once. */
export function AccountSessionsPage(props: PageProps & AccountSessionsPageInput): Html {
  const { site, t } = props;
  const others = props.sessions.filter((s) => s.id !== props.currentId).length;
  return (
    <AccountFrame
      site={site}
      t={t}
      current="sessions"
      title={t.t('accountPages.sessions.title')}
      userEmail={props.userEmail}
      notice={props.notice ? t.say(props.notice) : undefined}
      localTimes
    >
      <p>{t.t('accountPages.sessions.intro')}</p>
      <ul class="sessions">
        {props.sessions.map((session, i) => (
          <SessionItem site={site} t={t} session={session} current={session.id === props.currentId} csrf={props.csrf} index={i} />
        ))}
      </ul>
      {others === 0 ? (
        <p id="no-other-sessions">{t.t('accountPages.sessions.onlyThis')}</p>
      ) : (
        <form method="post" action={t.carry(site.path(END_OTHER_SESSIONS_PATH))} id="end-others-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit" class="secondary" id="end-others">
            {t.t('accountPages.sessions.signOutOthers')}
          </button>
        </form>
      )}
    </AccountFrame>
  );
}
