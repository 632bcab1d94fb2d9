/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { ACCOUNT_SECURITY_PATH, CHANGE_PASSWORD_PATH } from '../account/paths.js';
import { AccountFrame, ReauthForm } from './account-frame.js';
import type { Html, PageProps } from './layout.js';

export interface AccountSecurityPageInput {
  userEmail: string;
  csrf: string;
  /** Whether the session signed in within the last five minutes (account/recent.ts). */
  recent: boolean;
  /** The registered sections (account/security-section-list.ts), already rendered, with their ids. */
  sections: readonly { id: string; body: Child }[];
}

/**
 * /account/security: the password first, then every registered section, each in its own
 * <section>. Without a recent sign-in the page offers the fresh sign-in that changing a
 * factor needs (sections show their own state too).
 */
export function AccountSecurityPage(props: PageProps & AccountSecurityPageInput): Html {
  const { site, t } = props;
  return (
    <AccountFrame site={site} t={t} current="security" title={t.t('accountPages.security.title')} userEmail={props.userEmail}>
      {props.recent ? null : <ReauthForm site={site} t={t} csrf={props.csrf} returnTo={ACCOUNT_SECURITY_PATH} text={t.t('accountPages.reauth.needed')} />}
      <section class="security-section" id="security-password" aria-labelledby="security-password-heading">
        <h2 id="security-password-heading">{t.t('accountPages.security.password')}</h2>
        <p class="muted">{t.t('accountPages.security.passwordText')}</p>
        <p>
          <a href={t.carry(site.path(CHANGE_PASSWORD_PATH))} id="change-password-link">
            {t.t('apps.changePassword')}
          </a>
        </p>
      </section>
      {props.sections.map((section) => (
        <section class="security-section" id={`security-${section.id}`}>
          {section.body}
        </section>
      ))}
    </AccountFrame>
  );
}
