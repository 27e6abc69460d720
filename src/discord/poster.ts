import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes, type RESTPostAPIChannelMessageJSONBody, type RESTPostAPIChannelMessageResult } from 'discord.js';

export type PostOutcome =
  | { ok: true; messageId: string }
  /** The channel is gone or closed to the bot: stop posting there at once. */
  | { ok: false; kind: 'no-access'; reason: string }
  /** Discord refused the body itself: retrying the same body can never succeed. */
  | { ok: false; kind: 'rejected'; reason: string }
  /** Network trouble or a 5xx that outlived @discordjs/rest's own retries: try again later. */
  | { ok: false; kind: 'transient'; reason: string };

export interface Poster {
  post(channelId: string, body: RESTPostAPIChannelMessageJSONBody, nonce: string): Promise<PostOutcome>;
}

const NO_ACCESS: Record<number, string> = {
  10003: 'the channel no longer exists',
  50001: 'the bot cannot see the channel (Missing Access)',
  50013: 'the bot is not allowed to post there (Missing Permissions)',
};

/**
 * Posts through @discordjs/rest only, so the feed engine can run without a gateway. 429s
 * and 5xx are retried inside the REST queue; this adds no retry layer of its own.
 */
export function createPoster(rest: REST): Poster {
  return {
    async post(channelId, body, nonce) {
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), {
          body: { ...body, nonce, enforce_nonce: true },
        })) as RESTPostAPIChannelMessageResult;
        return { ok: true, messageId: message.id };
      } catch (error) {
        if (error instanceof DiscordAPIError) {
          if (error.status === 403 || error.status === 404) {
            const why = (typeof error.code === 'number' && NO_ACCESS[error.code]) || `Discord answered ${error.status}`;
            return { ok: false, kind: 'no-access', reason: why };
          }
          // 401 means the bot's token is wrong, not the message: keep the post for when it is fixed.
          if (error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 401) {
            return { ok: false, kind: 'rejected', reason: `Discord rejected the message: ${error.message}` };
          }
        }
        return { ok: false, kind: 'transient', reason: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
