import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { unknownVariableWarnings } from '../config-names.js';
import {
  type CheckResult,
  backupCheck,
  clockCheck,
  cookieCheck,
  databaseCheck,
  issuerUrlCheck,
  keysCheck,
  orderIssuers,
  redirectUriCheck,
  smtpCheck,
} from '../doctor/checks.js';
import { createLogger } from '../log.js';
import { createServices, scopeOf } from '../services.js';
import { openStore } from '../store/db.js';
import { startupConfigError } from '../startup-errors.js';
import { parseOrUsage, wantsHelp } from './common.js';
import { requireExistingDatabase } from './existing-database.js';
import { redactedDatabaseUrl } from '../store/redacted-url.js';
import type { CliIo } from './io.js';

const HELP = `Usage: gatehouse doctor [--json]

Checks a deployment the way an operator would before going live, with the server's environment:
the issuer is https (or loopback), the clock is sane (against PostgreSQL's), every issuer has
signing keys that sign now and overlap across rotations, the database is reachable and migrated,
the SMTP server is reachable with a verified TLS certificate (when configured), the cookies are
Secure, no client has an http redirect URI off loopback, and, on SQLite, how to back it up.
Changes nothing. Prints a report (--json: one JSON document); exits 1 when a check failed.`;

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', info: 'info' };

async function runChecks(io: CliIo): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [{ check: 'configuration', status: 'fail', message: error.message }];
  }
  for (const warning of unknownVariableWarnings(io.env)) results.push({ check: 'configuration', status: 'warn', message: warning });
  const shown = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl : redactedDatabaseUrl(config.databaseUrl);
  try {
    await requireExistingDatabase(config, io.env);
  } catch (error) {
    const explained = startupConfigError(error, config.databaseUrl, config.dataDir, config.databaseExplicit);
    return [...results, { check: 'database', status: 'fail', message: (explained ?? (error as Error)).message }];
  }
  const store = openStore(config.databaseUrl, { max: 2 });
  try {
    const database = await databaseCheck(store, shown);
    results.push(database);
    if (database.status === 'fail') return results;
    const now = Date.now() / 1000;
    results.push(await clockCheck(store, now));
    const ids = orderIssuers((await store.db.selectFrom('issuers').select('id').execute()).map((r) => r.id));
    const keys = await Promise.all(ids.map((id) => keysCheck(store, config, id, Math.floor(now))));
    const services = await createServices(config, {
      store: { ...store, close: async () => {} },
      keepKeys: true,
      logger: createLogger('warn', (line) => io.err(line)),
    });
    try {
      for (const [i, id] of ids.entries()) {
        const scope = await scopeOf(services, id);
        results.push(issuerUrlCheck(id, scope.url), keys[i] as CheckResult, cookieCheck(scope), await redirectUriCheck(scope));
      }
    } finally {
      await services.close();
    }
    results.push(await smtpCheck(config));
    const backups = backupCheck(config);
    if (backups) results.push(backups);
  } catch (error) {
    const explained = startupConfigError(error, config.databaseUrl, config.dataDir, config.databaseExplicit);
    results.push({ check: 'database', status: 'fail', message: (explained ?? (error as Error)).message });
  } finally {
    await store.close();
  }
  return results;
}

export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(HELP);
    return 0;
  }
  const { values } = parseOrUsage(() => parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } }));
  const results = await runChecks(io);
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  if (values.json) {
    io.out(JSON.stringify({ ok: failed === 0, failed, warnings: warned, checks: results }, null, 2));
  } else {
    const width = Math.max(...results.map((r) => (r.issuer && r.issuer !== 'default' ? `${r.check} (${r.issuer})` : r.check).length));
    for (const r of results) {
      const name = r.issuer && r.issuer !== 'default' ? `${r.check} (${r.issuer})` : r.check;
      io.out(`${MARK[r.status]}  ${name.padEnd(width)}  ${r.message}`);
    }
    io.out(
      failed === 0
        ? `\nNo check failed${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`
        : `\n${failed} check${failed === 1 ? '' : 's'} failed.`,
    );
  }
  return failed === 0 ? 0 : 1;
}
