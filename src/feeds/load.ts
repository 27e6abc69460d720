import { decodeFeedBody } from './decode.ts';
import { fetchFeed, type FetchOptions, type Validators } from './fetch.ts';
import type { ParsedFeed } from './item.ts';
import { parseFeed } from './parse.ts';

export type LoadResult =
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'ok'; feed: ParsedFeed; finalUrl: string; validators: Validators };

/** fetch → decode → parse: one feed URL to normalised items, or a thrown error with a reason in plain words. */
export async function loadFeed(url: string, validators: Validators, options: FetchOptions): Promise<LoadResult> {
  const response = await fetchFeed(url, validators, options);
  if (response.kind === 'not-modified') return { kind: 'not-modified', validators: response.validators };
  const xml = decodeFeedBody(response.body, response.contentType);
  const feed = await parseFeed(xml, response.finalUrl);
  return { kind: 'ok', feed, finalUrl: response.finalUrl, validators: response.validators };
}
