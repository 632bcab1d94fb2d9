import { type Kysely, type Migration, type MigrationResultSet, Migrator, PostgresAdapter, sql } from 'kysely';
import { initial } from './migrations/001_initial.js';
import { sweepIndexes } from './migrations/002_sweep_indexes.js';
import { accessTokenRevocations } from './migrations/003_access_token_revocations.js';
import { clientNotifications } from './migrations/004_client_notifications.js';
import { organizations } from './migrations/005_organizations.js';
import { refreshTokenChains } from './migrations/006_refresh_token_chains.js';
import { retiredOrganizationIds } from './migrations/007_retired_organization_ids.js';
import { passwordResets } from './migrations/008_password_resets.js';
import { mailOutbox } from './migrations/009_mail_outbox.js';
import { issuers } from './migrations/010_issuers.js';
import { events } from './migrations/011_events.js';
import { mailLocale } from './migrations/012_mail_locale.js';
import { knownLoginAddresses } from './migrations/013_known_login_addresses.js';
import { clientPolicies } from './migrations/014_client_policies.js';
import { signInSteps } from './migrations/015_sign_in_steps.js';
import { clientIdTokenClaims } from './migrations/016_client_id_token_claims.js';
import { eventDeliveries } from './migrations/017_event_deliveries.js';
import { clientLinks } from './migrations/018_client_links.js';
import { adminApi } from './migrations/020_admin_api.js';
import { clientSecretRotation } from './migrations/021_client_secret_rotation.js';
import { consoleSetup } from './migrations/023_console_setup.js';
import { auditLogIndex } from './migrations/024_audit_log_index.js';
import { secondFactors } from './migrations/025_second_factors.js';
import { emailVerifications } from './migrations/026_email_verifications.js';
import { accountPages } from './migrations/029_account_pages.js';
import { passkeys } from './migrations/027_passkeys.js';
import { webhooks } from './migrations/031_webhooks.js';
import { wallets } from './migrations/028_wallets.js';
import { abuse } from './migrations/030_abuse.js';
import { revocationFeed } from './migrations/034_revocation_feed.js';
import { backchannelLogout } from './migrations/033_backchannel_logout.js';
import { claims } from './migrations/036_claims.js';
import { federation } from './migrations/035_federation.js';
import { claimsRequest } from './migrations/037_claims_request.js';
import type { Database } from './schema.js';

/** Migrations in order; names are permanent once released. */
export const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_sweep_indexes': sweepIndexes,
  '003_access_token_revocations': accessTokenRevocations,
  '004_client_notifications': clientNotifications,
  '005_organizations': organizations,
  '006_refresh_token_chains': refreshTokenChains,
  '007_retired_organization_ids': retiredOrganizationIds,
  '008_password_resets': passwordResets,
  '009_mail_outbox': mailOutbox,
  '010_issuers': issuers,
  '011_events': events,
  '012_mail_locale': mailLocale,
  '013_known_login_addresses': knownLoginAddresses,
  '014_client_policies': clientPolicies,
  '015_sign_in_steps': signInSteps,
  '016_client_id_token_claims': clientIdTokenClaims,
  '017_event_deliveries': eventDeliveries,
  '018_client_links': clientLinks,
  '020_admin_api': adminApi,
  '021_client_secret_rotation': clientSecretRotation,
  '023_console_setup': consoleSetup,
  '024_audit_log_index': auditLogIndex,
  '025_second_factors': secondFactors,
  '026_email_verifications': emailVerifications,
  '027_passkeys': passkeys,
  '028_wallets': wallets,
  '029_account_pages': accountPages,
  '030_abuse': abuse,
  '031_webhooks': webhooks,
  '033_backchannel_logout': backchannelLogout,
  '034_revocation_feed': revocationFeed,
  '035_federation': federation,
  '036_claims': claims,
  '037_claims_request': claimsRequest,
};

/** The migrations this version knows, in order (`gatehouse doctor` compares the database's). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations);

export interface MigrateResult {
  applied: string[];
}

export async function migrate(db: Kysely<Database>): Promise<MigrateResult> {
  // Kysely looks for its bookkeeping tables in every schema; on PostgreSQL pin it to the current
  // one, or a second Gatehouse database in another schema of the same server would confuse it.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
