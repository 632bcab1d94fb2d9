/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { SecuritySection, SecuritySectionInput } from '../account/security-sections.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Html, PageProps } from '../pages/layout.js';
import type { Text, Translator } from '../pages/translator.js';
import type { Passkey } from '../store/repos/passkeys.js';
import { PASSKEY_NAME_MAX, registrationOptions } from './ceremonies.js';
import { ADD_PASSKEY_PATH, PASSKEYS_PATH, REAUTH_PATH, REMOVE_PASSKEY_PATH, RENAME_PASSKEY_PATH } from './paths.js';

function When(props: { t: Translator; seconds: number }): Html {
  return (
    <time datetime={new Date(props.seconds * 1000).toISOString()} data-local="">
      {props.t.dateTime(props.seconds)}
    </time>
  );
}

function PasskeyItem(props: PageProps & { passkey: Passkey; index: number; csrf: string; recent: boolean }): Html {
  const { site, t, passkey, index } = props;
  return (
    <li class="passkey" id={`passkey-${index}`}>
      <strong class="passkey-name">{passkey.name}</strong>
      <p class="muted">
        {t.t('passkeys.addedOn')} <When t={t} seconds={passkey.createdAt} /> ·{' '}
        {passkey.lastUsedAt === null ? (
          t.t('passkeys.neverUsed')
        ) : (
          <>
            {t.t('passkeys.lastUsed')} <When t={t} seconds={passkey.lastUsedAt} />
          </>
        )}
        {passkey.deviceType === 'multiDevice' ? ` · ${t.t('passkeys.synced')}` : ''}
      </p>
      <form method="post" action={t.carry(site.path(RENAME_PASSKEY_PATH))} class="inline">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="id" value={passkey.id} />
        <label for={`passkey-rename-${index}`}>{t.t('passkeys.newName')}</label>
        <input type="text" id={`passkey-rename-${index}`} name="name" maxlength={PASSKEY_NAME_MAX} value={passkey.name} required />
        <button type="submit" id={`rename-passkey-${index}`}>
          {t.t('passkeys.rename')}
        </button>
      </form>
      {props.recent ? (
        <form method="post" action={t.carry(site.path(REMOVE_PASSKEY_PATH))} class="inline">
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="id" value={passkey.id} />
          <button type="submit" class="danger" id={`remove-passkey-${index}`}>
            {t.t('passkeys.remove')}
          </button>
        </form>
      ) : null}
    </li>
  );
}

/** The "Add a passkey" form: the name, and the credential passkeys/script.ts makes with `options`. */
export function AddPasskeyForm(props: PageProps & { csrf: string; options: string; next?: string | undefined; error?: Text | undefined }): Html {
  const { site, t } = props;
  return (
    <>
      <form method="post" action={t.carry(site.path(ADD_PASSKEY_PATH))} id="add-passkey-form" data-passkey="register" data-options={props.options}>
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="response" value="" />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <label for="passkey-name">{t.t('passkeys.name')}</label>
        <input type="text" id="passkey-name" name="name" maxlength={PASSKEY_NAME_MAX} value={t.t('passkeys.defaultName')} />
        {props.error ? (
          <p class="error" role="alert" id="passkey-error">
            {t.say(props.error)}
          </p>
        ) : null}
        <p data-passkey-problem hidden class="error" role="alert">
          {t.t('passkeys.addFailed')}
        </p>
        <div class="actions">
          <button type="submit" class="primary" id="add-passkey">
            {t.t('passkeys.add')}
          </button>
        </div>
      </form>
      <script src={site.path('/assets/passkeys.js')} defer />
    </>
  );
}

/** A sign-in too old to change passkeys: a button to prove it again (the account work's /account/reauth), back here after. */
export function ReauthForm(props: PageProps & { csrf: string }): Html {
  const { site, t } = props;
  return (
    <form method="post" action={t.carry(site.path(REAUTH_PATH))} id="passkeys-reauth-form">
      <p class="muted">{t.t('passkeys.reauthNeeded')}</p>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="return" value={PASSKEYS_PATH} />
      <button type="submit" id="passkeys-reauth">
        {t.t('passkeys.reauth')}
      </button>
    </form>
  );
}

/** The section's content, for the section list and for the passkeys page. */
export async function renderPasskeys(scope: IssuerScope, input: SecuritySectionInput & { error?: Text | undefined }): Promise<Child> {
  const { t, csrf, recent, active } = input;
  const passkeys = await scope.repos.passkeys.listForUser(active.user.id);
  // A challenge only for a session that may add a passkey now; it replaces the session's last one.
  const options = recent ? JSON.stringify(await registrationOptions(scope, active.user, active.session.id)) : undefined;
  return (
    <section id="passkeys" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">{t.t('passkeys.title')}</h2>
      <p class="muted">{t.t('passkeys.intro')}</p>
      {passkeys.length === 0 ? (
        <p id="no-passkeys">{t.t('passkeys.none')}</p>
      ) : (
        <ul class="passkeys" id="passkey-list">
          {passkeys.map((passkey, index) => (
            <PasskeyItem site={scope} t={t} passkey={passkey} index={index} csrf={csrf} recent={recent} />
          ))}
        </ul>
      )}
      {options ? <AddPasskeyForm site={scope} t={t} csrf={csrf} options={options} error={input.error} /> : <ReauthForm site={scope} t={t} csrf={csrf} />}
    </section>
  );
}

/** The passkeys' section of `<issuer>/account/security` (account/security-sections.ts). */
export const PASSKEYS_SECTION: SecuritySection = {
  id: 'passkeys',
  render(_c: Context, scope: IssuerScope, input: SecuritySectionInput): Promise<Child> {
    return renderPasskeys(scope, input);
  },
};
