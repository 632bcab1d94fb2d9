/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html, PageProps } from '../pages/layout.js';

/** Where the passkey sign-in posts, under the interaction. */
export const PASSKEY_STEP = 'passkey';

/**
 * "Sign in with a passkey" under the password form: a form of the `csrf` and the assertion
 * (`response`), which passkeys/script.ts fills and submits, from the button or from the email
 * field's autofill. Hidden until the script finds WebAuthn, so a browser without it sees only
 * the password form.
 */
export function PasskeySignIn(props: PageProps & { uid: string; csrf: string; options: string }): Html {
  const { site, t } = props;
  return (
    <>
      <div data-passkey-offer hidden>
        <p class="muted">{t.t('passkeys.or')}</p>
        <form method="post" action={site.path(`/interaction/${props.uid}/${PASSKEY_STEP}`)} id="passkey-form" data-passkey="login" data-options={props.options}>
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="response" value="" />
          <p data-passkey-problem hidden class="error" role="alert">
            {t.t('passkeys.failed')}
          </p>
          <div class="actions">
            <button type="button" id="passkey-sign-in">
              {t.t('passkeys.signIn')}
            </button>
          </div>
        </form>
      </div>
      <script src={site.path('/assets/passkeys.js')} defer />
    </>
  );
}
