/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { ACCOUNT_SECURITY_PATH, REAUTH_PATH } from '../account/paths.js';
import type { SecuritySection, SecuritySectionInput } from '../account/security-sections.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Html } from '../pages/layout.js';
import type { Translator } from '../pages/translator.js';
import type { LinkedIdentity } from '../store/repos/linked-identities.js';
import { UNLINK_PATH } from './paths.js';

export interface ShownIdentity {
  identity: LinkedIdentity;
  providerName: string;
}

function When(props: { t: Translator; seconds: number }): Html {
  return (
    <time datetime={new Date(props.seconds * 1000).toISOString()} data-local="">
      {props.t.dateTime(props.seconds)}
    </time>
  );
}

/** The user's linked identities, each with an unlink button once the session signed in recently. */
export function LinkedIdentitiesView(props: SecuritySectionInput & { scope: IssuerScope; identities: ShownIdentity[] }): Html {
  const { scope, t, identities } = props;
  return (
    <section class="security-section" id="linked-identities" aria-labelledby="linked-identities-heading">
      <h2 id="linked-identities-heading">{t.t('federation.account.heading')}</h2>
      <p class="muted">{t.t('federation.account.intro')}</p>
      <ul class="linked-identities">
        {identities.map(({ identity, providerName }, i) => (
          <li id={`linked-identity-${i}`}>
            <p>
              <strong>{providerName}</strong>
              {identity.email ? <> {identity.email}</> : null}
            </p>
            <p class="muted">{t.rich('federation.account.linkedOn', { time: <When t={t} seconds={identity.linkedAt} /> })}</p>
            {props.recent ? (
              <form method="post" action={t.carry(scope.path(UNLINK_PATH))} class="unlink-form">
                <input type="hidden" name="csrf" value={props.csrf} />
                <input type="hidden" name="identity" value={identity.id} />
                <button type="submit" class="secondary" aria-label={t.t('federation.account.unlinkLabel', { provider: providerName })}>
                  {t.t('federation.account.unlink')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {props.recent ? null : (
        <form method="post" action={t.carry(scope.path(REAUTH_PATH))} id="linked-identities-reauth-form">
          <p class="muted">{t.t('federation.account.reauth')}</p>
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="return" value={ACCOUNT_SECURITY_PATH} />
          <button type="submit" class="secondary" id="linked-identities-reauth">
            {t.t('federation.account.reauthButton')}
          </button>
        </form>
      )}
    </section>
  );
}

/** The user's identities with their providers' names (a deleted provider's are gone with it). */
export async function shownIdentities(scope: IssuerScope, userId: string): Promise<ShownIdentity[]> {
  const [identities, providers] = await Promise.all([scope.repos.linkedIdentities.listForUser(userId), scope.repos.upstreamProviders.list()]);
  const names = new Map(providers.map((p) => [p.id, p.displayName]));
  return identities.map((identity) => ({ identity, providerName: names.get(identity.providerId) ?? identity.providerId }));
}

/** The linked accounts section of the account security page; shown only to users who have one. */
export const LINKED_IDENTITIES_SECTION: SecuritySection = {
  id: 'linked-identities',
  async render(_c: Context, scope: IssuerScope, input: SecuritySectionInput): Promise<Child> {
    const identities = await shownIdentities(scope, input.active.user.id);
    if (identities.length === 0) return null;
    return <LinkedIdentitiesView {...input} scope={scope} identities={identities} />;
  },
};
