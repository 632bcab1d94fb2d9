/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import type { Html, PageProps } from './layout.js';

export interface ConfirmRemoveFormInput {
  /** The path the confirmation posts to (under the issuer). */
  action: string;
  csrf: string;
  /** What is removed: the grant, and the scope when only one is. */
  fields: Readonly<Record<string, string>>;
  ids: { form: string; confirm: string; cancel: string };
  text: { confirm: string; cancel: string };
}

/**
 * The "yes, remove it" form of the account's removal pages (an app's access, one of its
 * permissions): it posts `confirm=yes` with the CSRF token; "keep" goes back to the apps page.
 */
export function ConfirmRemoveForm(props: Pick<PageProps, 'site' | 't'> & ConfirmRemoveFormInput): Html {
  const { site, t } = props;
  return (
    <form method="post" action={t.carry(site.path(props.action))} id={props.ids.form}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {Object.entries(props.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="confirm" value="yes" />
      <div class="actions">
        <button type="submit" class="primary" id={props.ids.confirm} autofocus>
          {props.text.confirm}
        </button>
        <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} class="button" id={props.ids.cancel}>
          {props.text.cancel}
        </a>
      </div>
    </form>
  );
}
