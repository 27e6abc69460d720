import { DISCORD_LIMITS } from '../discord/limits.ts';

/**
 * How much of a story's text a summary holds at most (give or take a paragraph): the
 * longest description a post shows, and enough beyond it for the cut to see where the next
 * word, grapheme or link ends. A post made from the whole text would be the same.
 */
export const SUMMARY_REACH = DISCORD_LIMITS.description + 256;

/** One story from a feed, normalised so the rest of the engine never sees RSS/Atom differences. */
export interface Item {
  /** guid / Atom id / rdf:about, trimmed; undefined when the feed gives none. */
  id: string | undefined;
  /** Absolute link to the story (resolved against the feed URL / xml:base). */
  link: string | undefined;
  /** Plain-text title with HTML entities decoded exactly once. */
  title: string | undefined;
  /**
   * Plain readable text made from the item's HTML (description / content / summary), read
   * no further than SUMMARY_REACH characters when the body is longer.
   */
  summary: string | undefined;
  /** The item's raw HTML body, when it has one (content:encoded, Atom content, description). */
  html: string | undefined;
  /** Absolute image URL: media:content / media:thumbnail / image enclosure / first <img>. */
  image: string | undefined;
  author: string | undefined;
  /** Publication (or update) date; undefined when missing or unparseable. */
  date: Date | undefined;
  /** YouTube video URL when the entry is a YouTube video (so Discord shows the player). */
  video: string | undefined;
}

/** A parsed feed: its own metadata and its items in document order. */
export interface ParsedFeed {
  title: string | undefined;
  /** The site the feed belongs to (channel link / Atom alternate link), absolute. */
  link: string | undefined;
  items: Item[];
}
