#!/usr/bin/env node
// The server runs from its TypeScript sources through tsx, so there is no build step between
// `npm install` and `npm start`; tsx caches each transformed file, so later starts stay fast.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
