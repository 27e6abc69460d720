import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { decodeFeedBody } from '../src/feeds/decode.ts';
import { diffItems } from '../src/feeds/diff.ts';
import { formatItem } from '../src/feeds/format.ts';
import { parseFeed } from '../src/feeds/parse.ts';
import { heading, median, percent, printTable, ratio, sum } from './measure.ts';
import { contentTypeFor } from '../test/support/feed-server.ts';

/**
 * The feed pipeline (decode → parse → identify+diff → format) over every sample in
 * ../shared/feeds, beside bare rss-parser `parseString` on the same bytes, in one run.
 * Rounds alternate A/B so drift (JIT, GC, a busy neighbour) hits both alike.
 */

const TARGET_OVERHEAD = 0.15;
const WARMUP_ROUNDS = 1;
/** Measured rounds: at least MIN_ROUNDS, then more while under BUDGET_MS, at most MAX_ROUNDS. */
const MIN_ROUNDS = 3;
const MAX_ROUNDS = 9;
const BUDGET_MS = 20_000;

interface Sample {
  name: string;
  bytes: Buffer;
  contentType: string | undefined;
  url: string;
}

interface Stages {
  decode: number;
  parse: number;
  diff: number;
  format: number;
}

interface OursFile {
  ms: number;
  stages: Stages;
  ok: boolean;
  items: number;
  posts: number;
}

export function loadSamples(dir = resolve(process.cwd(), '../shared/feeds')): Sample[] {
  return readdirSync(dir)
    .filter((name) => name !== 'SOURCES.md' && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => ({
      name,
      bytes: readFileSync(join(dir, name)),
      // Labelled as the feed server labels them, so decode sees what it would see from a server.
      contentType: contentTypeFor(name),
      url: `https://feeds.example.com/${encodeURIComponent(name)}`,
    }));
}

const bare = new Parser();

async function bareFile(sample: Sample): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  let ok = true;
  try {
    await bare.parseString(sample.bytes.toString('utf8'));
  } catch {
    ok = false;
  }
  return { ms: performance.now() - start, ok };
}

/** The production path of one 200 response, as pollFeed runs it (one subscription). */
async function oursFile(sample: Sample): Promise<OursFile> {
  const stages: Stages = { decode: 0, parse: 0, diff: 0, format: 0 };
  const t0 = performance.now();
  let ok = false;
  let items = 0;
  let posts = 0;
  try {
    const xml = decodeFeedBody(sample.bytes, sample.contentType);
    const t1 = performance.now();
    stages.decode = t1 - t0;
    const feed = await parseFeed(xml, sample.url);
    const t2 = performance.now();
    stages.parse = t2 - t1;
    // Nothing seen yet, nothing too old, no cap: every story is identified, diffed and formatted.
    const diff = diffItems(feed.items, new Set(), { now: Date.now(), maxAgeMs: Number.MAX_SAFE_INTEGER, maxPerPoll: 1e9 });
    const t3 = performance.now();
    stages.diff = t3 - t2;
    for (const { item } of diff.fresh) {
      formatItem(item, { title: feed.title, url: sample.url }, {});
      posts += 1;
    }
    stages.format = performance.now() - t3;
    items = feed.items.length;
    ok = true;
  } catch {
    // A body production refuses (FeedParseError) still counts as handled.
    const spent = performance.now() - t0;
    const accounted = stages.decode + stages.parse + stages.diff + stages.format;
    if (stages.decode === 0) stages.decode = spent;
    else stages.parse += spent - accounted;
  }
  return { ms: performance.now() - t0, stages, ok, items, posts };
}

export async function benchPipeline(): Promise<void> {
  const samples = loadSamples();
  const totalBytes = sum(samples.map((s) => s.bytes.length));
  heading('feed pipeline vs bare rss-parser');
  const bareRounds: { ms: number; ok: boolean }[][] = [];
  const oursRounds: OursFile[][] = [];
  const started = performance.now();
  for (let round = 0; ; round++) {
    const measured = round - WARMUP_ROUNDS;
    if (measured >= MAX_ROUNDS || (measured >= MIN_ROUNDS && performance.now() - started > BUDGET_MS)) break;
    // Alternate which side goes first, so neither always runs on a freshly collected heap.
    const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
    for (const side of order) {
      if (side === 'bare') {
        const results: { ms: number; ok: boolean }[] = [];
        for (const sample of samples) results.push(await bareFile(sample));
        if (round >= WARMUP_ROUNDS) bareRounds.push(results);
      } else {
        const results: OursFile[] = [];
        for (const sample of samples) results.push(await oursFile(sample));
        if (round >= WARMUP_ROUNDS) oursRounds.push(results);
      }
    }
  }

  console.log(
    `  ${samples.length} files, ${(totalBytes / 1024 / 1024).toFixed(2)} MB from ../shared/feeds; ` +
      `${WARMUP_ROUNDS} warm-up + ${bareRounds.length} measured rounds each, interleaved A/B; medians`,
  );
  console.log(
    '  ours = decodeFeedBody → parseFeed → diffItems (itemKeys inside, empty seen-set, no age limit, no cap) → formatItem per story',
  );

  const firstBare = bareRounds[0] ?? [];
  const firstOurs = oursRounds[0] ?? [];
  const bareOk = new Set(samples.map((_, i) => i).filter((i) => firstBare[i]?.ok));
  const oursOk = new Set(samples.map((_, i) => i).filter((i) => firstOurs[i]?.ok));
  const both = [...bareOk].filter((i) => oursOk.has(i));
  const all = samples.map((_, i) => i);

  const roundMs = <T extends { ms: number }>(rounds: T[][], subset: number[]): number =>
    median(rounds.map((files) => sum(subset.map((i) => files[i]?.ms ?? 0))));
  const bytesOf = (subset: number[]): number => sum(subset.map((i) => samples[i]?.bytes.length ?? 0));
  const mbps = (bytes: number, msValue: number): string => `${(bytes / 1024 / 1024 / (msValue / 1000)).toFixed(1)} MB/s`;

  const rows: string[][] = [];
  const summary = (label: string, subset: number[]): { ratio: number } => {
    const bareMs = roundMs(bareRounds, subset);
    const oursMs = roundMs(oursRounds, subset);
    const bytes = bytesOf(subset);
    const r = oursMs / bareMs;
    rows.push([
      label,
      String(subset.length),
      `${(bytes / 1024 / 1024).toFixed(2)} MB`,
      `${bareMs.toFixed(1)} ms`,
      mbps(bytes, bareMs),
      `${oursMs.toFixed(1)} ms`,
      mbps(bytes, oursMs),
      ratio(r),
      percent((r - 1) * 100),
    ]);
    return { ratio: r };
  };
  const fair = summary('files both accept', both);
  summary('all files', all);
  printTable(['set', 'files', 'bytes', 'bare', 'bare MB/s', 'ours', 'ours MB/s', 'ours/bare', 'overhead'], rows);
  console.log(
    `  bare rss-parser accepts ${bareOk.size}/${samples.length} files (as UTF-8 text), ours ${oursOk.size}/${samples.length}; ` +
      `ours also decodes charsets, gunzips and repairs, so "files both accept" is the like-for-like figure`,
  );

  // Per-stage breakdown, medians over the measured rounds, over the files both accept.
  const stageMs = (stage: keyof Stages): number => median(oursRounds.map((files) => sum(both.map((i) => files[i]?.stages[stage] ?? 0))));
  const bareBoth = roundMs(bareRounds, both);
  const stageRows = (['decode', 'parse', 'diff', 'format'] as const).map((stage) => {
    const value = stageMs(stage);
    const label = stage === 'diff' ? 'identify + diff' : stage === 'parse' ? 'parse (rss-parser + normalise)' : stage;
    return [label, `${value.toFixed(1)} ms`, `${((value / bareBoth) * 100).toFixed(1)} %`];
  });
  const parseMs = stageMs('parse');
  stageRows.push(['  of which beyond bare parseString', `${(parseMs - bareBoth).toFixed(1)} ms`, `${(((parseMs - bareBoth) / bareBoth) * 100).toFixed(1)} %`]);
  console.log('');
  printTable(['stage (files both accept)', 'time/round', 'of bare parse'], stageRows);
  const items = sum(firstOurs.map((f) => f.items));
  const posts = sum(firstOurs.map((f) => f.posts));
  console.log(`  per round: ${items} items parsed, ${posts} messages formatted`);

  const verdict = fair.ratio - 1 <= TARGET_OVERHEAD ? 'met' : 'MISSED';
  console.log(`  target: overhead ≤ ${TARGET_OVERHEAD * 100} % over bare parse → ${percent((fair.ratio - 1) * 100)} (${verdict})`);
  // A poll in steady state finds at most a story or two new: format all but vanishes from it.
  const steady = (stageMs('decode') + parseMs + stageMs('diff')) / bareBoth;
  console.log(`  derived: without the format stage (steady-state polls, nearly every story already seen) → ${percent((steady - 1) * 100)}`);

  // Heaviest files by our extra time over bare, to point a profiler at.
  const extra = both
    .map((i) => ({
      name: samples[i]?.name ?? '',
      ours: median(oursRounds.map((files) => files[i]?.ms ?? 0)),
      bare: median(bareRounds.map((files) => files[i]?.ms ?? 0)),
    }))
    .map((f) => ({ ...f, extra: f.ours - f.bare }))
    .sort((a, b) => b.extra - a.extra)
    .slice(0, 5);
  console.log('');
  printTable(
    ['largest extra time (file)', 'bare', 'ours', 'ours/bare'],
    extra.map((f) => [f.name, `${f.bare.toFixed(2)} ms`, `${f.ours.toFixed(2)} ms`, ratio(f.ours / f.bare)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPipeline();
}
