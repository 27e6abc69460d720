import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { collapseWhitespace } from '../text/entities.ts';
import { MARKDOWN_ATOMS, escapeMarkdown } from '../text/markdown.ts';
import { truncate } from '../text/truncate.ts';
import type { Item } from './item.ts';
import { DISCORD_LIMITS } from '../discord/limits.ts';

/** Discord's message and embed limits (API v10); a payload over any of them is a 400. */
export const DEFAULT_EMBED_COLOR = 0xf472b6;

export interface FormatOptions {
  /** The role moderators chose to ping for new stories; the only mention the post may make. */
  roleId?: string | undefined;
  /** 0xRRGGBB */
  color?: number | undefined;
}

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * One story as a Discord message: a single embed (linked title, summary, image, author,
 * time, feed name as footer). `content` holds the role ping, and for a YouTube video its
 * URL, because only a URL in the content makes Discord show the player. Every text is cut
 * to Discord's limits on a grapheme boundary, and `allowed_mentions` is always sent, so
 * feed text can never ping anyone: only the chosen role may be mentioned.
 *
 * Title and description are Markdown-escaped (Discord renders Markdown there): feed text
 * cannot make masked links, headings or spoilers, and bare URLs still link. Author name and
 * footer are not rendered as Markdown, so they are left as they are.
 */
export function formatItem(
  item: Item,
  feed: { title: string | undefined; url: string },
  opts: FormatOptions = {},
): RESTPostAPIChannelMessageJSONBody {
  const feedName = collapseWhitespace(feed.title ?? '') || hostOf(feed.url) || 'News';
  const footerText = truncate(feedName, DISCORD_LIMITS.footerText);
  const authorName = item.author ? truncate(collapseWhitespace(item.author), DISCORD_LIMITS.authorName) : '';
  // An untitled story (a Mastodon post) is captioned with the feed's name, still linked to it.
  const titleText = collapseWhitespace(item.title ?? '') || feedName;
  const title = cutMarkdown(escapeMarkdown(titleText), DISCORD_LIMITS.title, 40);

  const used = title.length + footerText.length + authorName.length;
  const budget = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - used);
  const summary = item.summary?.trim();
  const description = summary && budget > 1 ? cutMarkdown(escapeMarkdown(withinReach(summary, budget)), budget, 100) : '';

  const video = safeUrl(item.video);
  const embed: APIEmbed = { title };
  const link = safeUrl(item.link);
  if (link) embed.url = link;
  if (description) embed.description = description;
  // With the video URL in the content Discord adds its player, thumbnail included.
  const image = video ? undefined : safeUrl(item.image);
  if (image) embed.image = { url: image };
  if (authorName) embed.author = { name: authorName };
  if (item.date && !Number.isNaN(item.date.getTime())) embed.timestamp = item.date.toISOString();
  embed.footer = { text: footerText };
  embed.color = validColor(opts.color) ?? DEFAULT_EMBED_COLOR;

  const roleId = opts.roleId !== undefined && SNOWFLAKE.test(opts.roleId) ? opts.roleId : undefined;
  const contentParts = [roleId ? `<@&${roleId}>` : undefined, video].filter((part) => part !== undefined);
  const content = contentParts.join(' ');

  const message: RESTPostAPIChannelMessageJSONBody = {
    embeds: [embed],
    allowed_mentions: { parse: [], roles: roleId ? [roleId] : [] },
  };
  if (content && content.length <= DISCORD_LIMITS.content) message.content = content;
  else if (roleId) message.content = `<@&${roleId}>`;
  return message;
}

function cutMarkdown(text: string, max: number, wordWindow: number): string {
  return truncate(text, max, { keepWhole: MARKDOWN_ATOMS, wordWindow });
}

/**
 * What of a summary can reach the post, before it is escaped: a summary can be a whole
 * 200,000-character article. Escaping only lengthens text and only changes it near where
 * it is cut, and the cut depends on nothing past the budget (thousands of characters), so
 * twice the budget is plenty.
 */
function withinReach(text: string, budget: number): string {
  return text.length > 2 * budget ? text.slice(0, 2 * budget) : text;
}

/** Discord answers 400 to an embed URL that is not http(s) or is longer than 2048. */
function safeUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.length <= DISCORD_LIMITS.url ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function validColor(color: number | undefined): number | undefined {
  return color !== undefined && Number.isInteger(color) && color >= 0 && color <= 0xffffff ? color : undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
