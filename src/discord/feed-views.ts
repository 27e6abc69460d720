import type { APIEmbed } from 'discord.js';
import type { FeedPreview, SubscriptionView } from '../feeds/news-desk.ts';
import type { FeedRecord, Subscription } from '../store/index.ts';
import { truncate } from '../text/truncate.ts';

const COLOR = 0xf5a3c7;
const EMBED_TOTAL = 6000;

const when = (ms: number | undefined, style: 'R' | 'f' = 'R') =>
  ms === undefined ? 'never' : `<t:${Math.floor(ms / 1000)}:${style}>`;

export function feedName(feed: FeedRecord): string {
  return feed.title?.trim() || new URL(feed.url).host;
}

export function stateOf(sub: Subscription, feed: FeedRecord): string {
  if (sub.paused) return '⏸️ paused';
  if (feed.failures > 0) return `⚠️ failing (${feed.failures}×)`;
  return '✅ active';
}

/** The autocomplete label for a subscription: feed name and channel, within Discord's 100 characters. */
export function choiceLabel({ subscription, feed }: SubscriptionView, channelName: string | undefined): string {
  return truncate(`${feedName(feed)} → #${channelName ?? subscription.channelId}`, 100);
}

export function listEmbeds(views: SubscriptionView[]): APIEmbed[] {
  if (views.length === 0) {
    return [{ title: 'Feeds', description: 'This server follows no feeds yet. Add one with `/feed add`.', color: COLOR }];
  }
  const lines = views.map(({ subscription: sub, feed }) =>
    [
      `**${truncate(feedName(feed), 80)}** → <#${sub.channelId}>${sub.roleId ? ` (pings <@&${sub.roleId}>)` : ''}`,
      `${stateOf(sub, feed)} · fetched ${when(feed.lastFetchAt)} · last post ${when(sub.lastPostAt)}`,
    ].join('\n'),
  );
  const embeds: APIEmbed[] = [];
  let budget = EMBED_TOTAL - 100;
  let current: string[] = [];
  const flush = () => {
    if (current.length === 0) return;
    embeds.push({ title: embeds.length === 0 ? `Feeds (${views.length})` : undefined, description: current.join('\n\n'), color: COLOR });
    current = [];
  };
  for (const [index, line] of lines.entries()) {
    if (line.length + 2 > budget || embeds.length >= 9) {
      current.push(`…and ${lines.length - index} more.`);
      break;
    }
    if (current.join('\n\n').length + line.length + 2 > 4000) flush();
    current.push(line);
    budget -= line.length + 2;
  }
  flush();
  return embeds;
}

export function statusEmbed({ subscription: sub, feed }: SubscriptionView): APIEmbed {
  const fields = [
    { name: 'Channel', value: `<#${sub.channelId}>`, inline: true },
    { name: 'State', value: stateOf(sub, feed), inline: true },
    { name: 'Pings', value: sub.roleId ? `<@&${sub.roleId}>` : 'nobody', inline: true },
    { name: 'Last fetch', value: when(feed.lastFetchAt), inline: true },
    { name: 'Last success', value: when(feed.lastSuccessAt), inline: true },
    { name: 'Next fetch', value: sub.paused ? 'paused' : when(feed.nextFetchAt), inline: true },
    { name: 'Last post here', value: when(sub.lastPostAt), inline: true },
  ];
  if (feed.lastError) {
    fields.push({
      name: `Last error${feed.failures > 1 ? ` (${feed.failures} failures in a row since ${when(feed.failingSince)})` : ''}`,
      value: truncate(feed.lastError, 1024),
      inline: false,
    });
  }
  if (sub.pausedReason) fields.push({ name: 'Why paused', value: truncate(sub.pausedReason, 1024), inline: false });
  return { title: truncate(feedName(feed), 256), url: feed.url, color: COLOR, fields };
}

export function previewSummary(preview: FeedPreview): string {
  const stories = preview.itemCount === 1 ? '1 story' : `${preview.itemCount} stories`;
  return `**${truncate(preview.title, 200)}** — ${stories} in the feed right now.`;
}
