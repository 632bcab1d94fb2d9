/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { type Html, Layout, type PageProps } from './layout.js';
import type { Text } from './translator.js';

export interface MfaPageInput {
  uid: string;
  csrf: string;
  /** The app signed in to; undefined for the account pages' own sign-in (no cancel). */
  clientName?: string | undefined;
  /** Each enrolled factor's section (its challenge()), strongest first. */
  sections: Child[];
  error?: Text | undefined;
}

/** The second-factor step: one form per enrolled factor, each posting to /interaction/:uid/mfa. */
export function MfaPage(props: PageProps & MfaPageInput): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('mfa.title')}>
      <h1 id="page-title">{t.t('mfa.title')}</h1>
      <p class="muted">{t.t('mfa.intro')}</p>
      {error && (
        <p class="error" role="alert" id="mfa-error" tabindex={-1} autofocus>
          {t.say(error)}
        </p>
      )}
      {props.sections}
      <CancelForm {...props} />
    </Layout>
  );
}

export interface MfaEnrolPageInput extends Omit<MfaPageInput, 'sections'> {
  /** The pending secret, base32, shown so it can be typed in. */
  secret: string;
  /** The otpauth:// URI as an SVG QR code, drawn on the server (factors/qr-svg.ts). */
  qrSvg: string;
  /** The "remember this device" checkbox, when offered. */
  remember?: Child | undefined;
}

/** A sign-in that requires a second factor the user does not have yet: set up an authenticator app, then continue. */
export function MfaEnrolPage(props: PageProps & MfaEnrolPageInput): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('mfa.enrol.title')}>
      <h1 id="page-title">{t.t('mfa.enrol.title')}</h1>
      <p>{t.t('mfa.enrol.intro', { brand: site.settings.brand.name })}</p>
      {error && (
        <p class="error" role="alert" id="mfa-error" tabindex={-1} autofocus>
          {t.say(error)}
        </p>
      )}
      <TotpSetup t={t} secret={props.secret} qrSvg={props.qrSvg} />
      <form method="post" action={site.path(`/interaction/${props.uid}/mfa`)} id="totp-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="factor" value="totp" />
        <input type="hidden" name="enrol" value="1" />
        <label for="totp-code">{t.t('mfa.totp.label')}</label>
        <input type="text" id="totp-code" name="code" inputmode="numeric" pattern="[0-9 ]*" maxlength={8} autocomplete="one-time-code" required />
        {props.remember}
        <div class="actions">
          <button type="submit" class="primary" id="totp-submit">
            {t.t('mfa.enrol.submit')}
          </button>
        </div>
      </form>
      <CancelForm {...props} />
    </Layout>
  );
}

/** The QR code and the key in text, for the enrolment in the sign-in and on the account page. */
export function TotpSetup(props: { t: PageProps['t']; secret: string; qrSvg: string }): Child {
  const { t } = props;
  // Spaced in groups of four, as apps show keys; the app accepts it with or without spaces.
  const grouped = props.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <div class="totp-setup">
      <figure class="qr" id="totp-qr">
        {raw(props.qrSvg)}
        <figcaption class="muted">{t.t('mfa.enrol.qr')}</figcaption>
      </figure>
      <p>
        {t.t('mfa.enrol.secret')}{' '}
        <code id="totp-secret" dir="ltr">
          {grouped}
        </code>
      </p>
    </div>
  );
}

/** "Remember this device for 30 days", inside each factor's form. */
export function RememberDevice(props: { t: PageProps['t']; id: string }): Child {
  return (
    <p class="check">
      <input type="checkbox" id={props.id} name="remember" value="1" />
      <label for={props.id}>{props.t.t('mfa.remember')}</label>
    </p>
  );
}

function CancelForm(props: PageProps & { uid: string; csrf: string; clientName?: string | undefined }): Child {
  if (props.clientName === undefined) return null;
  return (
    <form method="post" action={props.site.path(`/interaction/${props.uid}/abort`)} id="cancel-form">
      <input type="hidden" name="csrf" value={props.csrf} />
      <button type="submit" class="link" id="cancel">
        {props.t.t('login.cancel', { client: props.clientName })}
      </button>
    </form>
  );
}
