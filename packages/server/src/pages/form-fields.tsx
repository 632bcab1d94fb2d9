/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-policy.js';
import type { Html } from './layout.js';

/**
 * The field of a mailed six-digit code (`code`): digits on a phone keyboard, the browser's
 * one-time-code autofill, left to right in every language. Separators typed with it are
 * dropped by the server, so it takes up to 12 characters.
 */
export function MailedCodeField(props: { label: string; describedBy?: string | undefined; autofocus: boolean }): Html {
  return (
    <>
      <label for="code">{props.label}</label>
      <input
        type="text"
        id="code"
        name="code"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxlength={12}
        required
        dir="ltr"
        aria-describedby={props.describedBy}
        autofocus={props.autofocus}
      />
    </>
  );
}

/** A new password's input (`id` is also its name), with the policy's lengths for the browser's own hints. */
export function NewPasswordInput(props: { id: string; describedBy?: string | undefined }): Html {
  return (
    <input
      type="password"
      id={props.id}
      name={props.id}
      autocomplete="new-password"
      required
      minlength={PASSWORD_MIN}
      maxlength={PASSWORD_MAX}
      aria-describedby={props.describedBy}
    />
  );
}
