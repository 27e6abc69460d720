import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { FeedRecord } from '../store/index.ts';

/** The one message a channel gets when its feed has been failing for a long time. */
export function failureNotice(feed: FeedRecord, reason: string): RESTPostAPIChannelMessageJSONBody {
  const since = Math.floor((feed.failingSince ?? Date.now()) / 1000);
  const name = feed.title ?? feed.url;
  return {
    content:
      `⚠️ I have not been able to read **${name.slice(0, 200)}** since <t:${since}:f>.\n` +
      `Reason: ${reason.slice(0, 500)}\n` +
      'I will keep trying less often. A moderator can check `/feed status` or remove it with `/feed remove`.',
    allowed_mentions: { parse: [] },
  };
}
