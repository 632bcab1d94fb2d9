import type { Services } from '../services.js';
import { notFound, invalid, conflict } from '../services/errors.js';
import { ClaimAttributeRepository } from '../store/repos/claim-attributes.js';
import { ClaimConfigRepository } from '../store/repos/claim-config.js';
import {
  type ApiDefinition,
  type AttributeDefinition,
  type AttributeTarget,
  type ClaimsConfig,
  type ScopeDefinition,
  checkApi,
  checkAttribute,
  checkHook,
  checkScope,
  claimUsers,
  hookUsers,
} from './config.js';
import { type HookDefinition, hookSecretLabel } from './hook.js';
import { destinationProblem } from '../webhooks/outbound.js';
import { newWebhookSecret } from '../webhooks/signing.js';
import { CUSTOMER_ATTRIBUTE, SUBSCRIPTION, SUBSCRIPTION_SCHEMA, stripeSecretLabel } from './stripe.js';
import { validate } from './json-schema.js';

/**
 * The one write path for an issuer's APIs, custom scopes, attribute schemas and attribute
 * values: the Admin API, the CLI and the console call these. A definition is validated against
 * the rest of the issuer's configuration; storing it bumps the issuer's revision, so every
 * process builds the issuer's scope again (issuers/scopes.ts) within its scope TTL, this one at once.
 */
export class ClaimsService {
  readonly #config: ClaimConfigRepository;
  readonly #attributes: ClaimAttributeRepository;

  constructor(
    private readonly services: Services,
    readonly issuerId: string,
  ) {
    this.#config = new ClaimConfigRepository(services.store.db, services.clock, issuerId);
    this.#attributes = new ClaimAttributeRepository(services.store.db, services.clock, issuerId);
  }

  config(): Promise<ClaimsConfig> {
    return this.#config.load();
  }

  async #changed(what: string): Promise<void> {
    await this.services.scopes.issuers.update(this.issuerId, { also: [what] });
    this.services.scopes.invalidate(this.issuerId);
  }

  /** Creates or replaces an API; true when it is new. */
  async putApi(input: Record<string, unknown>): Promise<{ api: ApiDefinition; created: boolean }> {
    const api = checkApi(input, await this.config());
    const created = await this.#config.put('api', api);
    await this.#changed('apis');
    return { api, created };
  }

  async deleteApi(identifier: string): Promise<void> {
    if (!(await this.#config.delete('api', identifier))) throw notFound('identifier', `No API ${identifier.slice(0, 200)}`);
    await this.#changed('apis');
  }

  async putScope(input: Record<string, unknown>): Promise<{ scope: ScopeDefinition; created: boolean }> {
    const scope = checkScope(input, await this.config());
    const created = await this.#config.put('scope', scope);
    await this.#changed('scopes');
    return { scope, created };
  }

  async deleteScope(name: string): Promise<void> {
    if (!(await this.#config.delete('scope', name))) throw notFound('name', `No custom scope ${name.slice(0, 100)}`);
    await this.#changed('scopes');
  }

  /** Defines an attribute (its schema); values already stored are checked against a new schema. */
  async putAttribute(input: Record<string, unknown>): Promise<{ attribute: AttributeDefinition; created: boolean }> {
    const attribute = checkAttribute(input, await this.config());
    const created = await this.#config.put('attribute', attribute);
    await this.#changed('attributes');
    return { attribute, created };
  }

  async deleteAttribute(name: string): Promise<void> {
    const users = claimUsers(await this.config(), name);
    if (users.length > 0) throw conflict('name', `The attribute ${name} is released by ${users.join(', ')}: remove it there first`);
    if (!(await this.#config.delete('attribute', name))) throw notFound('name', `No attribute ${name.slice(0, 100)}`);
    await this.services.store.db.deleteFrom('claim_attributes').where('issuer_id', '=', this.issuerId).where('name', '=', name).execute();
    await this.#changed('attributes');
  }

  /** Registers or replaces a claims hook; a new one gets a signing secret, returned this once. */
  async putHook(input: Record<string, unknown>): Promise<{ hook: HookDefinition; created: boolean; secret: string | undefined }> {
    const config = await this.config();
    const allowed = this.services.config.webhookAllowedHosts;
    const checked = checkHook(input, config, (url) => destinationProblem(url, allowed));
    const existing = (config.hooks ?? []).find((h) => h.name === checked.name);
    const secret = existing ? undefined : newWebhookSecret();
    const sealedSecret = existing?.sealedSecret ?? (await this.services.box.seal(secret as string, hookSecretLabel(this.issuerId, checked.name)));
    const hook: HookDefinition = { ...checked, sealedSecret };
    const created = await this.#config.put('hook', hook);
    await this.#changed('hooks');
    return { hook, created, secret };
  }

  async deleteHook(name: string): Promise<void> {
    const config = await this.config();
    const hook = (config.hooks ?? []).find((h) => h.name === name);
    if (!hook) throw notFound('name', `No claims hook ${name.slice(0, 64)}`);
    const users = hookUsers(config, hook);
    if (users.length > 0) throw conflict('name', `The claims of the hook ${name} are released by ${users.join(', ')}: remove them there first`);
    await this.#config.delete('hook', name);
    await this.#changed('hooks');
  }

  /**
   * Connects the issuer to Stripe: the webhook signing secret (whsec_… from Stripe's dashboard,
   * stored sealed) and whether subscriptions belong to users or organizations. Defines what is
   * missing of the `stripe_customer` and `subscription` attributes and the `subscription` scope
   * (in the ID token: apps adjust their features to it).
   */
  async connectStripe(input: { webhookSecret: string; target?: AttributeTarget }): Promise<void> {
    const target = input.target ?? 'user';
    if (target !== 'user' && target !== 'organization') throw invalid('target', 'target is user or organization');
    if (!/^whsec_[A-Za-z0-9+/=_-]{8,200}$/.test(input.webhookSecret)) throw invalid('webhookSecret', 'the webhook signing secret starts with whsec_');
    let config = await this.config();
    if (!config.attributes.some((a) => a.name === CUSTOMER_ATTRIBUTE)) {
      await this.#config.put(
        'attribute',
        checkAttribute({ name: CUSTOMER_ATTRIBUTE, target, schema: { type: 'string', pattern: '^cus_' }, description: 'Stripe customer id' }, config),
      );
    }
    config = await this.config();
    if (!config.attributes.some((a) => a.name === SUBSCRIPTION)) {
      await this.#config.put(
        'attribute',
        checkAttribute({ name: SUBSCRIPTION, target, schema: SUBSCRIPTION_SCHEMA, description: 'The Stripe subscription' }, config),
      );
    }
    config = await this.config();
    if (!config.scopes.some((s) => s.name === SUBSCRIPTION)) {
      await this.#config.put(
        'scope',
        checkScope({ name: SUBSCRIPTION, descriptions: { en: 'See your subscription: its plan and status' }, claims: [SUBSCRIPTION], idToken: true }, config),
      );
    }
    const sealedSecret = await this.services.box.seal(input.webhookSecret, stripeSecretLabel(this.issuerId));
    await this.#config.put('stripe', { sealedSecret, target });
    await this.#changed('stripe');
  }

  /** Whether the issuer is connected to Stripe, and for whom it keeps subscriptions (never the secret). */
  async stripeConnection(): Promise<{ target: AttributeTarget } | undefined> {
    const { stripe } = await this.config();
    return stripe ? { target: stripe.target } : undefined;
  }

  /**
   * Forgets the Stripe webhook secret: the webhook answers 404 from then on. The attributes and
   * the `subscription` scope stay, with the subscriptions already kept (apps keep reading them
   * until they are changed or the definitions deleted); connecting again resumes the updates.
   */
  async disconnectStripe(): Promise<void> {
    if (!(await this.#config.delete('stripe', 'stripe'))) throw notFound('stripe', 'This issuer is not connected to Stripe');
    await this.#changed('stripe');
  }

  async #definition(target: AttributeTarget, name: string): Promise<AttributeDefinition> {
    const definition = (await this.config()).attributes.find((a) => a.name === name);
    if (!definition) throw notFound('name', `No attribute ${name.slice(0, 100)}: define it first (its JSON schema)`);
    if (definition.target !== target) throw invalid('name', `The attribute ${name} is for ${definition.target}s`);
    return definition;
  }

  /** Sets a user's or organization's attribute, valid against its schema (else `invalid` naming each problem). */
  async setAttribute(target: AttributeTarget, subjectId: string, name: string, value: unknown): Promise<void> {
    const definition = await this.#definition(target, name);
    const problems = validate(definition.schema, value);
    if (problems.length > 0) throw invalid('value', `The value does not match the schema of ${name}: ${problems.slice(0, 5).join('; ')}`);
    await this.#subject(target, subjectId);
    await this.#attributes.set(target, subjectId, name, value);
  }

  async unsetAttribute(target: AttributeTarget, subjectId: string, name: string): Promise<boolean> {
    await this.#subject(target, subjectId);
    return this.#attributes.unset(target, subjectId, name);
  }

  async attributesOf(target: AttributeTarget, subjectId: string): Promise<Record<string, unknown>> {
    await this.#subject(target, subjectId);
    return this.#attributes.of(target, subjectId);
  }

  async #subject(target: AttributeTarget, id: string): Promise<void> {
    const table = target === 'user' ? 'users' : 'organizations';
    const found = await this.services.store.db.selectFrom(table).select('id').where('issuer_id', '=', this.issuerId).where('id', '=', id).executeTakeFirst();
    if (!found) throw notFound(target === 'user' ? 'user' : 'organization', `No ${target} ${id.slice(0, 80)}`);
  }
}
