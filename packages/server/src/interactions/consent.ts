import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { logSecurityEvent } from '../http/request-log.js';
import { pageTranslator } from '../http/locale.js';
import { say } from '../pages/translator.js';
import { readPageForm } from '../http/form.js';
import { ConsentPage } from '../pages/consent.js';
import { isRequiredScope } from '../pages/scope-text.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Session } from '../store/repos/sessions.js';
import type { User } from '../store/repos/users.js';
import { completeWithCode, finishDenied, leaveInteraction } from './finish.js';
import { type LoadedInteraction, loadInteraction } from './load.js';
import { sendPage } from '../http/respond.js';

/** The signed-in user and session a consent step belongs to. */
async function consentingUser(scope: IssuerScope, loaded: LoadedInteraction): Promise<{ user: User; session: Session }> {
  const { interaction } = loaded;
  const session = interaction.sessionId ? await scope.repos.sessions.findById(interaction.sessionId) : undefined;
  const user = session ? await scope.repos.users.findById(session.userId) : undefined;
  if (interaction.prompt !== 'consent' || !session || !user || user.disabled || session.userId !== interaction.userId) {
    throw new PageError(say('interaction.sessionEnded'));
  }
  return { user, session };
}

export async function showConsent(c: Context, scope: IssuerScope, loaded: LoadedInteraction): Promise<Response> {
  const { user } = await consentingUser(scope, loaded);
  return sendPage(
    c,
    ConsentPage({
      site: scope,
      t: pageTranslator(c),
      uid: loaded.interaction.id,
      csrf: loaded.interaction.csrfToken,
      clientName: loaded.client.name,
      links: loaded.client.links,
      clientDescription: loaded.client.description,
      userEmail: user.email,
      scopes: loaded.interaction.params.scopes,
      apis: scope.registries.apis,
    }),
  );
}

/** POST /interaction/:uid/consent: approve (with the scopes left ticked) or deny. */
export async function handleConsent(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadInteraction(c, scope, form.get('csrf'));
  const { user, session } = await consentingUser(scope, loaded);
  const decision = form.get('decision');
  if (decision === 'deny') logSecurityEvent(c, 'info', 'consent_denied', { user: user.id, client: loaded.client.id });
  if (decision === 'deny') return finishDenied(c, scope, loaded, 'The user denied access');
  if (decision !== 'approve') throw new PageError(say('consent.choose'));
  const ticked = new Set(form.getAll('scope'));
  const granted = loaded.interaction.params.scopes.filter((s) => isRequiredScope(s, scope.registries.apis) || ticked.has(s));
  const location = await scope.transaction(async (repos) => {
    await repos.consents.add(user.id, loaded.client.id, granted);
    return completeWithCode(scope, repos, loaded, session, granted);
  });
  logSecurityEvent(c, 'info', 'consent_granted', { user: user.id, client: loaded.client.id, scopes: granted.join(' ') });
  return leaveInteraction(c, scope, loaded, location);
}
