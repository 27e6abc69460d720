import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The one root logger. Pretty output only when a person watches the terminal; JSON
 * everywhere else so log shippers can read it. Tokens are redacted wherever they appear
 * as a field, and the REST layer never logs headers.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { app: 'lightstick' },
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'config.discordToken'],
      censor: '[redacted]',
    },
  };
  if (destination) return pino(options, destination as pino.DestinationStream);
  if (process.stdout.isTTY) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(options);
}
