import { z } from 'zod';
import { type ClaimMappingInput, type ProviderChange, createProvider, deleteProvider, existingProvider, updateProvider } from '../../federation/providers.js';
import type { AppleInput } from '../../federation/apple.js';
import { presetNames } from '../../federation/presets.js';
import type { UpstreamProvider } from '../../store/repos/upstream-providers.js';
import { type AdminRoute, defineRoute } from './define.js';
import { PROBLEM_RESPONSES } from './responses.js';

const TAG = 'Upstream providers';
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

const claimMappingSchema = z
  .strictObject({
    subject: z.string().max(100).optional(),
    email: z.string().max(100).optional(),
    email_verified: z.string().max(100).optional(),
    name: z.string().max(100).optional(),
    picture: z.string().max(100).optional(),
  })
  .meta({ id: 'UpstreamClaimMapping', description: 'Which upstream claim gives each detail (defaults: sub, email, email_verified, name, picture)' });

const providerSchema = z
  .object({
    id: z.string().meta({ description: 'In the sign-in URL: <issuer>/signin/{id}; the callback to register upstream is <issuer>/signin/{id}/callback' }),
    kind: z.enum(['oidc', 'oauth2']),
    preset: z.string().nullable(),
    display_name: z.string(),
    issuer_url: z.string().nullable().meta({ description: 'The OpenID Provider (oidc): its endpoints and keys are discovered' }),
    authorization_endpoint: z.string().nullable(),
    token_endpoint: z.string().nullable(),
    userinfo_endpoint: z.string().nullable(),
    client_id: z.string(),
    redirect_uri: z.string().meta({ description: 'The callback to register at the provider' }),
    scopes: z.array(z.string()),
    claim_mapping: claimMappingSchema,
    trusted_for_linking: z
      .boolean()
      .meta({ description: 'A verified email from this provider links to the account of that email without asking its password' }),
    trust_amr: z.boolean().meta({ description: 'The upstream amr counts toward the MFA policy' }),
    enabled: z.boolean(),
    default_sign_in: z.enum(['off', 'link', 'always']).meta({
      description: 'The issuer default (at most one): link, <issuer>/signin goes to it; always, sign-ins without login_hint go to it too',
    }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'UpstreamProvider', description: 'An upstream identity provider; its client secret is stored sealed and never returned' });

const url = z.string().max(2000).meta({ description: 'https (plain http only to localhost, 127.0.0.1, [::1])' });
const common = {
  display_name: z.string().max(200).optional(),
  issuer_url: url.optional(),
  authorization_endpoint: url.optional(),
  token_endpoint: url.optional(),
  userinfo_endpoint: url.optional(),
  client_id: z.string().max(500).optional(),
  client_secret: z.string().max(4000).optional().meta({ description: 'Stored sealed; never returned' }),
  apple_team_id: z.string().max(20).optional().meta({ description: 'Apple preset: the team id (10 characters) that issued the key' }),
  apple_key_id: z.string().max(20).optional().meta({ description: 'Apple preset: the id of the Sign in with Apple key' }),
  apple_private_key: z
    .string()
    .max(4000)
    .optional()
    .meta({ description: 'Apple preset: the .p8 file (PEM); stored sealed, never returned. The client secret JWT is made from it per token request' }),
  scopes: z.array(z.string().max(100)).max(30).optional(),
  claim_mapping: claimMappingSchema.optional(),
  trusted_for_linking: z.boolean().optional(),
  trust_amr: z.boolean().optional(),
  enabled: z.boolean().optional(),
  default_sign_in: z.enum(['off', 'link', 'always']).optional(),
};

const newProviderSchema = z
  .strictObject({
    id: z.string().max(63),
    preset: z
      .string()
      .max(32)
      .optional()
      .meta({ description: `One of: ${presetNames().join(', ')}` }),
    kind: z.enum(['oidc', 'oauth2']).optional(),
    ...common,
    client_id: z.string().max(500),
    client_secret: z.string().max(4000).optional().meta({ description: 'Required but for the apple preset (apple_* instead); stored sealed, never returned' }),
  })
  .meta({ id: 'NewUpstreamProvider' });

const providerPatchSchema = z.strictObject(common).meta({ id: 'UpstreamProviderPatch' });

type Mapping = z.infer<typeof claimMappingSchema>;

function mappingIn(m: Mapping | undefined): ClaimMappingInput | undefined {
  return m && { subject: m.subject, email: m.email, emailVerified: m.email_verified, name: m.name, picture: m.picture };
}

/** The fields a new provider and a change share, from the API's names to the service's. */
function changeIn(body: z.infer<typeof providerPatchSchema>): ProviderChange {
  return {
    displayName: body.display_name,
    issuerUrl: body.issuer_url,
    authorizationEndpoint: body.authorization_endpoint,
    tokenEndpoint: body.token_endpoint,
    userinfoEndpoint: body.userinfo_endpoint,
    clientId: body.client_id,
    clientSecret: body.client_secret,
    apple: appleIn(body),
    scopes: body.scopes,
    claimMapping: mappingIn(body.claim_mapping),
    trustedForLinking: body.trusted_for_linking,
    trustAmr: body.trust_amr,
    enabled: body.enabled,
    defaultSignIn: body.default_sign_in,
  };
}

/** A provider as the API answers it (never its client secret); the CLI's --json shows the same. */
export function providerView(issuerUrl: string, p: UpstreamProvider): z.infer<typeof providerSchema> {
  return {
    id: p.id,
    kind: p.kind,
    preset: p.preset,
    display_name: p.displayName,
    issuer_url: p.issuerUrl,
    authorization_endpoint: p.authorizationEndpoint,
    token_endpoint: p.tokenEndpoint,
    userinfo_endpoint: p.userinfoEndpoint,
    client_id: p.clientId,
    redirect_uri: `${issuerUrl}/signin/${p.id}/callback`,
    scopes: p.scopes,
    claim_mapping: {
      subject: p.claimMapping.subject,
      email: p.claimMapping.email,
      email_verified: p.claimMapping.emailVerified,
      name: p.claimMapping.name,
      picture: p.claimMapping.picture,
    },
    trusted_for_linking: p.trustedForLinking,
    trust_amr: p.trustAmr,
    enabled: p.enabled,
    default_sign_in: p.defaultSignIn,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

const FIELDS = {
  id: 'id',
  displayName: 'display_name',
  issuerUrl: 'issuer_url',
  authorizationEndpoint: 'authorization_endpoint',
  tokenEndpoint: 'token_endpoint',
  userinfoEndpoint: 'userinfo_endpoint',
  clientId: 'client_id',
  clientSecret: 'client_secret',
  appleTeamId: 'apple_team_id',
  appleKeyId: 'apple_key_id',
  applePrivateKey: 'apple_private_key',
  claimMapping: 'claim_mapping',
};

function appleIn(body: { apple_team_id?: string | undefined; apple_key_id?: string | undefined; apple_private_key?: string | undefined }): AppleInput {
  return { teamId: body.apple_team_id, keyId: body.apple_key_id, privateKey: body.apple_private_key };
}

export const UPSTREAM_PROVIDER_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/upstream-providers',
    operationId: 'listUpstreamProviders',
    summary: 'List upstream identity providers',
    tag: TAG,
    need: 'read',
    responses: {
      200: { description: 'Every provider of the issuer, in creation order', schema: z.object({ data: z.array(providerSchema) }) },
      ...PROBLEM_RESPONSES,
    },
    async handle({ scope }) {
      return { status: 200, body: { data: (await scope.repos.upstreamProviders.list()).map((p) => providerView(scope.url, p)) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/upstream-providers',
    operationId: 'createUpstreamProvider',
    summary: 'Add an upstream identity provider',
    description: 'Sign-in through it starts at <issuer>/signin/{id} and from a button on the sign-in page (docs/federation.md).',
    tag: TAG,
    need: 'write',
    body: newProviderSchema,
    idempotent: true,
    fieldNames: FIELDS,
    responses: { 201: { description: 'The provider (never its client secret)', schema: providerSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      const provider = await createProvider(scope, {
        ...changeIn(body),
        id: body.id,
        preset: body.preset,
        kind: body.kind,
        clientId: body.client_id,
        clientSecret: body.client_secret,
      });
      return { status: 201, body: providerView(scope.url, provider), location: `/upstream-providers/${provider.id}` };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/upstream-providers/{provider_id}',
    operationId: 'getUpstreamProvider',
    summary: 'Read an upstream identity provider',
    tag: TAG,
    need: 'read',
    fieldNames: FIELDS,
    responses: { 200: { description: 'The provider (never its client secret)', schema: providerSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      return { status: 200, body: providerView(scope.url, await existingProvider(scope, params.provider_id ?? '')) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/upstream-providers/{provider_id}',
    operationId: 'updateUpstreamProvider',
    summary: 'Change an upstream identity provider',
    description: 'Disabling it stops sign-in and linking through it at once, sign-ins in flight included.',
    tag: TAG,
    need: 'write',
    body: providerPatchSchema,
    fieldNames: FIELDS,
    responses: { 200: { description: 'The provider as it is now', schema: providerSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const provider = await updateProvider(scope, params.provider_id ?? '', changeIn(body));
      return { status: 200, body: providerView(scope.url, provider) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/upstream-providers/{provider_id}',
    operationId: 'deleteUpstreamProvider',
    summary: 'Delete an upstream identity provider',
    description: 'With the identities linked through it: their users sign in another way afterwards.',
    tag: TAG,
    need: 'write',
    fieldNames: FIELDS,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      await deleteProvider(scope, params.provider_id ?? '');
      return { status: 204 };
    },
  }),
];
