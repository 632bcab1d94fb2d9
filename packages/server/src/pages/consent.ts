import { html } from 'hono/html';
import type { Site } from './site.js';
import { type Html, layout } from './layout.js';
import { describeScope, isRequiredScope } from './scope-text.js';

export interface ConsentPageInput {
  uid: string;
  csrf: string;
  clientName: string;
  clientDescription: string;
  userEmail: string;
  scopes: string[];
}

/**
 * What the app asks for, in plain words: one checkbox named `scope` per scope; the form submits
 * `decision=approve` or `decision=deny`.
 */
export function consentPage(site: Site, input: ConsentPageInput): Html {
  const items = input.scopes.map((scope) => {
    const id = `scope-${scope.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const required = isRequiredScope(scope);
    return html`<li>
      <input type="checkbox" id="${id}" name="scope" value="${scope}" checked ${required ? html`disabled aria-describedby="${id}-note"` : ''} />
      <label for="${id}">${describeScope(scope)}</label>
      ${required ? html`<span class="muted" id="${id}-note">(required)</span>` : ''}
    </li>`;
  });
  return layout(
    site,
    'Allow access',
    html`<h1 id="page-title"><strong>${input.clientName}</strong> wants to access your account</h1>
      ${input.clientDescription ? html`<p class="muted">${input.clientDescription}</p>` : ''}
      <p class="muted">Signed in as ${input.userEmail}</p>
      <form method="post" action="${site.path(`/interaction/${input.uid}/consent`)}" id="consent-form">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <fieldset>
          <legend>This will allow ${input.clientName} to:</legend>
          <ul class="scopes">
            ${items}
          </ul>
        </fieldset>
        <div class="actions">
          <button type="submit" name="decision" value="approve" class="primary" id="approve">Allow</button>
          <button type="submit" name="decision" value="deny" class="secondary" id="deny">Deny</button>
        </div>
      </form>`,
  );
}
