/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { FORGOT_PATH } from '../password/paths.js';
import { signUpPath } from '../signup/paths.js';
import { PowField, powFormAttrs } from '../abuse/pow-field.js';
import type { PowChallenge } from '../abuse/proof-of-work.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { Text } from './translator.js';
import { PasskeySignIn } from '../passkeys/sign-in-form.js';
import { type ProviderButton, ProviderButtons } from '../federation/pages.js';

export interface LoginPageInput {
  uid: string;
  csrf: string;
  /** The app the user signs in to; undefined for the account pages' own sign-in. */
  clientName?: string | undefined;
  email?: string | undefined;
  error?: Text | undefined;
  /** Whether the issuer lets people create accounts themselves (signup/policy.ts). */
  signUp?: boolean | undefined;
  /** The passkey assertion's options (JSON, with this showing's challenge): passkeys/script.ts uses them. */
  passkeyOptions?: string | undefined;
  /** A proof-of-work challenge the form's script solves (abuse/proof-of-work.ts); none below the threshold. */
  proofOfWork?: PowChallenge | undefined;
  /** Whether to offer "Email me a code" (abuse/email-code.ts). */
  emailCode?: boolean | undefined;
  /** The issuer's enabled upstream providers, a button each (federation/). */
  upstreams?: readonly ProviderButton[] | undefined;
}

/**
 * The sign-in form: fields `email` and `password`, posted to /interaction/:uid/login. Without a
 * client it signs in to the account page, and has no app to cancel back to. With mail
 * configured it links to the password reset, which leads back here once the password is new.
 */
export function LoginPage(props: PageProps & LoginPageInput): Html {
  const { site, t, uid, clientName, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('login.title')}>
      <h1 id="page-title">{t.t('login.title')}</h1>
      {clientName === undefined ? (
        <p class="muted">{t.t('login.forAccount')}</p>
      ) : (
        <p class="muted">{t.rich('login.forClient', { client: <strong>{clientName}</strong> })}</p>
      )}
      {/* After a failed attempt the message takes the focus, so a screen reader reads it first. */}
      {error && (
        <p class="error" role="alert" id="login-error" tabindex={-1} autofocus>
          {t.say(error)}
        </p>
      )}
      <form method="post" action={site.path(`/interaction/${uid}/login`)} id="login-form" novalidate {...powFormAttrs(props.proofOfWork)}>
        <input type="hidden" name="csrf" value={props.csrf} />
        <label for="email">{t.t('common.email')}</label>
        <input
          type="email"
          id="email"
          name="email"
          autocomplete={props.passkeyOptions ? 'username webauthn' : 'username'}
          required
          value={props.email ?? ''}
          aria-describedby={error ? 'login-error' : undefined}
          autofocus={!error && !props.email}
        />
        <label for="password">{t.t('login.password')}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required autofocus={!error && Boolean(props.email)} />
        <div class="actions">
          <button type="submit" class="primary" id="sign-in">
            {t.t('login.submit')}
          </button>
          {props.emailCode ? (
            <button type="submit" class="secondary" id="email-code" formaction={site.path(`/interaction/${uid}/email-code/send`)}>
              {t.t('abuse.emailCode.button')}
            </button>
          ) : null}
        </div>
        <PowField site={site} t={t} challenge={props.proofOfWork} />
      </form>
      {props.upstreams ? <ProviderButtons site={site} t={t} uid={uid} csrf={props.csrf} providers={props.upstreams} /> : null}
      {props.passkeyOptions ? <PasskeySignIn site={site} t={t} uid={uid} csrf={props.csrf} options={props.passkeyOptions} /> : null}
      {site.services.config.mail ? (
        <p>
          <a href={t.carry(`${site.path(FORGOT_PATH)}?return=${uid}`)} id="forgot-password">
            {t.t('login.forgot')}
          </a>
        </p>
      ) : null}
      {props.signUp ? (
        <p>
          <a href={t.carry(site.path(signUpPath(uid)))} id="create-account-link">
            {t.t('signup.link')}
          </a>
        </p>
      ) : null}
      {clientName === undefined ? null : (
        <form method="post" action={site.path(`/interaction/${uid}/abort`)} id="cancel-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit" class="link" id="cancel">
            {t.t('login.cancel', { client: clientName })}
          </button>
        </form>
      )}
    </Layout>
  );
}
