import { z } from 'zod';
import { listKeys, retireKey, rotateKeys } from '../../services/keys.js';
import { type KeyInfo, SIGNING_ALGS } from '../../tokens/keys.js';
import { type AdminRoute, defineRoute } from './define.js';
import { PROBLEM_RESPONSES } from './responses.js';

const TAG = 'Signing keys';
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const isoOrNull = (seconds: number | null): string | null => (seconds === null ? null : iso(seconds));

/** A signing key as the API shows it: public facts only, never key material (that is the JWKS). */
export const keySchema = z
  .object({
    kid: z.string(),
    alg: z.enum(SIGNING_ALGS),
    status: z.enum(['pending', 'signing', 'retired']).meta({
      description: 'pending: published, not signing yet; signing: signs new tokens; retired: signs no more, published until its tokens expire',
    }),
    created_at: z.iso.datetime(),
    activates_at: z.iso.datetime(),
    retires_at: z.iso.datetime().nullable(),
    expires_at: z.iso.datetime().nullable().meta({ description: 'When it leaves the JWKS; null while it may still sign' }),
  })
  .meta({ id: 'SigningKey' });

const rotateBody = z
  .strictObject({
    alg: z.enum(SIGNING_ALGS).optional().meta({ description: 'One algorithm; all three when absent' }),
    now: z
      .boolean()
      .optional()
      .meta({ description: 'Sign with the new key at once, skipping the publish lead: only when the current key cannot be used or has leaked' }),
  })
  .meta({ id: 'KeyRotation' });

const rotatedSchema = z
  .object({
    rotated: z.array(z.object({ alg: z.enum(SIGNING_ALGS), kid: z.string(), activates_at: z.iso.datetime() })),
    publish_lead: z.number().int().meta({ description: 'Seconds between a rotation and the new key signing' }),
  })
  .meta({ id: 'RotatedKeys' });

const retiredSchema = keySchema
  .extend({ activated: z.string().nullable().meta({ description: 'The pending key that signs in its place from now, if one had to' }) })
  .meta({ id: 'RetiredKey' });

function keyView(k: KeyInfo): z.infer<typeof keySchema> {
  return {
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    created_at: iso(k.createdAt),
    activates_at: iso(k.activatesAt),
    retires_at: isoOrNull(k.retiresAt),
    expires_at: isoOrNull(k.expiresAt),
  };
}

export const KEY_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/keys',
    operationId: 'listKeys',
    summary: 'List signing keys',
    tag: TAG,
    need: 'read',
    responses: {
      200: { description: 'Every key of this issuer still stored, oldest first', schema: z.object({ data: z.array(keySchema) }) },
      ...PROBLEM_RESPONSES,
    },
    async handle({ scope }) {
      return { status: 200, body: { data: (await listKeys(scope)).map(keyView) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/rotate',
    operationId: 'rotateKeys',
    summary: 'Rotate signing keys',
    description:
      'Makes a new key, published at once and signing after the publish lead (GATEHOUSE_KEY_PUBLISH_LEAD), when the one it replaces stops signing; that one stays published until its tokens expire. As `gatehouse keys rotate`.',
    tag: TAG,
    need: 'write',
    body: rotateBody,
    responses: { 200: { description: 'The new keys', schema: rotatedSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      const { rotated, lead } = await rotateKeys(scope, { alg: body.alg, now: body.now ?? false });
      return { status: 200, body: { rotated: rotated.map((r) => ({ alg: r.alg, kid: r.kid, activates_at: iso(r.activatesAt) })), publish_lead: lead } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/{kid}/retire',
    operationId: 'retireKey',
    summary: 'Retire a signing key now',
    description:
      'It stops signing at once and stays published until the tokens it signed have expired. If it was the only key of its algorithm signing, the pending key of a rotation signs from now; without one the answer is 409: rotate first.',
    tag: TAG,
    need: 'write',
    responses: { 200: { description: 'The key as it is now', schema: retiredSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const { key, activated } = await retireKey(scope, params.kid ?? '');
      return { status: 200, body: { ...keyView(key), activated: activated?.kid ?? null } };
    },
  }),
];
