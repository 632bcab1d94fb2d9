// Bundles the server's TypeScript into one ES module, dist/gatehouse.mjs: starting from one file
// is several times faster and lighter than compiling every source file at start-up.
// The pure-ESM dependencies (Kysely, Hono, jose) are bundled with it; native addons, pg and
// nodemailer stay in node_modules. Run by `prepare` and by the bin when a source file is newer
// than the bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE } from './freshness.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export async function buildBundle() {
  const result = await build({
    entryPoints: [path.join(root, 'src', 'cli', 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons, pg (CommonJS, needed only with PostgreSQL) and nodemailer (CommonJS, needed
    // only with GATEHOUSE_SMTP_URL) stay in node_modules; the pure-ESM libraries are bundled,
    // since loading Kysely's ~280 modules one by one was most of the start-up time.
    external: ['better-sqlite3', '@node-rs/argon2', 'pg', 'nodemailer'],
    write: false,
    logLevel: 'silent',
  });
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  // Written aside and renamed: processes starting at the same moment never read half a file.
  const temp = `${BUNDLE}.${process.pid}.tmp`;
  fs.writeFileSync(temp, result.outputFiles[0].text);
  fs.renameSync(temp, BUNDLE);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundle();
