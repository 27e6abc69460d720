import { PermissionFlagsBits, type Guild, type PermissionResolvable } from 'discord.js';
import { UserError } from '../errors.ts';

const NEEDED: Array<[PermissionResolvable, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

/** Refuses a channel the bot could not post embeds in, naming the missing permissions. */
export function assertBotCanPost(guild: Guild | null, channelId: string): void {
  const channel = guild?.channels.cache.get(channelId);
  const me = guild?.members.me;
  if (!channel || !me) throw new UserError(`I cannot see <#${channelId}>. Give me access to it, then try again.`);
  const permissions = channel.permissionsFor(me);
  const missing = NEEDED.filter(([flag]) => !permissions.has(flag)).map(([, name]) => name);
  if (missing.length > 0) {
    throw new UserError(`I need ${missing.join(', ')} in <#${channelId}> to post there. Update the channel's permissions, then try again.`);
  }
}
