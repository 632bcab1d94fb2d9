/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_HOME_PATH, CHANGE_EMAIL_PATH } from '../account/paths.js';
import type { User } from '../store/repos/users.js';
import { AccountFrame } from './account-frame.js';
import type { Html, PageProps } from './layout.js';
import type { Text } from './translator.js';

export interface AccountHomePageInput {
  user: User;
  csrf: string;
  /** The values to show: the user's, or what was typed when it was refused. */
  values: { name: string; picture: string };
  notice?: Text | undefined;
  error?: { field: 'name' | 'picture'; text: Text } | undefined;
}

/**
 * The account home: the profile (name and picture, posted with `csrf` to /account), and the
 * email address with a link to change it (which verifies the new one: /account/email).
 */
export function AccountHomePage(props: PageProps & AccountHomePageInput): Html {
  const { site, t, user, error } = props;
  const title = t.t('accountPages.home.title');
  const described = (field: 'name' | 'picture', hint?: string): string | undefined =>
    [error?.field === field ? 'form-error' : undefined, hint].filter(Boolean).join(' ') || undefined;
  return (
    <AccountFrame site={site} t={t} current="profile" title={title} userEmail={user.email} notice={props.notice ? t.say(props.notice) : undefined}>
      <h2>{t.t('accountPages.profile.heading')}</h2>
      {error ? (
        <p class="error" role="alert" id="form-error">
          {t.say(error.text)}
        </p>
      ) : null}
      <form method="post" action={t.carry(site.path(ACCOUNT_HOME_PATH))} id="profile-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <label for="name">{t.t('accountPages.profile.name')}</label>
        <input
          type="text"
          id="name"
          name="name"
          autocomplete="name"
          maxlength={200}
          value={props.values.name}
          aria-invalid={error?.field === 'name' ? 'true' : undefined}
          aria-describedby={described('name')}
        />
        <label for="picture">{t.t('accountPages.profile.picture')}</label>
        <p class="muted" id="picture-hint">
          {t.t('accountPages.profile.pictureHint')}
        </p>
        <input
          type="url"
          id="picture"
          name="picture"
          inputmode="url"
          dir="ltr"
          maxlength={2000}
          value={props.values.picture}
          aria-invalid={error?.field === 'picture' ? 'true' : undefined}
          aria-describedby={described('picture', 'picture-hint')}
        />
        <div class="actions">
          <button type="submit" class="primary" id="save-profile">
            {t.t('accountPages.profile.save')}
          </button>
        </div>
      </form>
      <h2>{t.t('accountPages.profile.email')}</h2>
      <p id="email">
        <span dir="ltr">{user.email}</span>{' '}
        <span class="muted">{t.t(user.emailVerified ? 'accountPages.profile.verified' : 'accountPages.profile.unverified')}</span>
      </p>
      <p>
        <a href={t.carry(site.path(CHANGE_EMAIL_PATH))} id="change-email-link">
          {t.t('accountPages.profile.changeEmail')}
        </a>
      </p>
    </AccountFrame>
  );
}
