import { updateIssuer } from '../../issuers/service.js';
import type { IssuerScope } from '../../issuers/scope.js';
import type { IssuerRecord } from '../../store/repos/issuers.js';
import { type AdminRoute, defineRoute } from './define.js';
import { issuerCall } from './issuer-errors.js';
import { requirePermission } from './principal.js';
import { badRequest, notFoundProblem } from './problem.js';
import { PROBLEM_RESPONSES } from './responses.js';
import { SETTINGS_FIELDS, effectiveSettings, settingsChanges, settingsPatchSchema, settingsSchema, settingsView, touchesPolicy } from './settings-schema.js';

const TAG = 'Settings';

async function currentIssuer(scope: IssuerScope): Promise<IssuerRecord> {
  const record = await scope.services.scopes.issuers.find(scope.id);
  if (!record) throw notFoundProblem('This issuer no longer exists');
  return record;
}

/** The settings of the issuer the request is at: its branding, lifetimes and policies. */
export const SETTINGS_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/settings',
    operationId: 'getSettings',
    summary: 'Read this issuer’s settings',
    description: 'The effective values: the issuer’s own, else the deployment’s defaults (docs/issuers.md).',
    tag: TAG,
    need: 'read',
    etag: true,
    responses: { 200: { description: 'The settings', schema: settingsSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      const record = await currentIssuer(scope);
      return { status: 200, body: settingsView(effectiveSettings(scope.services, record)), revision: record.revision };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/settings',
    operationId: 'updateSettings',
    summary: 'Change this issuer’s settings',
    description:
      'Branding (display_name, logo_url, brand_color, background_color, support_url, privacy_url, mail_from_name) needs write; any other field (lifetimes, the sign-in throttle, sign-up and MFA policy) needs the owner role. A brand colour without WCAG AA contrast is refused. Send If-Match with the ETag you read. Records issuer.updated; running servers see the change within 30 seconds.',
    tag: TAG,
    need: 'write',
    body: settingsPatchSchema,
    etag: true,
    fieldNames: SETTINGS_FIELDS,
    responses: { 200: { description: 'The settings as they are now', schema: settingsSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, principal, body, checkRevision, conditional }) {
      if (touchesPolicy(body)) requirePermission(principal, 'owner');
      const changes = settingsChanges(body);
      if (changes.name === undefined && changes.settings === undefined)
        throw badRequest('Nothing to change', [{ field: 'body', detail: 'give at least one field' }]);
      const current = await currentIssuer(scope);
      checkRevision(current.revision);
      const updated = await issuerCall(SETTINGS_FIELDS, () =>
        updateIssuer(scope.services, scope.id, changes, { revision: conditional ? current.revision : undefined }),
      );
      if (!updated) throw notFoundProblem('This issuer no longer exists');
      return { status: 200, body: settingsView(effectiveSettings(scope.services, updated)), revision: updated.revision };
    },
  }),
];
