import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { pageTranslator } from '../http/locale.js';
import { seeOther } from '../http/respond.js';
import { completeLogin } from '../interactions/complete-login.js';
import type { AnyLoadedInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { ACR_TWO_FACTORS, type Authentication, authenticatedBy } from '../signin/assurance.js';
import { DuplicateEmailError } from '../store/repos/users.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { FEDERATED_AMR } from './amr.js';
import { linkPath } from './paths.js';
import { applySsoRoles, ssoRefusal } from './sso.js';
import type { UpstreamProfile } from './upstream.js';

/**
 * What an upstream sign-in proves here: one factor, unless the operator trusts the provider's
 * `amr` (trust_amr), when what it says it checked counts as if checked here.
 */
export function upstreamAuthentication(provider: UpstreamProvider, profile: UpstreamProfile): Authentication {
  if (!provider.trustAmr) return authenticatedBy([FEDERATED_AMR]);
  const auth = authenticatedBy([FEDERATED_AMR, ...profile.amr]);
  if (profile.amr.includes('mfa') && auth.acr !== ACR_TWO_FACTORS) return { amr: [...auth.amr, 'mfa'], acr: ACR_TWO_FACTORS };
  return auth;
}

/**
 * Signs in whoever the upstream identity is here, after the callback verified it:
 * - linked before: that user;
 * - else an account with the same email: linked at once only when the provider asserts the email
 *   verified AND the operator trusts the provider for linking; otherwise the account must prove
 *   itself first (prove.ts);
 * - else a new user, just in time, when sign-up is open and the email is verified.
 * Every sign-in then goes through completeLogin, so the MFA policy applies as to any other.
 */
export async function signInUpstream(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  provider: UpstreamProvider,
  profile: UpstreamProfile,
  stateHash: string,
): Promise<Response> {
  const auth = upstreamAuthentication(provider, profile);
  const named = { provider: provider.displayName };
  const linked = await scope.repos.linkedIdentities.findBySubject(provider.id, profile.subject);
  if (linked) {
    const user = await scope.repos.users.findById(linked.userId);
    if (!user) throw new PageError(say('federation.failed', named));
    if (user.disabled) throw new PageError(say('federation.disabled'), { status: 403 });
    await scope.repos.linkedIdentities.touch(linked.id, profile.email);
    return signedInThrough(c, scope, loaded, provider, profile, user.id, auth);
  }
  if (!profile.email) throw new PageError(say('federation.noEmail', named));
  const existing = await scope.repos.users.findByEmail(profile.email);
  if (existing) {
    if (existing.disabled) throw new PageError(say('federation.disabled'), { status: 403 });
    if (profile.emailVerified && provider.trustedForLinking) {
      await refuseUnlessSso(scope, existing.id, provider);
      if (!(await link(scope, existing.id, provider, profile, 'verified_email'))) throw new PageError(say('federation.taken', named), { status: 409 });
      return signedInThrough(c, scope, loaded, provider, profile, existing.id, auth);
    }
    // Not an email this provider may vouch for: the account proves itself before anything is linked.
    await scope.repos.upstreamFlows.holdLink(stateHash, { userId: existing.id, subject: profile.subject, email: profile.email });
    return seeOther(c, pageTranslator(c).carry(scope.href(linkPath(loaded.interaction.id))));
  }
  if (!profile.emailVerified) throw new PageError(say('federation.unverified', named));
  if (scope.settings.signUp !== 'open') throw new PageError(say('federation.noSignUp', { email: profile.email }), { status: 403 });
  let userId: string;
  try {
    const user = await scope.repos.users.create({
      email: profile.email,
      emailVerified: true,
      passwordHash: null,
      name: profile.name,
      picture: profile.picture,
    });
    userId = user.id;
  } catch (error) {
    // Someone made the account a moment ago: it proves itself like any existing one.
    if (error instanceof DuplicateEmailError) throw new PageError(say('federation.expired'), { status: 409 });
    throw error;
  }
  if (!(await link(scope, userId, provider, profile, 'created'))) throw new PageError(say('federation.taken', named), { status: 409 });
  scope.services.logger.log('info', 'user created through upstream provider', { user: userId, provider: provider.id });
  return signedInThrough(c, scope, loaded, provider, profile, userId, auth);
}

async function refuseUnlessSso(scope: IssuerScope, userId: string, provider: UpstreamProvider): Promise<void> {
  const refusal = await ssoRefusal(scope, userId, provider.id);
  if (refusal) throw new PageError(refusal, { status: 403 });
}

/**
 * The upstream sign-in's end: refused for a member of an organization that requires another
 * provider; else the organization roles its claims map to, then completeLogin as any sign-in.
 */
async function signedInThrough(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  provider: UpstreamProvider,
  profile: UpstreamProfile,
  userId: string,
  auth: Authentication,
): Promise<Response> {
  await refuseUnlessSso(scope, userId, provider);
  await applySsoRoles(scope, provider, userId, profile.claims);
  return completeLogin(c, scope, loaded, userId, auth);
}

async function link(
  scope: IssuerScope,
  userId: string,
  provider: UpstreamProvider,
  profile: UpstreamProfile,
  how: 'created' | 'verified_email' | 'proved_account',
): Promise<boolean> {
  return (await scope.repos.linkedIdentities.link({ userId, providerId: provider.id, subject: profile.subject, email: profile.email, how })) !== undefined;
}

/**
 * The interaction's pending link, once its user proved the account (password, and the second
 * factor when the sign-in asks one): taken once, and linked unless the identity was linked meanwhile.
 */
export async function commitPendingLink(scope: IssuerScope, interactionId: string, userId: string): Promise<void> {
  const pending = await scope.repos.upstreamFlows.takeLink(interactionId, userId);
  if (!pending?.link) return;
  const provider = await scope.repos.upstreamProviders.find(pending.providerId);
  // A provider disabled meanwhile links nothing.
  if (!provider?.enabled) return;
  await scope.repos.linkedIdentities.link({
    userId,
    providerId: provider.id,
    subject: pending.link.subject,
    email: pending.link.email,
    how: 'proved_account',
  });
}
