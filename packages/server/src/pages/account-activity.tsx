/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_ACTIVITY_PATH } from '../account/paths.js';
import type { RecordedEvent } from '../events/catalog.js';
import { AccountFrame, LocalTime } from './account-frame.js';
import type { Html, PageProps } from './layout.js';
import type { Translator } from './translator.js';

export interface ActivityItem {
  event: RecordedEvent;
  /** The name of the app the event names, if it names one. */
  appName: string | undefined;
}

export interface AccountActivityPageInput {
  userEmail: string;
  items: readonly ActivityItem[];
  /** The cursor of the next (older) page, if there is one. */
  next: string | undefined;
  /** Whether this is the newest page. */
  first: boolean;
}

/** What an event was, in the person's words. */
export function describeActivity(t: Translator, { event, appName }: ActivityItem): string {
  const app = appName ?? '';
  switch (event.type) {
    case 'session.started':
      return t.t('accountPages.activity.signedIn');
    case 'session.ended':
      return t.t('accountPages.activity.signedOut');
    case 'sign_in.failed':
      return t.t((event.payload as { reason?: string }).reason === 'disabled' ? 'accountPages.activity.signInDisabled' : 'accountPages.activity.signInFailed');
    case 'sign_in.email_code_failed':
      return t.t('accountPages.activity.signInFailed');
    case 'sign_in.throttled':
      return t.t('accountPages.activity.signInThrottled');
    case 'user.password_changed':
      return t.t('accountPages.activity.passwordChanged');
    case 'user.updated':
      return t.t('accountPages.activity.profileChanged');
    case 'user.created':
      return t.t('accountPages.activity.created');
    case 'user.disabled':
      return t.t('accountPages.activity.disabled');
    case 'user.enabled':
      return t.t('accountPages.activity.enabled');
    case 'consent.granted':
      return t.t('accountPages.activity.appGranted', { app });
    case 'consent.revoked':
      return t.t('accountPages.activity.appRemoved', { app });
    default:
      // A type another area added (a factor enrolled or removed): named generically.
      return t.t('accountPages.activity.securityChanged');
  }
}

/** The user's recent activity, newest first, in pages; times in the browser's zone. */
export function AccountActivityPage(props: PageProps & AccountActivityPageInput): Html {
  const { site, t } = props;
  return (
    <AccountFrame site={site} t={t} current="activity" title={t.t('accountPages.activity.title')} userEmail={props.userEmail} localTimes>
      <p>{t.t('accountPages.activity.intro')}</p>
      {props.items.length === 0 ? (
        <p id="no-activity">{t.t('accountPages.activity.none')}</p>
      ) : (
        <ul class="activity">
          {props.items.map((item) => (
            <li class="activity-item" data-type={item.event.type}>
              <span class="what">{describeActivity(t, item)}</span>{' '}
              <span class="muted">
                <LocalTime t={t} seconds={item.event.occurredAt} />
                {item.event.address ? (
                  <>
                    {' · '}
                    {t.rich('accountPages.activity.from', { address: <span dir="ltr">{item.event.address}</span> })}
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p class="pager">
        {props.first ? null : (
          <a href={t.carry(site.path(ACCOUNT_ACTIVITY_PATH))} id="newest-activity">
            {t.t('accountPages.activity.newest')}
          </a>
        )}{' '}
        {props.next ? (
          <a href={t.carry(site.path(`${ACCOUNT_ACTIVITY_PATH}?before=${props.next}`))} id="older-activity">
            {t.t('accountPages.activity.older')}
          </a>
        ) : null}
      </p>
    </AccountFrame>
  );
}
