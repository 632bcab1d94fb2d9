/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Html, Layout, type PageProps } from './layout.js';

export interface ChooserAccount {
  /** The session's public id: what the form posts, never its cookie. */
  sid: string;
  email: string;
  name: string | null;
}

export interface SelectAccountPageInput {
  uid: string;
  csrf: string;
  clientName: string;
  accounts: ChooserAccount[];
  error?: boolean;
}

/**
 * The account chooser (prompt=select_account, or "Not you?" on the consent page): one button
 * per account the browser is signed in to, posting `account=<sid>`, and "Use another account"
 * posting `account=another`, to /interaction/:uid/select_account.
 */
export function SelectAccountPage(props: PageProps & SelectAccountPageInput): Html {
  const { site, t, uid, clientName } = props;
  return (
    <Layout site={site} t={t} title={t.t('select.title')}>
      <h1 id="page-title">{t.t('select.title')}</h1>
      <p class="muted">{t.rich('select.forClient', { client: <strong>{clientName}</strong> })}</p>
      {props.error ? (
        <p class="error" role="alert" id="select-error" tabindex={-1}>
          {t.t('select.gone')}
        </p>
      ) : null}
      <form method="post" action={site.path(`/interaction/${uid}/select_account`)} id="select-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <ul class="accounts">
          {props.accounts.map((account, index) => (
            <li>
              <button
                type="submit"
                name="account"
                value={account.sid}
                class={index === 0 ? 'primary' : 'secondary'}
                id={`account-${index}`}
                autofocus={index === 0}
              >
                {t.rich('select.continueAs', { name: <bdi>{account.name ?? account.email}</bdi> })}
                {account.name ? (
                  <span class="account-email">
                    <bdi>{account.email}</bdi>
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <div class="actions">
          <button type="submit" name="account" value="another" class="link" id="another-account">
            {t.t('select.another')}
          </button>
        </div>
      </form>
      <form method="post" action={site.path(`/interaction/${uid}/abort`)} id="cancel-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" class="link" id="cancel">
          {t.t('login.cancel', { client: clientName })}
        </button>
      </form>
    </Layout>
  );
}
