/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { ClientLinks } from '../store/repos/clients.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { ApiRegistry } from '../claims/registries.js';
import { describeScope, isRequiredScope, scopeApi } from './scope-text.js';

export interface ConsentPageInput {
  uid: string;
  csrf: string;
  clientName: string;
  /** The app's registered logo and pages (RFC 7591); each shown only when registered. */
  links: ClientLinks;
  clientDescription: string;
  userEmail: string;
  scopes: string[];
  /** The issuer's own scopes and APIs, for their descriptions (claims/registries.ts). */
  apis?: ApiRegistry;
}

/**
 * What the app asks for, in plain words: one checkbox named `scope` per scope; the form submits
 * `decision=approve` or `decision=deny`.
 */
export function ConsentPage(props: PageProps & ConsentPageInput): Html {
  const { site, t, clientName } = props;
  return (
    <Layout site={site} t={t} title={t.t('consent.title')}>
      {props.links.logoUri ? (
        <img src={props.links.logoUri} alt={t.t('consent.logo', { client: clientName })} class="app-logo" id="app-logo" width="64" height="64" />
      ) : null}
      <h1 id="page-title">{t.rich('consent.heading', { client: <strong>{clientName}</strong> })}</h1>
      {props.clientDescription ? <p class="muted">{props.clientDescription}</p> : null}
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      <form method="post" action={site.path(`/interaction/${props.uid}/consent`)} id="consent-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <fieldset>
          <legend>{t.t('consent.legend', { client: clientName })}</legend>
          <ul class="scopes">
            {props.scopes.map((scope) => {
              const id = `scope-${scope.replace(/[^A-Za-z0-9_-]/g, '_')}`;
              const required = isRequiredScope(scope, props.apis);
              const api = scopeApi(scope, props.apis);
              return (
                <li>
                  <input
                    type="checkbox"
                    id={id}
                    name="scope"
                    value={scope}
                    checked
                    disabled={required}
                    aria-describedby={required ? `${id}-note` : undefined}
                  />{' '}
                  <label for={id}>{describeScope(t, scope, props.apis)}</label>
                  {api ? (
                    <>
                      {' '}
                      <span class="muted">{t.t('scopes.forApi', { api })}</span>
                    </>
                  ) : null}
                  {required ? (
                    <>
                      {' '}
                      <span class="muted" id={`${id}-note`}>
                        {t.t('consent.required')}
                      </span>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </fieldset>
        {props.links.policyUri || props.links.tosUri ? (
          <p class="muted app-links">
            {props.links.policyUri ? (
              <a href={props.links.policyUri} rel="noopener noreferrer" target="_blank" id="app-policy">
                {t.t('consent.policy', { client: clientName })}
              </a>
            ) : null}
            {props.links.policyUri && props.links.tosUri ? ' · ' : null}
            {props.links.tosUri ? (
              <a href={props.links.tosUri} rel="noopener noreferrer" target="_blank" id="app-terms">
                {t.t('consent.terms', { client: clientName })}
              </a>
            ) : null}
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" name="decision" value="approve" class="primary" id="approve">
            {t.t('consent.allow')}
          </button>
          <button type="submit" name="decision" value="deny" class="secondary" id="deny">
            {t.t('consent.deny')}
          </button>
        </div>
      </form>
      <form method="post" action={site.path(`/interaction/${props.uid}/switch`)} id="switch-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" class="link" id="not-you">
          {t.t('consent.notYou')}
        </button>
      </form>
    </Layout>
  );
}
