import { z } from 'zod';
import type { WebhookAttempt, WebhookEndpoint } from '../../store/repos/webhooks.js';
import {
  DEFAULT_SECRET_OVERLAP,
  MAX_SECRET_OVERLAP,
  createWebhook,
  deleteWebhook,
  existingWebhook,
  replayWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from '../../webhooks/service.js';
import { type AdminRoute, defineRoute } from './define.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf, pageQuery, pageSchema } from './paging.js';
import { PROBLEM_RESPONSES } from './responses.js';

const TAG = 'Webhooks';
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const isoOrNull = (seconds: number | null): string | null => (seconds === null ? null : iso(seconds));

const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.string().meta({ description: 'Comma-separated event types, `<group>.*` or `*` (docs/events.md)' }),
    description: z.string(),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().meta({ description: 'Why it is disabled: by an administrator, or failing for a day' }),
    failing_since: z.iso.datetime().nullable().meta({ description: 'Since when every attempt has failed; null while it works' }),
    previous_secret_expires_at: z.iso.datetime().nullable().meta({ description: 'Until when the secret before the last rotation signs too' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });

const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: 'The signing secret (whsec_…), shown this once; it is stored sealed' }) })
  .meta({ id: 'CreatedWebhook' });

const url = z.string().max(2000).meta({ description: 'https URL (plain http only to hosts in GATEHOUSE_WEBHOOK_ALLOWED_HOSTS)' });
const events = z.string().max(2000).meta({ description: 'Comma-separated: grant.revoked,user.*' });
const description = z.string().max(500);

const newWebhookSchema = z.strictObject({ url, events, description: description.optional() }).meta({ id: 'NewWebhook' });
const webhookPatchSchema = z
  .strictObject({ url: url.optional(), events: events.optional(), description: description.optional(), enabled: z.boolean().optional() })
  .meta({ id: 'WebhookPatch' });

const rotateSchema = z
  .strictObject({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_SECRET_OVERLAP)
      .optional()
      .meta({ description: `Seconds the previous secret keeps signing too, 0 to ${MAX_SECRET_OVERLAP} (default ${DEFAULT_SECRET_OVERLAP})` }),
  })
  .meta({ id: 'WebhookSecretRotation' });

const rotatedSchema = z
  .object({
    secret: z.string().meta({ description: 'The new secret, shown this once' }),
    previous_secret_expires_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'RotatedWebhookSecret' });

const attemptSchema = z
  .object({
    id: z.string(),
    event_id: z.string().meta({ description: 'The webhook-id header of the delivery' }),
    event_type: z.string(),
    attempt: z.number().int().meta({ description: '1 for the first try of this delivery, counting again after a replay' }),
    status: z.number().int().nullable().meta({ description: 'The HTTP status; null when no answer came' }),
    latency_ms: z.number().int(),
    response: z.string().nullable().meta({ description: 'The first kilobyte of the answer' }),
    error: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'WebhookAttempt' });

const replayedSchema = z
  .object({ status: z.enum(['queued', 'pending']).meta({ description: 'queued: it is delivered again now; pending: it was still to be delivered' }) })
  .meta({ id: 'WebhookReplay' });

const testedSchema = z.object({ event_id: z.string().meta({ description: 'The webhook.test event sent' }) }).meta({ id: 'WebhookTest' });

const listQuery = z.strictObject({ ...pageQuery });

function webhookView(e: WebhookEndpoint): z.infer<typeof webhookSchema> {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    disabled_reason: e.disabledReason,
    failing_since: isoOrNull(e.failingSince),
    previous_secret_expires_at: isoOrNull(e.previousExpiresAt),
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
  };
}

function attemptView(a: WebhookAttempt): z.infer<typeof attemptSchema> {
  return {
    id: a.id,
    event_id: a.eventId,
    event_type: a.eventType,
    attempt: a.attempt,
    status: a.status,
    latency_ms: a.latencyMs,
    response: a.response,
    error: a.error,
    at: iso(a.at),
  };
}

const FIELDS = { overlapSeconds: 'overlap_seconds', id: 'webhook_id', event: 'event_id' };

export const WEBHOOK_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhooks',
    summary: 'List webhook endpoints',
    tag: TAG,
    need: 'read',
    query: listQuery,
    responses: { 200: { description: 'A page of endpoints, in registration order', schema: pageSchema(webhookSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.webhooks.page({ after: decodeCursor(query.cursor), limit });
      return { status: 200, body: pageOf(rows, limit, (e) => [e.createdAt, e.id], webhookView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhook',
    summary: 'Register a webhook endpoint',
    description: 'The answer holds the signing secret, this once. Send an Idempotency-Key to retry safely.',
    tag: TAG,
    need: 'write',
    body: newWebhookSchema,
    idempotent: true,
    fieldNames: FIELDS,
    responses: { 201: { description: 'The endpoint, with its secret', schema: createdWebhookSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      const { endpoint, secret } = await createWebhook(scope, body);
      return { status: 201, body: { ...webhookView(endpoint), secret }, location: `/webhooks/${endpoint.id}` };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/{webhook_id}',
    operationId: 'getWebhook',
    summary: 'Read a webhook endpoint',
    tag: TAG,
    need: 'read',
    fieldNames: FIELDS,
    responses: { 200: { description: 'The endpoint (never its secret)', schema: webhookSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      return { status: 200, body: webhookView(await existingWebhook(scope, params.webhook_id ?? '')) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/webhooks/{webhook_id}',
    operationId: 'updateWebhook',
    summary: 'Change a webhook endpoint',
    description: 'Enabling a disabled endpoint forgets why it was disabled; what it missed meanwhile is in its dead letters: replay it.',
    tag: TAG,
    need: 'write',
    body: webhookPatchSchema,
    fieldNames: FIELDS,
    responses: { 200: { description: 'The endpoint as it is now', schema: webhookSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      return { status: 200, body: webhookView(await updateWebhook(scope, params.webhook_id ?? '', body)) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/webhooks/{webhook_id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook endpoint',
    description: 'With its delivery log and the deliveries still to make to it.',
    tag: TAG,
    need: 'write',
    fieldNames: FIELDS,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      await deleteWebhook(scope, params.webhook_id ?? '');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/{webhook_id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Rotate a webhook signing secret',
    description:
      'Issues a new secret, shown this once. For overlap_seconds both secrets sign each delivery (two signatures in webhook-signature), so receivers can be given the new one first.',
    tag: TAG,
    need: 'write',
    body: rotateSchema,
    fieldNames: FIELDS,
    responses: { 200: { description: 'The new secret', schema: rotatedSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const rotated = await rotateWebhookSecret(scope, params.webhook_id ?? '', body.overlap_seconds);
      return { status: 200, body: { secret: rotated.secret, previous_secret_expires_at: isoOrNull(rotated.previousExpiresAt) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/{webhook_id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log of a webhook endpoint',
    description: 'Every attempt, newest first: its status, latency and the start of the answer.',
    tag: TAG,
    need: 'read',
    query: listQuery,
    fieldNames: FIELDS,
    responses: { 200: { description: 'A page of attempts', schema: pageSchema(attemptSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, query }) {
      const endpoint = await existingWebhook(scope, params.webhook_id ?? '');
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.webhooks.attempts(endpoint.id, { before: decodeCursor(query.cursor)?.[1], limit });
      return { status: 200, body: pageOf(rows, limit, (a) => [a.at, a.id], attemptView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/{webhook_id}/deliveries/{event_id}/replay',
    operationId: 'replayWebhookDelivery',
    summary: 'Deliver an event to the endpoint again',
    description: 'A dead letter, or a delivery made before: queued now, with the same webhook-id, and retried for another day if it fails.',
    tag: TAG,
    need: 'write',
    fieldNames: FIELDS,
    responses: { 202: { description: 'Queued', schema: replayedSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      return { status: 202, body: { status: await replayWebhook(scope, params.webhook_id ?? '', params.event_id ?? '') } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/{webhook_id}/test',
    operationId: 'testWebhook',
    summary: 'Send a test event',
    description: 'Records a webhook.test event and delivers it to this endpoint only; its attempts appear in the delivery log.',
    tag: TAG,
    need: 'write',
    fieldNames: FIELDS,
    responses: { 202: { description: 'Queued', schema: testedSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      return { status: 202, body: { event_id: await testWebhook(scope, params.webhook_id ?? '') } };
    },
  }),
];
