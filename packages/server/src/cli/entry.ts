import { main } from './main.js';

// The command line's entry point, as bundled into dist/gatehouse.mjs.
process.exitCode = await main(process.argv.slice(2));
