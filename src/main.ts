import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startApp } from './app.ts';

// The platform reads .env itself (Node ≥ 20.12); real environment variables win.
if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig(process.env, { requireToken: true });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
try {
  const app = await startApp(config, logger);
  logger.info({ store: config.storeUrl.split(':')[0], intervalSeconds: config.feedIntervalMs / 1000 }, 'Lightstick is running');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  // discord.js's TokenInvalid carries no token; the message is safe to show.
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
