import { fork } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { decodeFeedBody } from '../src/feeds/decode.ts';
import { MAX_POSTS_PER_POLL, diffItems, type DiffOptions } from '../src/feeds/diff.ts';
import { formatItem } from '../src/feeds/format.ts';
import { parseFeed } from '../src/feeds/parse.ts';
import { heading, median, percent, printTable, ratio, sum } from './measure.ts';
import { contentTypeFor } from '../test/support/feed-server.ts';

/**
 * The feed pipeline (decode → parse → identify+diff → format) over every sample in
 * ../shared/feeds, beside bare rss-parser `parseString` on the same bytes, in one run.
 *
 * Two cases of ours. "news" is what a poll does when a feed has changed: the seen-set of
 * the poll before holds every story but the newest, so one story per file is formatted.
 * "every story new" formats every story of every file, which production never does (a
 * feed's first poll records its backlog without posting; later polls format only what
 * is new, at most 10): the upper bound of the format stage.
 *
 * Rounds rotate which side goes first, so drift (JIT, GC, a busy neighbour) hits all alike.
 * (Collecting garbage before each side made every side slower and the ratios no steadier.)
 *
 * Each measurement runs in a fresh process holding only this pipeline: how V8 compiles sax
 * and htmlparser2 depends on what a process loaded and ran before (beside the other benches,
 * sax's charAt went from negligible to one of its hottest functions, and the ratio moved by
 * 15 points). Even fresh processes differ by luck, so several are measured, all their
 * rounds pooled, and their spread printed.
 */

const TARGET_OVERHEAD = 0.15;
// sax and htmlparser2 take a few rounds to reach their fastest; a running bot is long past that.
const WARMUP_ROUNDS = 3;
/** Measured rounds: at least MIN_ROUNDS, then more while under BUDGET_MS, at most MAX_ROUNDS. */
const MIN_ROUNDS = 3;
const MAX_ROUNDS = 6;
const BUDGET_MS = 15_000;
const PROCESSES = 5;
const MEASURE_FLAG = '--bench-pipeline-measure';

interface Sample {
  name: string;
  bytes: Buffer;
  contentType: string | undefined;
  url: string;
}

type Case = 'news' | 'every story new';
const CASES: readonly Case[] = ['news', 'every story new'];

interface Stages {
  decode: number;
  parse: number;
  diff: number;
  format: number;
}

interface FileRun {
  ms: number;
  ok: boolean;
}

interface OursRun extends FileRun {
  stages: Stages;
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

async function bareFile(sample: Sample): Promise<FileRun> {
  const start = performance.now();
  let ok = true;
  try {
    await bare.parseString(sample.bytes.toString('utf8'));
  } catch {
    ok = false;
  }
  return { ms: performance.now() - start, ok };
}

const NO_AGE_LIMIT = Number.MAX_SAFE_INTEGER;

/** The production path of one 200 response, as pollFeed runs it (one subscription). */
async function oursFile(sample: Sample, seen: ReadonlySet<string>, options: DiffOptions): Promise<OursRun> {
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
    const diff = diffItems(feed.items, seen, options);
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

/** The seen-set the poll before a "news" poll left: the keys of every story but the newest. */
async function seenBeforeNewest(sample: Sample): Promise<Set<string>> {
  try {
    const feed = await parseFeed(decodeFeedBody(sample.bytes, sample.contentType), sample.url);
    const { fresh } = diffItems(feed.items, new Set(), { now: Date.now(), maxAgeMs: NO_AGE_LIMIT, maxPerPoll: Number.MAX_SAFE_INTEGER });
    // Oldest first: all but the last are the stories seen before.
    return new Set(fresh.slice(0, -1).flatMap(({ keys }) => keys));
  } catch {
    return new Set();
  }
}

interface Measurement {
  bare: FileRun[][];
  ours: Record<Case, OursRun[][]>;
}

/** Rounds of every side in this process. */
async function measure(samples: Sample[]): Promise<Measurement> {
  const seenSets = await Promise.all(samples.map(seenBeforeNewest));
  const now = Date.now();
  const setups: Record<Case, (index: number) => [ReadonlySet<string>, DiffOptions]> = {
    news: (index) => [seenSets[index] ?? new Set(), { now, maxAgeMs: NO_AGE_LIMIT, maxPerPoll: MAX_POSTS_PER_POLL }],
    'every story new': () => [new Set(), { now, maxAgeMs: NO_AGE_LIMIT, maxPerPoll: Number.MAX_SAFE_INTEGER }],
  };

  const result: Measurement = { bare: [], ours: { news: [], 'every story new': [] } };
  const sides = ['bare', ...CASES] as const;
  const started = performance.now();
  for (let round = 0; ; round++) {
    const measured = round - WARMUP_ROUNDS;
    if (measured >= MAX_ROUNDS || (measured >= MIN_ROUNDS && performance.now() - started > BUDGET_MS)) break;
    for (let turn = 0; turn < sides.length; turn++) {
      const side = sides[(round + turn) % sides.length] ?? 'bare';
      if (side === 'bare') {
        const results: FileRun[] = [];
        for (const sample of samples) results.push(await bareFile(sample));
        if (round >= WARMUP_ROUNDS) result.bare.push(results);
      } else {
        const results: OursRun[] = [];
        for (const [index, sample] of samples.entries()) results.push(await oursFile(sample, ...setups[side](index)));
        if (round >= WARMUP_ROUNDS) result.ours[side].push(results);
      }
    }
  }
  return result;
}

/** One measurement in a fresh process (fork passes on execArgv, so it runs under tsx too). */
function measureInChild(): Promise<Measurement> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [MEASURE_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Measurement | undefined;
    child.on('message', (message) => {
      result = message as Measurement;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolvePromise(result) : reject(new Error(`pipeline measurement exited with ${code}`))));
  });
}

export async function benchPipeline(): Promise<void> {
  const samples = loadSamples();
  const totalBytes = sum(samples.map((s) => s.bytes.length));
  heading('feed pipeline vs bare rss-parser');
  const measurements: Measurement[] = [];
  for (let i = 0; i < PROCESSES; i++) measurements.push(await measureInChild());
  const bareRounds = measurements.flatMap((m) => m.bare);
  const oursRounds: Record<Case, OursRun[][]> = {
    news: measurements.flatMap((m) => m.ours.news),
    'every story new': measurements.flatMap((m) => m.ours['every story new']),
  };

  console.log(
    `  ${samples.length} files, ${(totalBytes / 1024 / 1024).toFixed(2)} MB from ../shared/feeds; ` +
      `${PROCESSES} fresh processes, each ${WARMUP_ROUNDS} warm-up + ${MIN_ROUNDS}–${MAX_ROUNDS} measured rounds of every side in rotating order ` +
      `(${bareRounds.length} in all); times are medians of all rounds, ratios the median of each round's ours/bare`,
  );
  console.log('  ours = decodeFeedBody → parseFeed → diffItems (itemKeys inside) → formatItem per new story');
  console.log('    news: the seen-set holds every story but the newest (the poll after one story was published)');
  console.log('    every story new: nothing seen, no cap (an upper bound; production never formats a whole backlog)');

  const firstBare = bareRounds[0] ?? [];
  const firstOurs = oursRounds.news[0] ?? [];
  const indices = samples.map((_, i) => i);
  const bareOk = new Set(indices.filter((i) => firstBare[i]?.ok));
  const oursOk = new Set(indices.filter((i) => firstOurs[i]?.ok));
  const both = [...bareOk].filter((i) => oursOk.has(i));

  const roundTotals = (rounds: FileRun[][], subset: number[]): number[] => rounds.map((files) => sum(subset.map((i) => files[i]?.ms ?? 0)));
  const roundMs = (rounds: FileRun[][], subset: number[]): number => median(roundTotals(rounds, subset));
  // Each round of ours is set against the bare round run beside it, so a slow spell of the
  // machine (a neighbour on the host) weighs on both sides of a ratio alike.
  const pairedRatio = (ours: FileRun[][], bareSide: FileRun[][], subset: number[]): number => {
    const bareTotals = roundTotals(bareSide, subset);
    return median(roundTotals(ours, subset).map((oursMs, k) => oursMs / (bareTotals[k] ?? Number.NaN)));
  };
  const bytesOf = (subset: number[]): number => sum(subset.map((i) => samples[i]?.bytes.length ?? 0));
  const mbps = (bytes: number, msValue: number): string => `${(bytes / 1024 / 1024 / (msValue / 1000)).toFixed(1)} MB/s`;

  const overheads: Record<Case, number> = { news: Number.NaN, 'every story new': Number.NaN };
  const rows: string[][] = [];
  for (const [label, subset] of [
    ['files both accept', both],
    ['all files', indices],
  ] as const) {
    const bareMs = roundMs(bareRounds, subset);
    const bytes = bytesOf(subset);
    rows.push([label, String(subset.length), `${(bytes / 1024 / 1024).toFixed(2)} MB`, 'bare', `${bareMs.toFixed(1)} ms`, mbps(bytes, bareMs), '', '']);
    for (const side of CASES) {
      const oursMs = roundMs(oursRounds[side], subset);
      const r = pairedRatio(oursRounds[side], bareRounds, subset);
      if (label === 'files both accept') overheads[side] = r - 1;
      rows.push(['', '', '', side, `${oursMs.toFixed(1)} ms`, mbps(bytes, oursMs), ratio(r), percent((r - 1) * 100)]);
    }
  }
  printTable(['set', 'files', 'bytes', 'side', 'time/round', 'rate', 'ours/bare', 'overhead'], rows);
  console.log('  per process (files both accept): bare, news, every story new');
  for (const m of measurements) {
    const bareMs = roundMs(m.bare, both);
    const sides = CASES.map((side) => {
      const oursMs = roundMs(m.ours[side], both);
      return `${oursMs.toFixed(0)} ms (${percent((pairedRatio(m.ours[side], m.bare, both) - 1) * 100)})`;
    });
    console.log(`    ${bareMs.toFixed(0)} ms, ${sides.join(', ')}`);
  }
  console.log(
    `  bare rss-parser accepts ${bareOk.size}/${samples.length} files (as UTF-8 text), ours ${oursOk.size}/${samples.length}; ` +
      `ours also decodes charsets, gunzips and repairs, so "files both accept" is the like-for-like figure`,
  );

  // Per-stage breakdown, medians over the measured rounds, over the files both accept.
  const bareBoth = roundMs(bareRounds, both);
  const stageMs = (side: Case, stage: keyof Stages): number =>
    median(oursRounds[side].map((files) => sum(both.map((i) => files[i]?.stages[stage] ?? 0))));
  const share = (value: number): string => `${((value / bareBoth) * 100).toFixed(1)} %`;
  const stageRows = (['decode', 'parse', 'diff', 'format'] as const).map((stage) => {
    const label = stage === 'diff' ? 'identify + diff' : stage === 'parse' ? 'parse (rss-parser + normalise)' : stage;
    return [label, ...CASES.flatMap((side) => [`${stageMs(side, stage).toFixed(1)} ms`, share(stageMs(side, stage))])];
  });
  // Bare parseString's time includes its own UTF-8 decode, so it is set against decode + parse.
  const beyond = CASES.flatMap((side) => {
    const extra = stageMs(side, 'decode') + stageMs(side, 'parse') - bareBoth;
    return [`${extra.toFixed(1)} ms`, share(extra)];
  });
  stageRows.push(['  decode + parse beyond bare', ...beyond]);
  console.log('');
  printTable(['stage (files both accept)', 'news', 'of bare', 'every story new', 'of bare'], stageRows);
  const perRound = (side: Case, field: 'items' | 'posts'): number => sum((oursRounds[side][0] ?? []).map((f) => f[field]));
  console.log(
    `  per round: ${perRound('news', 'items')} items parsed; messages formatted: news ${perRound('news', 'posts')}, ` +
      `every story new ${perRound('every story new', 'posts')}`,
  );
  const verdict = overheads.news <= TARGET_OVERHEAD ? 'met' : 'MISSED';
  console.log(
    `  target: overhead ≤ ${TARGET_OVERHEAD * 100} % over bare parse → news ${percent(overheads.news * 100)} (${verdict}); ` +
      `every story new ${percent(overheads['every story new'] * 100)}`,
  );

  // Heaviest files by our extra time over bare, to point a profiler at.
  const extra = both
    .map((i) => ({
      name: samples[i]?.name ?? '',
      ours: median(oursRounds.news.map((files) => files[i]?.ms ?? 0)),
      bare: median(bareRounds.map((files) => files[i]?.ms ?? 0)),
    }))
    .map((f) => ({ ...f, extra: f.ours - f.bare }))
    .sort((a, b) => b.extra - a.extra)
    .slice(0, 5);
  console.log('');
  printTable(
    ['largest extra time, news (file)', 'bare', 'ours', 'ours/bare'],
    extra.map((f) => [f.name, `${f.bare.toFixed(2)} ms`, `${f.ours.toFixed(2)} ms`, ratio(f.ours / f.bare)]),
  );
}

if (process.argv.includes(MEASURE_FLAG)) {
  const result = await measure(loadSamples());
  process.send?.(result, () => process.disconnect());
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPipeline();
}
