import { z } from 'zod';

const booleanFlag = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveNumber = z
  .string()
  .trim()
  .refine((text) => text !== '' && Number.isFinite(Number(text)) && Number(text) >= 1, 'must be a number ≥ 1, like 600')
  .transform(Number);

const storeUrl = z
  .string()
  .trim()
  .refine((value) => /^(sqlite|redis|rediss|postgres|postgresql):\/\//.test(value), {
    message: 'must start with sqlite://, redis://, rediss:// or postgres://',
  });

const snowflake = z.string().trim().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

const schema = z.object({
  DISCORD_TOKEN: z.string().trim().min(1).optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:PORT/api' }).optional(),
  DEV_GUILD_ID: snowflake.optional(),
  STORE_URL: storeUrl.default('sqlite://data/lightstick.sqlite'),
  FEED_INTERVAL_SECONDS: positiveNumber.default(600),
  FEED_MAX_AGE_HOURS: positiveNumber.default(72),
  ALLOW_PRIVATE_FEED_HOSTS: booleanFlag.default(false),
  LOG_LEVEL: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }))
    .default('info'),
});

export interface Config {
  /** Absent only for commands that never talk to Discord (none today besides tests). */
  readonly discordToken: string | undefined;
  /** REST base such as http://127.0.0.1:PORT/api; undefined means Discord itself. */
  readonly discordApiUrl: string | undefined;
  readonly devGuildId: string | undefined;
  readonly storeUrl: string;
  readonly feedIntervalMs: number;
  readonly feedMaxAgeMs: number;
  readonly allowPrivateFeedHosts: boolean;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const TOKEN_HELP =
  'DISCORD_TOKEN is not set. Create an application at https://discord.com/developers/applications, ' +
  'open its "Bot" page, press "Reset Token", and put the token in .env as DISCORD_TOKEN=… ' +
  '(see README.md, "Create the bot").';

/**
 * Parses the environment once. Every bad key is named together so a moderator fixes
 * their .env in one pass rather than one error per start.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { requireToken?: boolean } = {}): Config {
  // Empty strings in .env files mean "unset", not "invalid".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '?');
      // Never echo the token's value back: it would land in logs and terminals.
      const shown = key === 'DISCORD_TOKEN' ? '' : ` (got ${JSON.stringify(env[key])})`;
      problems.push(`${key}: ${issue.message}${shown}`);
    }
  }
  if (options.requireToken && parsed.success && !parsed.data.DISCORD_TOKEN) problems.push(TOKEN_HELP);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const data = parsed.data;
  return Object.freeze({
    discordToken: data.DISCORD_TOKEN,
    discordApiUrl: data.DISCORD_API_URL?.replace(/\/+$/, ''),
    devGuildId: data.DEV_GUILD_ID,
    storeUrl: data.STORE_URL,
    feedIntervalMs: data.FEED_INTERVAL_SECONDS * 1000,
    feedMaxAgeMs: data.FEED_MAX_AGE_HOURS * 3_600_000,
    allowPrivateFeedHosts: data.ALLOW_PRIVATE_FEED_HOSTS,
    logLevel: data.LOG_LEVEL,
  });
}
