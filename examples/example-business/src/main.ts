import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createExampleApp } from './app.js';
import { ConfigError, type ExampleConfig, loadConfig } from './config.js';

// .env sits next to package.json, whatever folder the app is started from. Variables already in
// the environment win, as with any .env loader.
const envFile = fileURLToPath(new URL('../.env', import.meta.url));
if (fs.existsSync(envFile)) {
  if (typeof process.loadEnvFile === 'function') process.loadEnvFile(envFile);
  else console.warn('This Node.js cannot read .env files (needs 20.12 or newer): set the variables in the environment.');
}

function configOrExit(): ExampleConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(78); // EX_CONFIG, as the gatehouse CLI uses
  }
}

const config = configOrExit();
if (config.sessionSecretIsRandom) {
  console.warn('EXAMPLE_SESSION_SECRET is not set: using a random one, so sessions end when the app restarts.');
}

const app = createExampleApp(config);
const host = process.env.HOST?.trim() || '127.0.0.1';
const server = app.listen(config.port, host, (error?: Error) => {
  if (error) {
    console.error(`Could not listen on ${host}:${config.port}: ${error.message}`);
    process.exit(1);
  }
  console.log(`Example Business is running at ${config.appUrl} (Gatehouse: ${config.issuerUrl})`);
});

function stop(): void {
  server.close(() => process.exit(0));
  // Keep-alive connections from the browser would hold close() open.
  server.closeAllConnections();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
