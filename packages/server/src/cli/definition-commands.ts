import type { IssuerScope } from '../issuers/scope.js';
import { parseIdArgs, type Subcommand, table, withHelp, withScope } from './common.js';

// The `list` and `delete` subcommands of the issuer's named definitions (gatehouse api, scope,
// attr, hook): the same arguments, --json answers and table, only the rows and names differ.

/** `<noun> list [--json]`: every definition as JSON (through `view`), a hint when none, else a table. */
export function listDefinitions<T>(spec: {
  help: string;
  load: (scope: IssuerScope) => Promise<T[]>;
  view: (row: T) => unknown;
  empty: string;
  headers: string[];
  cells: (row: T) => string[];
}): Subcommand {
  return withHelp(spec.help, async (args, io) => {
    const { json } = parseIdArgs(args, []);
    const rows = await withScope(io, spec.load);
    if (json) io.out(JSON.stringify(rows.map(spec.view)));
    else if (rows.length === 0) io.out(spec.empty);
    else io.out(table(spec.headers, rows.map(spec.cells)));
    return 0;
  });
}

/** `<noun> delete <key> [--json]`: deletes the definition named by its key and says so. */
export function deleteDefinition(spec: {
  help: string;
  key: string;
  remove: (scope: IssuerScope, key: string) => Promise<unknown>;
  done: (key: string) => string;
}): Subcommand {
  return withHelp(spec.help, async (args, io) => {
    const {
      ids: [key = ''],
      json,
    } = parseIdArgs(args, [spec.key]);
    await withScope(io, (s) => spec.remove(s, key));
    io.out(json ? JSON.stringify({ [spec.key]: key, deleted: true }) : spec.done(key));
    return 0;
  });
}
