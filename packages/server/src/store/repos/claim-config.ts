import type { Kysely } from 'kysely';
import type { ApiDefinition, AttributeDefinition, ClaimsConfig, ScopeDefinition } from '../../claims/config.js';
import type { HookDefinition } from '../../claims/hook.js';
import type { StripeConnection } from '../../claims/stripe.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

type Kind = 'api' | 'scope' | 'attribute' | 'hook' | 'stripe';

interface ByKind {
  api: ApiDefinition;
  scope: ScopeDefinition;
  attribute: AttributeDefinition;
  hook: HookDefinition;
  stripe: StripeConnection;
}

const keyOf = (kind: Kind, body: ByKind[Kind]): string =>
  kind === 'api' ? (body as ApiDefinition).identifier : kind === 'stripe' ? 'stripe' : (body as ScopeDefinition).name;

/**
 * One issuer's APIs, custom scopes and attribute schemas (migration 036). Read whole when the
 * issuer's scope is built, never per request; every write goes through claims/service.ts,
 * which validates it against the rest and makes the issuer's scope be built again.
 */
export class ClaimConfigRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Everything, each kind in the order it was created (then by name). */
  async load(): Promise<ClaimsConfig> {
    const rows = await this.db
      .selectFrom('claim_config')
      .select(['kind', 'body'])
      .where('issuer_id', '=', this.issuer)
      .orderBy('created_at')
      .orderBy('name')
      .execute();
    const config: ClaimsConfig = { apis: [], scopes: [], attributes: [], hooks: [] };
    for (const row of rows) {
      const body = JSON.parse(row.body);
      if (row.kind === 'api') config.apis.push(body as ApiDefinition);
      else if (row.kind === 'scope') config.scopes.push(body as ScopeDefinition);
      else if (row.kind === 'attribute') config.attributes.push(body as AttributeDefinition);
      else if (row.kind === 'hook') config.hooks?.push(body as HookDefinition);
      else if (row.kind === 'stripe') config.stripe = body as StripeConnection;
    }
    return config;
  }

  /** Creates or replaces a definition; true when it was new. */
  async put<K extends Kind>(kind: K, body: ByKind[K]): Promise<boolean> {
    const now = this.clock();
    const name = keyOf(kind, body);
    const updated = await this.db
      .updateTable('claim_config')
      .set({ body: JSON.stringify(body), updated_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('kind', '=', kind)
      .where('name', '=', name)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) return false;
    await this.db
      .insertInto('claim_config')
      .values({ issuer_id: this.issuer, kind, name, body: JSON.stringify(body), created_at: now, updated_at: now })
      .execute();
    return true;
  }

  async delete(kind: Kind, name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('claim_config')
      .where('issuer_id', '=', this.issuer)
      .where('kind', '=', kind)
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
