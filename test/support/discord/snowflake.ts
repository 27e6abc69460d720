import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/**
 * Ids carry a real timestamp because @discordjs/rest and discord.js derive
 * creation times (and some bucket decisions) from them; a short counter like
 * "1" would make `createdAt` land in 2015 and break sorting by id.
 */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  const worker = 1n << 17n;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | worker | increment).toString();
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function isSnowflake(value: string): boolean {
  return /^\d{17,20}$/.test(value);
}

/**
 * Shaped like a real bot token (base64 user id, base64 timestamp, HMAC-ish
 * tail) because discord.js reads the first part as the bot's user id.
 */
export function makeBotToken(botUserId: string): string {
  const part1 = Buffer.from(botUserId).toString('base64url');
  const part2 = randomBytes(4).toString('base64url');
  const part3 = randomBytes(27).toString('base64url');
  return `${part1}.${part2}.${part3}`;
}

/** Interaction tokens are long opaque strings; the shape only matters for URLs. */
export function makeInteractionToken(): string {
  return `aW50ZXJhY3Rpb24${randomBytes(96).toString('base64url')}`;
}
