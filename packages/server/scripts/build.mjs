// Bundles the server's TypeScript into one ES module, dist/gatehouse.mjs: starting from one file
// is several times faster and lighter than compiling every source file at start-up.
// The pure-ESM libraries (Kysely, Hono, jose) are bundled with it; native addons, pg and
// nodemailer stay in node_modules. Run by `prepare` and by the bin when a source file is newer
// than the bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE } from './freshness.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * What stays out of the bundle and loads from node_modules at run time is exactly the package's
 * `dependencies`, so the published package installs nothing it does not load; everything else
 * is a devDependency and bundled. The dependencies are the native addons, pg (CommonJS, needed
 * only with PostgreSQL) and nodemailer (CommonJS, needed only with GATEHOUSE_SMTP_URL); the
 * pure-ESM libraries are bundled, since loading Kysely's ~280 modules one by one was most of
 * the start-up time.
 */
const { dependencies } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

export async function buildBundle() {
  const result = await build({
    entryPoints: [path.join(root, 'src', 'cli', 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: Object.keys(dependencies),
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
