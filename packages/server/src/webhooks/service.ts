import type { IssuerScope } from '../issuers/scope.js';
import { invalid, notFound } from '../services/errors.js';
import type { ReplayOutcome, WebhookEndpoint } from '../store/repos/webhooks.js';
import { randomToken } from '../tokens/random.js';
import { EventFilterError, parseEventFilter } from './filters.js';
import { destinationProblem } from './outbound.js';
import { secretLabel } from './secrets.js';
import { newWebhookSecret } from './signing.js';

/**
 * Webhook endpoints as the Admin API, the console and the CLI change them: the same rules
 * whichever is used. A secret is returned once, when it is made; it is stored sealed.
 */

/** Longest a previous secret may keep signing after a rotation: a week. */
export const MAX_SECRET_OVERLAP = 7 * 86_400;
/** How long it does unless asked otherwise: a day, time to redeploy every receiver. */
export const DEFAULT_SECRET_OVERLAP = 86_400;
const MAX_URL = 2000;
const MAX_DESCRIPTION = 500;

export interface WebhookInput {
  url: string;
  events: string;
  description?: string;
}

export interface WebhookChange {
  url?: string;
  events?: string;
  description?: string;
  enabled?: boolean;
}

function checkedUrl(scope: IssuerScope, raw: string): string {
  const url = raw.trim();
  if (url.length > MAX_URL) throw invalid('url', `the URL must be at most ${MAX_URL} characters`);
  const problem = destinationProblem(url, scope.services.config.webhookAllowedHosts);
  if (problem) throw invalid('url', problem);
  return url;
}

function checkedEvents(raw: string): ReturnType<typeof parseEventFilter> {
  try {
    return parseEventFilter(raw);
  } catch (error) {
    if (error instanceof EventFilterError) throw invalid('events', error.message);
    throw error;
  }
}

function checkedDescription(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if ([...value].length > MAX_DESCRIPTION) throw invalid('description', `the description must be at most ${MAX_DESCRIPTION} characters`);
  if (/\p{Cc}/u.test(value)) throw invalid('description', 'the description must not contain control characters (such as newlines)');
  return value;
}

export async function createWebhook(scope: IssuerScope, input: WebhookInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = checkedUrl(scope, input.url);
  const events = checkedEvents(input.events);
  const description = checkedDescription(input.description);
  const id = `wh_${randomToken(12)}`;
  const secret = newWebhookSecret();
  const sealedSecret = await scope.services.box.seal(secret, secretLabel(scope.id, id));
  const endpoint = await scope.repos.webhooks.create({ id, url, events: events.filter, patterns: events.patterns, description, sealedSecret });
  return { endpoint, secret };
}

export async function existingWebhook(scope: IssuerScope, id: string): Promise<WebhookEndpoint> {
  const endpoint = await scope.repos.webhooks.find(id);
  if (!endpoint) throw notFound('id', `there is no webhook endpoint ${id.slice(0, 100)} at this issuer`);
  return endpoint;
}

export async function updateWebhook(scope: IssuerScope, id: string, change: WebhookChange): Promise<WebhookEndpoint> {
  const updated = await scope.repos.webhooks.update(id, {
    url: change.url === undefined ? undefined : checkedUrl(scope, change.url),
    events: change.events === undefined ? undefined : checkedEvents(change.events),
    description: change.description === undefined ? undefined : checkedDescription(change.description),
    enabled: change.enabled,
  });
  if (!updated) throw notFound('id', `there is no webhook endpoint ${id.slice(0, 100)} at this issuer`);
  // Enabled again: what it missed while disabled is in its dead letters, replayable.
  if (change.enabled) scope.services.webhooks.wake();
  return updated;
}

export async function deleteWebhook(scope: IssuerScope, id: string): Promise<void> {
  if (!(await scope.repos.webhooks.delete(id))) throw notFound('id', `there is no webhook endpoint ${id.slice(0, 100)} at this issuer`);
}

/**
 * A new signing secret, returned this once. The current one becomes the previous one and keeps
 * signing beside it (two signatures in webhook-signature) for `overlapSeconds`.
 */
export async function rotateWebhookSecret(
  scope: IssuerScope,
  id: string,
  overlapSeconds: number = DEFAULT_SECRET_OVERLAP,
): Promise<{ secret: string; previousExpiresAt: number | null }> {
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_SECRET_OVERLAP) {
    throw invalid('overlapSeconds', `the overlap must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP}`);
  }
  const endpoint = await existingWebhook(scope, id);
  const { box, clock } = scope.services;
  const label = secretLabel(scope.id, id);
  const secret = newWebhookSecret();
  const previousExpiresAt = overlapSeconds > 0 ? clock() + overlapSeconds : null;
  const sealed = await box.seal(secret, label);
  if (!(await scope.repos.webhooks.rotate(id, sealed, previousExpiresAt === null ? null : endpoint.sealedSecret, previousExpiresAt))) {
    throw notFound('id', `there is no webhook endpoint ${id.slice(0, 100)} at this issuer`);
  }
  return { secret, previousExpiresAt };
}

/** Queues `eventId` for the endpoint again (a dead letter, or one delivered before) and starts delivering. */
export async function replayWebhook(scope: IssuerScope, id: string, eventId: string): Promise<Exclude<ReplayOutcome, 'unknown_event'>> {
  await existingWebhook(scope, id);
  const outcome = await scope.repos.webhooks.replay(id, eventId);
  if (outcome === 'unknown_event') throw notFound('event', `there is no event ${eventId.slice(0, 100)} at this issuer`);
  scope.services.webhooks.wake();
  return outcome;
}

/** Sends a `webhook.test` event to this endpoint (and no other); returns the event's id. */
export async function testWebhook(scope: IssuerScope, id: string): Promise<string> {
  const endpoint = await existingWebhook(scope, id);
  if (!endpoint.enabled) throw invalid('enabled', 'the endpoint is disabled: enable it first');
  const eventId = await scope.repos.webhooks.queueTest(id);
  scope.services.webhooks.wake();
  return eventId;
}
