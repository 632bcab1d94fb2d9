import type { Services } from '../services.js';
import { stale } from '../services/errors.js';
import type { IssuerRecord } from '../store/repos/issuers.js';
import { IssuerIdError } from '../store/repos/issuers.js';
import { DEFAULT_ISSUER_ID } from './ids.js';
import { type StoredSettings, checkIssuerName, defaultSettings, validateSettings } from './settings.js';

/** What changes on an issuer: settings by their names in validateSettings, and its domains. */
export interface IssuerChanges {
  name?: string;
  settings?: Record<string, unknown>;
  addDomains?: string[];
  removeDomains?: string[];
}

export class IssuerInUseError extends Error {
  constructor(
    readonly issuerId: string,
    readonly users: number,
  ) {
    super(`the issuer "${issuerId}" has ${users} user${users === 1 ? '' : 's'}; add --force to delete it with them`);
    this.name = 'IssuerInUseError';
  }
}

/**
 * Creates an issuer with its signing keys, so its JWKS is complete before its first token. The
 * one write path for issuers: the CLI and the Admin API (admin/api/issuers.ts) call it.
 */
export async function createIssuer(
  services: Services,
  input: { id: string; name: string; settings?: Record<string, unknown>; domains?: string[] },
): Promise<IssuerRecord> {
  const name = checkIssuerName(input.name);
  const settings = validateSettings(input.settings ?? {}, {}, defaultSettings(services.config));
  const created = await services.scopes.issuers.create({ id: input.id, name, settings, domains: input.domains ?? [] });
  services.scopes.invalidate(created.id);
  const scope = await services.scopes.byId(created.id);
  await scope?.keys.ensureKeys();
  services.logger.log('info', 'issuer_created', { issuer: created.id });
  return created;
}

/**
 * Changes an issuer's name, settings or domains; undefined when there is no such issuer. With
 * `revision` (the Admin API's If-Match) nothing changes unless the issuer is still at it.
 */
export async function updateIssuer(
  services: Services,
  id: string,
  changes: IssuerChanges,
  options: { revision?: number } = {},
): Promise<IssuerRecord | undefined> {
  const repo = services.scopes.issuers;
  const current = await repo.find(id);
  if (!current) return undefined;
  const revision = options.revision;
  // Checked before the domains change too; the update below checks it again, atomically.
  if (revision !== undefined && current.revision !== revision) throw stale(`The issuer ${id} was changed since revision ${revision}`);
  const name = changes.name === undefined ? undefined : checkIssuerName(changes.name);
  const settings: StoredSettings | undefined =
    changes.settings === undefined ? undefined : validateSettings(changes.settings, current.settings, defaultSettings(services.config));
  for (const domain of changes.addDomains ?? []) await repo.addDomain(id, domain);
  for (const domain of changes.removeDomains ?? []) {
    if (!(await repo.removeDomain(id, domain.trim().toLowerCase()))) throw new IssuerIdError(`the issuer "${id}" has no domain ${domain.slice(0, 80)}`);
  }
  const domainsChanged = (changes.addDomains?.length ?? 0) + (changes.removeDomains?.length ?? 0) > 0;
  const updated = await repo.update(
    id,
    { ...(name === undefined ? {} : { name }), ...(settings === undefined ? {} : { settings }), also: domainsChanged ? ['domains'] : [] },
    revision,
  );
  if (!updated && revision !== undefined) throw stale(`The issuer ${id} was changed since revision ${revision}`);
  services.scopes.invalidate(id);
  services.logger.log('info', 'issuer_updated', { issuer: id });
  return repo.find(id);
}

/** Deletes an issuer and everything in it; refused while it has users unless `force`. */
export async function deleteIssuer(services: Services, id: string, force: boolean): Promise<boolean> {
  if (id === DEFAULT_ISSUER_ID) throw new IssuerIdError('the default issuer cannot be deleted');
  const repo = services.scopes.issuers;
  if (!(await repo.find(id))) return false;
  const users = await repo.userCount(id);
  if (users > 0 && !force) throw new IssuerInUseError(id, users);
  const deleted = await repo.delete(id);
  services.scopes.invalidate(id);
  if (deleted) services.logger.log('info', 'issuer_deleted', { issuer: id, users });
  return deleted;
}
