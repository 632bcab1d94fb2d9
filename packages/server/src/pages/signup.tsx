/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { PowField, powFormAttrs } from '../abuse/pow-field.js';
import type { PowChallenge } from '../abuse/proof-of-work.js';
import { PASSWORD_MIN } from '../auth/password-policy.js';
import { signUpCodePath, signUpPath } from '../signup/paths.js';
import { MailedCodeField, NewPasswordInput } from './form-fields.js';
import { type Html, Layout, type PageProps } from './layout.js';
import { type Text, type Translator, say } from './translator.js';

function ErrorLine(props: { t: Translator; error: Text | undefined }): Html | null {
  // After a failed attempt the message takes the focus, so a screen reader reads it first.
  return props.error ? (
    <p class="error" role="alert" id="form-error" tabindex={-1} autofocus>
      {props.t.say(props.error)}
    </p>
  ) : null;
}

export interface SignUpPageInput {
  uid: string;
  csrf: string;
  /** The app the account is made while signing in to; undefined for a sign-up to the account page. */
  clientName?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  error?: Text | undefined;
  /** A proof-of-work challenge the browser solves before the post (abuse/pow-field.tsx); none below the threshold. */
  proofOfWork?: PowChallenge | undefined;
}

/**
 * "Create an account": fields `email`, `name` and `password`, posted with `csrf` to the sign-in's
 * /signup. Works without JavaScript; the browser's own checks are off (novalidate) so every
 * mistake gets the server's message in the page's language.
 */
export function SignUpPage(props: PageProps & SignUpPageInput): Html {
  const { site, t, uid, error } = props;
  const described = error ? 'form-error' : undefined;
  return (
    <Layout site={site} t={t} title={t.t('signup.title')}>
      <h1 id="page-title">{t.t('signup.title')}</h1>
      <p class="muted">
        {props.clientName === undefined
          ? t.t('signup.forAccount', { brand: site.settings.brand.name })
          : t.rich('signup.forClient', { client: <strong>{props.clientName}</strong> })}
      </p>
      <ErrorLine t={t} error={error} />
      <form method="post" action={site.path(signUpPath(uid))} id="signup-form" novalidate {...powFormAttrs(props.proofOfWork)}>
        <input type="hidden" name="csrf" value={props.csrf} />
        <label for="email">{t.t('common.email')}</label>
        <input
          type="email"
          id="email"
          name="email"
          autocomplete="email"
          required
          maxlength={320}
          value={props.email ?? ''}
          aria-describedby={described}
          autofocus={!error}
        />
        <label for="name">{t.t('signup.name')}</label>
        <input type="text" id="name" name="name" autocomplete="name" required maxlength={200} value={props.name ?? ''} aria-describedby={described} />
        <label for="password">{t.t('signup.password')}</label>
        <NewPasswordInput id="password" describedBy={error ? 'form-error password-hint' : 'password-hint'} />
        <p class="muted" id="password-hint">
          {t.t('password.atLeast', { count: PASSWORD_MIN })}
        </p>
        <div class="actions">
          <button type="submit" class="primary" id="create-account">
            {t.t('signup.submit')}
          </button>
        </div>
        <PowField site={site} t={t} challenge={props.proofOfWork} />
      </form>
      <p>
        {t.t('signup.haveAccount')}{' '}
        <a href={t.carry(site.path(`/interaction/${uid}`))} id="to-sign-in">
          {t.t('signup.signIn')}
        </a>
      </p>
    </Layout>
  );
}

export interface CheckEmailInput {
  /** Where the code is posted, and the text that says where the mail went. */
  action: string;
  intro: Text;
  csrf: string;
  /** Back to the form that asked for the mail. */
  againHref: string;
  error?: Text | undefined;
}

/**
 * The one answer to a sign-up or a change of address, whatever became of it: the mail went to
 * the address typed, with a code for this form and a link (or, to an address that has an
 * account, a warning to its owner; this page cannot tell, by design). Field `code`.
 */
export function CheckEmailPage(props: PageProps & CheckEmailInput): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('signup.check.title')}>
      <h1 id="page-title">{t.t('signup.check.title')}</h1>
      <p>{t.say(props.intro)}</p>
      <ErrorLine t={t} error={error} />
      <form method="post" action={t.carry(site.path(props.action))} id="code-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <MailedCodeField label={t.t('signup.code')} describedBy={error ? 'form-error' : undefined} autofocus={!error} />
        <div class="actions">
          <button type="submit" class="primary" id="verify">
            {t.t('signup.verify')}
          </button>
        </div>
      </form>
      <p>
        <a href={t.carry(site.path(props.againHref))} id="start-again">
          {t.t('signup.startAgain')}
        </a>
      </p>
    </Layout>
  );
}

/** The code form of a sign-up, inside its sign-in. */
export function signUpCheck(uid: string, email: string, csrf: string, error?: Text): CheckEmailInput {
  return { action: signUpCodePath(uid), intro: say('signup.check.text', { email }), csrf, againHref: signUpPath(uid), error };
}

/**
 * What a mailed link opens: a button, not the change itself, so a mail scanner that fetches
 * links spends nothing. Fields `token` and `csrf`, posted back to the link's path; with
 * `askPassword` (a sign-up's link opened in another browser than the sign-up) also `password`.
 */
export function ConfirmLinkPage(
  props: PageProps & { action: string; token: string; csrf: string; email: string; askPassword?: boolean; error?: Text | undefined },
): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('signup.confirm.title')}>
      <h1 id="page-title">{t.t('signup.confirm.title')}</h1>
      <p>{t.t('signup.confirm.text', { email: props.email })}</p>
      <ErrorLine t={t} error={error} />
      <form method="post" action={t.carry(site.path(props.action))} id="confirm-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        {props.askPassword ? (
          <>
            <p class="muted" id="password-why">
              {t.t('signup.confirm.elsewhere')}
            </p>
            <input type="email" name="username" autocomplete="username" value={props.email} hidden readonly />
            <label for="password">{t.t('signup.confirm.password')}</label>
            <input
              type="password"
              id="password"
              name="password"
              autocomplete="current-password"
              required
              aria-describedby={error ? 'form-error password-why' : 'password-why'}
              autofocus={!error}
            />
          </>
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" id="confirm">
            {t.t('signup.confirm.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** A page that only says something (sign-up closed, a spent link, an account made elsewhere), with at most one way on. */
export function SignUpMessagePage(props: PageProps & { title: Text; message: Text; link?: { href: string; text: Text; id: string } | undefined }): Html {
  const { site, t } = props;
  const title = t.say(props.title);
  return (
    <Layout site={site} t={t} title={title}>
      <h1 id="page-title">{title}</h1>
      <p role="status">{t.say(props.message)}</p>
      {props.link ? (
        <p>
          <a href={t.carry(site.path(props.link.href))} id={props.link.id}>
            {t.say(props.link.text)}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
