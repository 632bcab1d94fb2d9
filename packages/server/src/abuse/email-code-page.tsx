/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { MailedCodeField } from '../pages/form-fields.js';
import { type Html, Layout, type PageProps } from '../pages/layout.js';
import type { Text } from '../pages/translator.js';

export interface EmailCodePageInput {
  uid: string;
  csrf: string;
  email: string;
  /** How long a code works, in minutes (the page says so). */
  minutes: number;
  error?: Text | undefined;
}

/**
 * "Enter your code": the same page whether or not the address has an account (the mail goes
 * out, or not, after the answer). Fields `email` (hidden, as typed) and `code`, posted to
 * /interaction/:uid/email-code/verify; "Sign in another way" goes back to the sign-in form.
 */
export function EmailCodePage(props: PageProps & EmailCodePageInput): Html {
  const { site, t, uid, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('abuse.emailCode.title')}>
      <h1 id="page-title">{t.t('abuse.emailCode.title')}</h1>
      <p id="code-sent">{t.t('abuse.emailCode.sent', { email: props.email, count: props.minutes })}</p>
      {error && (
        <p class="error" role="alert" id="code-error" tabindex={-1} autofocus>
          {t.say(error)}
        </p>
      )}
      <form method="post" action={site.path(`/interaction/${uid}/email-code/verify`)} id="email-code-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="email" value={props.email} />
        <MailedCodeField label={t.t('abuse.emailCode.label')} describedBy={error ? 'code-error code-sent' : 'code-sent'} autofocus={!error} />
        <div class="actions">
          <button type="submit" class="primary" id="code-submit">
            {t.t('abuse.emailCode.submit')}
          </button>
        </div>
      </form>
      <p>
        <a href={t.carry(site.path(`/interaction/${uid}`))} id="email-code-back">
          {t.t('abuse.emailCode.back')}
        </a>
      </p>
    </Layout>
  );
}
