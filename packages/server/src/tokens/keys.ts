import { type JsonWebKey, type KeyObject, createPrivateKey } from 'node:crypto';
import { type CryptoKey, type JWK, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../store/clock.js';
import { recordEvent } from '../store/repos/events.js';
import type { Database, SigningKeyTable } from '../store/schema.js';
import { randomToken } from './random.js';
import type { SecretBox } from './secret.js';

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

/**
 * Timing of a rotation. A new key is published `publishLead` seconds before it signs: longer than
 * every instance's key cache and the JWKS max-age, so verifiers know a key before they meet a
 * token signed with it. Both caches are derived from the lead so that always holds.
 */
/** The key pair a new signing key gets: generated, or (tests) one of a set made in advance. */
export type KeyPairMaker = (alg: SigningAlg) => Promise<{ publicKey: CryptoKey | KeyObject; privateKey: CryptoKey | KeyObject }>;

/** A fresh key pair of the algorithm, as every deployment makes them. */
export const generateSigningKeyPair: KeyPairMaker = (alg) =>
  generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });

export interface KeyTiming {
  publishLead: number;
  /** How long an instance trusts its in-memory key list before reading the table again. */
  cacheSeconds: number;
  jwksMaxAge: number;
}

export function keyTiming(publishLead: number): KeyTiming {
  return {
    publishLead,
    cacheSeconds: Math.max(1, Math.min(30, Math.floor(publishLead / 4))),
    jwksMaxAge: Math.max(1, Math.min(60, Math.floor(publishLead / 2))),
  };
}

export interface KeyInfo {
  kid: string;
  alg: SigningAlg;
  createdAt: number;
  activatesAt: number;
  retiresAt: number | null;
  expiresAt: number | null;
  status: 'pending' | 'signing' | 'retired';
}

/**
 * What retire() did: `retired` (with the pending key it put to signing at once, if it had to), or
 * why it did nothing: no such key, a key that does not sign yet, one already retired, or the
 * only key signing for its algorithm with no replacement pending (rotate first).
 */
export type RetireOutcome =
  | { outcome: 'retired'; alg: SigningAlg; activated: string | null }
  | { outcome: 'not_found' | 'pending' | 'already_retired' }
  | { outcome: 'only_key'; alg: SigningAlg };

interface SigningKey {
  kid: string;
  alg: SigningAlg;
  /** A Node KeyObject: tokens are signed with node:crypto (see jws.ts). */
  key: KeyObject;
}

export class KeyStore {
  private rows: Selectable<SigningKeyTable>[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  /** When an unknown kid last made the table be read again (see publicKey). */
  private forcedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly privateKeys = new Map<string, Promise<KeyObject>>();
  private readonly publicKeys = new Map<string, Promise<CryptoKey>>();
  private jwksCache: { kids: string; json: string } | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    /** Longest life of anything signed (ID and access tokens), to know when a key may go. */
    private readonly maxTokenTtl: number,
    readonly timing: KeyTiming = keyTiming(120),
    /** Every issuer has keys of its own: these are this issuer's, and no other's. */
    readonly issuer: string = 'default',
    private readonly makeKeyPair: KeyPairMaker = generateSigningKeyPair,
  ) {}

  /** Creates a signing key for every algorithm that has none; safe to run on every start. */
  async ensureKeys(): Promise<void> {
    const now = this.clock();
    // In parallel: on a first start, generating the RSA key dominates the time to ready.
    await Promise.all(
      SIGNING_ALGS.map(async (alg) => {
        const live = await this.db
          .selectFrom('signing_keys')
          .select('kid')
          .where('issuer_id', '=', this.issuer)
          .where('alg', '=', alg)
          .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
          .executeTakeFirst();
        // Nothing of this algorithm was ever published, so it may sign at once.
        if (!live) await this.insertKey(alg, now);
      }),
    );
    this.invalidate();
  }

  /**
   * Starts a rotation: the new key is published now and signs from now + timing.publishLead;
   * the old key stops signing then and stays published until what it signed has expired.
   * With `replacing`, only that key is rotated: instances that all found it due rotate it once.
   * Returns the new key id, or undefined if another instance rotated it first.
   * `immediate` skips the publish lead: for when the current key cannot be used at all (restored
   * without its secret, or compromised), accepting that verifiers may need one JWKS refetch.
   */
  async rotate(alg: SigningAlg, replacing?: string, immediate = false): Promise<string | undefined> {
    const now = this.clock();
    const activatesAt = immediate ? now : now + this.timing.publishLead;
    const kid = await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('signing_keys')
        .select('kid')
        .where('issuer_id', '=', this.issuer)
        .where('alg', '=', alg)
        .where('retires_at', 'is', null)
        .orderBy('activates_at', 'desc')
        .executeTakeFirst();
      if (replacing !== undefined && current?.kid !== replacing) return undefined;
      if (current) {
        // The conditional update is the claim: of two instances rotating at once, one wins.
        const claimed = await trx
          .updateTable('signing_keys')
          .set({ retires_at: activatesAt, expires_at: activatesAt + this.maxTokenTtl + this.timing.publishLead })
          .where('kid', '=', current.kid)
          .where('issuer_id', '=', this.issuer)
          .where('retires_at', 'is', null)
          .executeTakeFirst();
        if (claimed.numUpdatedRows === 0n) return undefined;
      }
      const created = await this.insertKey(alg, current ? activatesAt : now, trx);
      await recordEvent(trx, this.issuer, now, { type: 'key.rotated', payload: { alg, kid: created, activates_at: current ? activatesAt : now } });
      return created;
    });
    this.invalidate();
    return kid;
  }

  /**
   * Stops `kid` signing now; it stays published until the tokens it signed have expired (plus
   * the publish lead, for instances that sign with it until they read their keys again). When
   * no other key of its algorithm signs, the next pending one signs from now, as `rotate --now`
   * would make it; with none pending it refuses (`only_key`): tokens could not be signed at all.
   */
  async retire(kid: string): Promise<RetireOutcome> {
    const now = this.clock();
    const result = await this.db.transaction().execute(async (trx): Promise<RetireOutcome> => {
      const rows = await trx.selectFrom('signing_keys').select(['kid', 'alg', 'activates_at', 'retires_at']).where('issuer_id', '=', this.issuer).execute();
      const key = rows.find((r) => r.kid === kid);
      if (!key) return { outcome: 'not_found' };
      if (key.activates_at > now) return { outcome: 'pending' };
      if (key.retires_at !== null && key.retires_at <= now) return { outcome: 'already_retired' };
      const alg = key.alg as SigningAlg;
      const others = rows.filter((r) => r.alg === alg && r.kid !== kid);
      const signing = others.some((r) => r.activates_at <= now && (r.retires_at === null || r.retires_at > now));
      const next = others
        .filter((r) => r.activates_at > now && (r.retires_at === null || r.retires_at > r.activates_at))
        .sort((x, y) => x.activates_at - y.activates_at)[0];
      if (!signing && !next) return { outcome: 'only_key', alg };
      // The conditional update is the claim: of two retirements at once, one records the event.
      const claimed = await trx
        .updateTable('signing_keys')
        .set({ retires_at: now, expires_at: now + this.maxTokenTtl + this.timing.publishLead })
        .where('kid', '=', kid)
        .where('issuer_id', '=', this.issuer)
        .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) return { outcome: 'already_retired' };
      let activated: string | null = null;
      if (!signing && next) {
        await trx.updateTable('signing_keys').set({ activates_at: now }).where('kid', '=', next.kid).where('issuer_id', '=', this.issuer).execute();
        activated = next.kid;
      }
      await recordEvent(trx, this.issuer, now, { type: 'key.retired', payload: { alg, kid, activated } });
      return { outcome: 'retired', alg, activated };
    });
    this.invalidate();
    return result;
  }

  /** Rotates every algorithm whose signing key is older than `maxAgeSeconds`. */
  async rotateDue(maxAgeSeconds: number): Promise<string[]> {
    const now = this.clock();
    const due = await this.db
      .selectFrom('signing_keys')
      .select(['alg', 'kid'])
      .where('issuer_id', '=', this.issuer)
      .where('retires_at', 'is', null)
      .where('activates_at', '<=', now - maxAgeSeconds)
      .execute();
    const rotated: string[] = [];
    for (const { alg, kid: dueKid } of due) {
      const kid = await this.rotate(alg as SigningAlg, dueKid);
      if (kid) rotated.push(kid);
    }
    return rotated;
  }

  /** The key to sign with now: the newest active key of that algorithm. */
  async signingKey(alg: SigningAlg): Promise<SigningKey> {
    await this.load();
    const now = this.clock();
    const row = this.rows
      .filter((r) => r.alg === alg && r.activates_at <= now && (r.retires_at === null || r.retires_at > now))
      .sort((a, b) => b.activates_at - a.activates_at)[0];
    if (!row) {
      // An issuer created by another instance (or before its keys were made) gets them on first use.
      if (!this.rows.some((r) => r.alg === alg)) {
        await this.ensureKeys();
        return this.signingKey(alg);
      }
      throw new Error(`no active ${alg} signing key; run \`gatehouse migrate\` or restart to create one`);
    }
    let key = this.privateKeys.get(row.kid);
    if (!key) {
      key = this.box.open(row.private_jwk, row.kid).then((json) => createPrivateKey({ key: JSON.parse(json) as JsonWebKey, format: 'jwk' }));
      this.privateKeys.set(row.kid, key);
      key.catch(() => this.privateKeys.delete(row.kid));
    }
    return { kid: row.kid, alg, key: await key };
  }

  /** A published public key by id, for verifying Gatehouse's own tokens. */
  async publicKey(kid: string): Promise<{ alg: SigningAlg; key: CryptoKey } | undefined> {
    await this.load();
    let row = this.publishedRows().find((r) => r.kid === kid);
    // A kid this instance has not seen may be a key another instance just put to use (`keys
    // rotate --now`): the table is read again at once, but at most once a second, so tokens
    // with made-up kids cannot make every request a read.
    if (!row && this.clock() > this.forcedAt) {
      this.forcedAt = this.clock();
      this.loadedAt = Number.NEGATIVE_INFINITY;
      await this.load();
      row = this.publishedRows().find((r) => r.kid === kid);
    }
    if (!row) return undefined;
    let key = this.publicKeys.get(kid);
    if (!key) {
      key = importJWK(JSON.parse(row.public_jwk) as JWK, row.alg) as Promise<CryptoKey>;
      this.publicKeys.set(kid, key);
    }
    return { alg: row.alg as SigningAlg, key: await key };
  }

  /**
   * The JWKS document (every key not yet expired, pending ones included), serialized, made again
   * only when the set of published keys changes.
   */
  async jwksJson(): Promise<string> {
    await this.load();
    const rows = this.publishedRows();
    const kids = rows.map((r) => r.kid).join(',');
    if (this.jwksCache?.kids !== kids) {
      this.jwksCache = { kids, json: `{"keys":[${rows.map((r) => r.public_jwk).join(',')}]}` };
    }
    return this.jwksCache.json;
  }

  async list(): Promise<KeyInfo[]> {
    const now = this.clock();
    const rows = await this.db.selectFrom('signing_keys').selectAll().where('issuer_id', '=', this.issuer).orderBy('created_at').execute();
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg as SigningAlg,
      createdAt: r.created_at,
      activatesAt: r.activates_at,
      retiresAt: r.retires_at,
      expiresAt: r.expires_at,
      status: r.activates_at > now ? 'pending' : r.retires_at !== null && r.retires_at <= now ? 'retired' : 'signing',
    }));
  }

  /** Forgets the cached key list so the next use reads the table. */
  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  private publishedRows(): Selectable<SigningKeyTable>[] {
    const now = this.clock();
    return this.rows.filter((r) => r.expires_at === null || r.expires_at > now);
  }

  private async load(): Promise<void> {
    if (this.clock() - this.loadedAt < this.timing.cacheSeconds) return;
    // One read at a time, shared by every request that finds the cache stale.
    this.loading ??= (async () => {
      try {
        this.rows = await this.db.selectFrom('signing_keys').selectAll().where('issuer_id', '=', this.issuer).execute();
        this.loadedAt = this.clock();
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }

  private async insertKey(alg: SigningAlg, activatesAt: number, db: Kysely<Database> = this.db): Promise<string> {
    const kid = randomToken(12);
    const { publicKey, privateKey } = await this.makeKeyPair(alg);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const privateJwk = await exportJWK(privateKey);
    await db
      .insertInto('signing_keys')
      .values({
        kid,
        alg,
        public_jwk: JSON.stringify(publicJwk),
        private_jwk: await this.box.seal(JSON.stringify(privateJwk), kid),
        created_at: this.clock(),
        activates_at: activatesAt,
        retires_at: null,
        expires_at: null,
        issuer_id: this.issuer,
      })
      .execute();
    return kid;
  }
}
