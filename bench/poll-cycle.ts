import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import http from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { REST } from '@discordjs/rest';
import { pino } from 'pino';
import { USER_AGENT } from '../src/app.ts';
import { createPoster } from '../src/discord/poster.ts';
import { FeedEngine } from '../src/feeds/engine.ts';
import type { FetchOptions } from '../src/feeds/fetch.ts';
import { itemKeys } from '../src/feeds/identify.ts';
import { feedIdFor } from '../src/feeds/news-desk.ts';
import { parseFeed } from '../src/feeds/parse.ts';
import { createRepositories, openStore, type Repositories, type Store } from '../src/store/index.ts';
import { sqliteUrl } from '../test/helpers/stores.ts';
import { startDiscordStandIn } from '../test/support/discord/index.ts';
import { startFeedServer } from '../test/support/feed-server.ts';
import { heading, mb, median, printTable, ratio, retainedHeap, sampleMemory, timed } from './measure.ts';

/**
 * One poll cycle of a busy bot: 2,000 feeds on a local feed server, 5,000 subscriptions in
 * 200 channels of 100 servers, SQLite store, posts to the Discord stand-in. The feed server
 * and the stand-in run in a child process, so this process's CPU time and memory are the
 * engine's alone (as in production, where both are elsewhere on the network).
 *
 * Baseline, same run: a bare conditional-GET loop (node:http, same agent, same concurrency)
 * over the same URLs, answering the same 200s and 304s.
 */

const FEEDS = 2000;
const SUBSCRIPTIONS = 5000;
const GUILDS = 100; // ≤ 50 subscriptions per server, the product's limit
const CHANNELS_PER_GUILD = 2;
/** Feeds are spread over this many feed servers (distinct host:port), as real feeds span many sites. */
const HOSTS = 8;
const CONCURRENCY = 8;
const PER_HOST = 2;
const ITEMS_PER_FEED = 10;
/** Share of feeds with one new story in a warm cycle (1 in CHANGE_EVERY). */
const CHANGE_EVERY = 20;
/** Warm rounds: at least one, more while the cycles so far took under WARM_BUDGET_MS. */
const WARM_ROUNDS = 3;
const WARM_BUDGET_MS = 15_000;
const INTERVAL_MS = 600_000;
const MAX_AGE_MS = 72 * 3_600_000;
const SERVERS_FLAG = '--bench-poll-servers';

// ---------------------------------------------------------------------------------------
// Feeds: deterministic bodies, so parent and child agree without sending them across.

const BASE_TIME = Date.UTC(2026, 1, 1, 0, 0, 0);
const ARTISTS = ['NewJeans', 'SEVENTEEN', 'aespa', 'IVE', 'Stray Kids', 'LE SSERAFIM', 'TWICE', 'ATEEZ', 'ITZY', 'TXT'];
const TOPICS = ['announces world tour dates', 'drops teaser for comeback', 'tops weekly chart', 'confirms fan meeting', 'shares behind-the-scenes film'];

const feedPath = (feed: number): string => `/f/${feed}.xml`;

function storyNumbers(version: number): number[] {
  // Version v holds stories v … v+9, newest first.
  return Array.from({ length: ITEMS_PER_FEED }, (_, k) => version + ITEMS_PER_FEED - 1 - k);
}

export function feedBody(feed: number, version: number, now: number): string {
  // Story n of any feed is dated n hours after a start 48 h ago: new stories are inside the age limit.
  const start = now - 48 * 3_600_000;
  const site = `https://news${feed % HOSTS}.example.com`;
  const items = storyNumbers(version).map((n) => {
    const artist = ARTISTS[(feed + n) % ARTISTS.length] ?? 'IVE';
    const topic = TOPICS[(feed * 7 + n) % TOPICS.length] ?? 'tops weekly chart';
    const link = `${site}/feed-${feed}/story-${n}`;
    return `    <item>
      <title>${artist} ${topic} (#${n})</title>
      <link>${link}?utm_source=rss</link>
      <guid isPermaLink="false">feed-${feed}-story-${n}</guid>
      <pubDate>${new Date(start + n * 3_600_000).toUTCString()}</pubDate>
      <dc:creator>Staff Writer</dc:creator>
      <description><![CDATA[<p><img src="${site}/img/${feed}-${n}.jpg" alt=""/></p><p>${artist} ${topic}. Fans &amp; critics react as the group
      prepares for the next chapter, with new music, performances and a few surprises along the way.</p>
      <p>Read the full story on our site.</p>]]></description>
    </item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>K-pop News ${feed}</title>
    <link>${site}/</link>
    <description>Feed ${feed}</description>
    <lastBuildDate>${new Date(BASE_TIME).toUTCString()}</lastBuildDate>
${items.join('\n')}
  </channel>
</rss>
`;
}

// ---------------------------------------------------------------------------------------
// The child: feed servers and the Discord stand-in, driven over IPC.

type ToServers =
  | { type: 'change'; feeds: number[]; version: number }
  | { type: 'stats' }
  | { type: 'reset' }
  | { type: 'close' };

interface ServerStats {
  requests: number;
  byStatus: Record<string, number>;
  messages: number;
  cpuMs: number;
}

type FromServers =
  | { type: 'ready'; origins: string[]; apiUrl: string; token: string; channels: string[] }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'done' };

async function runServers(): Promise<void> {
  const now = Number(process.env['BENCH_NOW'] ?? Date.now());
  const servers = await Promise.all(Array.from({ length: HOSTS }, () => startFeedServer()));
  const standIn = await startDiscordStandIn({ messageRateLimit: false, routeRateLimit: false });
  const channels: string[] = [];
  for (let g = 0; g < GUILDS; g++) {
    const guild = standIn.addGuild({ name: `Fan server ${g}` });
    for (let c = 0; c < CHANNELS_PER_GUILD; c++) channels.push(standIn.addChannel(guild.id, { name: `news-${c}` }).id);
  }
  const serve = (feed: number, version: number): void => {
    servers[feed % HOSTS]?.set(feedPath(feed), {
      body: feedBody(feed, version, now),
      contentType: 'application/rss+xml; charset=utf-8',
      conditional: true,
    });
  };
  for (let feed = 0; feed < FEEDS; feed++) serve(feed, 0);

  const send = (message: FromServers): void => {
    process.send?.(message);
  };
  process.on('message', (message: ToServers) => {
    void (async () => {
      switch (message.type) {
        case 'change':
          for (const feed of message.feeds) serve(feed, message.version);
          send({ type: 'done' });
          break;
        case 'reset':
          for (const server of servers) server.resetStats();
          send({ type: 'done' });
          break;
        case 'stats': {
          const byStatus: Record<string, number> = {};
          let requests = 0;
          for (const server of servers) {
            for (const request of server.requests) {
              requests += 1;
              byStatus[request.status] = (byStatus[request.status] ?? 0) + 1;
            }
          }
          const cpu = process.cpuUsage();
          send({ type: 'stats', stats: { requests, byStatus, messages: standIn.messages().length, cpuMs: (cpu.user + cpu.system) / 1000 } });
          break;
        }
        case 'close':
          await Promise.all(servers.map((server) => server.close()));
          await standIn.close();
          send({ type: 'done' });
          process.disconnect();
          break;
      }
    })();
  });
  // The parent went away without saying goodbye (crash, Ctrl-C): do not linger.
  process.once('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
  send({ type: 'ready', origins: servers.map((s) => s.origin), apiUrl: standIn.apiUrl, token: standIn.token, channels });
}

/** The parent's handle on the child: one request, one answer, in order. */
class Servers {
  readonly #child: ChildProcess;
  readonly #waiting: { resolve: (message: FromServers) => void; reject: (error: Error) => void }[] = [];
  #exited: Error | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message: FromServers) => this.#waiting.shift()?.resolve(message));
    child.once('exit', (code, signal) => {
      this.#exited = new Error(`the bench's feed servers exited (${signal ?? code})`);
      for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#exited);
    });
  }

  static async start(now: number): Promise<{ servers: Servers; ready: Extract<FromServers, { type: 'ready' }> }> {
    // fork() passes on process.execArgv, so the child runs under tsx as this process does.
    const child = fork(fileURLToPath(import.meta.url), [SERVERS_FLAG], {
      env: { ...process.env, BENCH_NOW: String(now) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const servers = new Servers(child);
    const ready = await new Promise<FromServers>((resolve, reject) => servers.#waiting.push({ resolve, reject }));
    if (ready.type !== 'ready') throw new Error('bench servers did not start');
    return { servers, ready };
  }

  request(message: ToServers): Promise<FromServers> {
    if (this.#exited) return Promise.reject(this.#exited);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#child.send(message);
    });
  }

  async stats(): Promise<ServerStats> {
    const answer = await this.request({ type: 'stats' });
    if (answer.type !== 'stats') throw new Error('unexpected answer');
    return answer.stats;
  }

  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.request({ type: 'close' });
    await exited;
  }
}

// ---------------------------------------------------------------------------------------
// The parent.

interface Feed {
  index: number;
  id: string;
  url: string;
}

interface CycleFigures {
  label: string;
  wallMs: number;
  cpuMs: number;
  systemMs: number;
  requests: number;
  byStatus: Record<string, number>;
  posts: number;
  peakRss: number;
  peakHeap: number;
  serverCpuMs: number;
  /** V8 heap in use after a full GC right after the run. */
  retained: number;
  passes?: number;
}

/** Writes feeds, subscriptions and seen-sets the way /feed add leaves them (no validators yet). */
async function seedStore(repos: Repositories, feeds: Feed[], channels: string[], now: number): Promise<void> {
  await inParallel(feeds, async (feed) => {
    const parsed = await parseFeed(feedBody(feed.index, 0, now), feed.url);
    await repos.seen.record(feed.id, parsed.items.flatMap(itemKeys), undefined);
    await repos.feeds.put({
      id: feed.id,
      url: feed.url,
      title: parsed.title,
      failures: 0,
      lastFetchAt: now,
      lastSuccessAt: now,
      nextFetchAt: now + INTERVAL_MS,
    });
  });
  // 25 consecutive subscriptions per channel, so no channel follows a feed twice; feeds
  // 0–999 get three subscribers and 1000–1999 two.
  const perChannel = SUBSCRIPTIONS / channels.length;
  await inParallel(Array.from({ length: SUBSCRIPTIONS }, (_, s) => s), async (s) => {
    const feed = feeds[s % FEEDS];
    const channelIndex = Math.floor(s / perChannel);
    const channelId = channels[channelIndex];
    if (!feed || !channelId) throw new Error('bad layout');
    await repos.subscriptions.create({
      id: `sub${s}`,
      guildId: `guild${Math.floor(channelIndex / CHANNELS_PER_GUILD)}`,
      channelId,
      feedId: feed.id,
      roleId: s % 4 === 0 ? '123456789012345678' : undefined,
      paused: false,
      createdAt: now,
      createdBy: '100000000000000001',
    });
  });
}

/** Runs `work` over `list`, 16 at a time (the repositories lock their shared indexes themselves). */
async function inParallel<T>(list: T[], work: (entry: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const entry = list[next++] as T;
      await work(entry);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function subscribersOf(feed: number): number {
  let count = 0;
  for (let s = feed; s < SUBSCRIPTIONS; s += FEEDS) count += 1;
  return count;
}

/** Runs a PRAGMA on the SQLite store behind keyv and returns its first value (set-up and experiments only). */
async function pragma(store: Store, statement: string): Promise<string> {
  const adapter = (store.kv as unknown as { store: { query?: (sql: string) => Promise<Record<string, unknown>[]> } }).store;
  if (typeof adapter.query !== 'function') throw new Error('not a SQLite store');
  const rows = await adapter.query(`PRAGMA ${statement}`);
  return String(Object.values(rows[0] ?? {})[0] ?? '');
}

/** Bare conditional GETs: what any poller must do at the least, with the same agent and concurrency. */
async function bareCycle(urls: string[], etags: Map<string, string>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next++];
      if (url === undefined) break;
      const headers: http.OutgoingHttpHeaders = { 'User-Agent': USER_AGENT, Accept: 'application/rss+xml, */*', 'Accept-Encoding': 'gzip, deflate, br' };
      const etag = etags.get(url);
      if (etag) headers['If-None-Match'] = etag;
      await new Promise<void>((resolve, reject) => {
        const req = http.get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const tag = res.headers.etag;
            if (res.statusCode === 200 && tag) etags.set(url, tag);
            // The body is kept whole, as fetchFeed keeps it, then dropped.
            Buffer.concat(chunks);
            resolve();
          });
          res.on('error', reject);
        });
        req.on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

export async function benchPollCycle(): Promise<void> {
  heading('poll cycle: 2,000 feeds, 5,000 subscriptions');
  const now = Date.now();
  const setupStart = Date.now();
  const { servers, ready } = await Servers.start(now);
  const storeUrl = sqliteUrl();
  const store = await openStore(storeUrl);
  const repos = createRepositories(store);
  const rest = new REST({ api: ready.apiUrl }).setToken(ready.token);
  const logger = pino({ level: 'silent' });
  const fetchOptions: FetchOptions = { userAgent: USER_AGENT, timeoutMs: 15_000, maxBodyBytes: 5 * 1024 * 1024, maxRedirects: 5, allowPrivate: true };
  const engine = new FeedEngine({
    repos,
    poster: createPoster(rest),
    logger,
    concurrency: CONCURRENCY,
    perHost: PER_HOST,
    settings: {
      intervalMs: INTERVAL_MS,
      maxItemAgeMs: MAX_AGE_MS,
      maxPostsPerPoll: 10,
      noticeAfterFailures: 5,
      noticeAfterMs: 12 * 3_600_000,
      fetch: fetchOptions,
    },
  });

  try {
    const feeds: Feed[] = Array.from({ length: FEEDS }, (_, index) => {
      const url = `${ready.origins[index % HOSTS] ?? ''}${feedPath(index)}`;
      return { index, id: feedIdFor(url), url };
    });
    const urls = feeds.map((feed) => feed.url);
    // Seeding is not measured: WAL makes its ~33,000 reads and writes quick, then the store
    // goes back to the modes openStore left it in, which is what production runs with.
    const journalMode = await pragma(store, 'journal_mode');
    const synchronous = await pragma(store, 'synchronous');
    await pragma(store, 'journal_mode=WAL');
    await pragma(store, 'synchronous=OFF');
    await seedStore(repos, feeds, ready.channels, now);
    await pragma(store, `journal_mode=${journalMode}`);
    await pragma(store, `synchronous=${synchronous}`);
    console.log(
      `  ${FEEDS} feeds of ${ITEMS_PER_FEED} stories on ${HOSTS} feed servers (host:port), ${SUBSCRIPTIONS} subscriptions in ` +
        `${ready.channels.length} channels of ${GUILDS} servers; SQLite store; set up in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  engine: concurrency ${CONCURRENCY}, ${PER_HOST} per host (production defaults); feed server and Discord stand-in run in a ` +
        `child process, so CPU and memory below are the engine's own; store: journal_mode=${journalMode}, synchronous=${synchronous}`,
    );
    const heapBefore = retainedHeap();

    const bareEtags = new Map<string, string>();

    const measure = async (label: string, run: () => Promise<number | undefined>): Promise<CycleFigures> => {
      await servers.request({ type: 'reset' });
      const before = await servers.stats();
      const memory = sampleMemory(20);
      const result = await timed(run);
      const peak = memory.stop();
      const after = await servers.stats();
      const retained = retainedHeap();
      return {
        retained,
        label,
        wallMs: result.wallMs,
        cpuMs: result.cpuMs,
        systemMs: result.systemMs,
        requests: after.requests,
        byStatus: after.byStatus,
        posts: after.messages - before.messages,
        peakRss: peak.rss,
        peakHeap: peak.heapUsed,
        serverCpuMs: after.cpuMs - before.cpuMs,
        passes: result.value,
      };
    };

    /** Schedules every feed due now, then lets the scheduler run until all 2,000 were polled. */
    const engineCycle = async (): Promise<number> => {
      const due = Date.now();
      for (const feed of feeds) engine.schedule(feed.id, feed.url, due);
      let passes = 0;
      for (;;) {
        passes += 1;
        engine.tick();
        await engine.idle();
        // idle() can resolve between one poll's end and the tick it queued: look again.
        await nextTurn();
        const { requests } = await servers.stats();
        if (requests >= FEEDS || passes > 50) return passes;
      }
    };
    const bareRun = async (): Promise<undefined> => {
      await bareCycle(urls, bareEtags);
      return undefined;
    };

    interface Pair {
      bare: CycleFigures;
      engine: CycleFigures;
    }
    /** One cycle of each, bare first on odd rounds and engine first on even ones, to cancel drift. */
    const pair = async (round: number, bareLabel: string, engineLabel: string): Promise<Pair> => {
      if (round % 2 === 1) {
        const bare = await measure(bareLabel, bareRun);
        return { bare, engine: await measure(engineLabel, engineCycle) };
      }
      const engine = await measure(engineLabel, engineCycle);
      return { bare: await measure(bareLabel, bareRun), engine };
    };

    // Warm: 1 in 20 feeds has one new story (a fresh set of feeds each round), the rest answer 304.
    let round = 0;
    const warmRound = async (label: string): Promise<Pair> => {
      round += 1;
      const changed = feeds.filter((feed) => feed.index % CHANGE_EVERY === round % CHANGE_EVERY).map((feed) => feed.index);
      await servers.request({ type: 'change', feeds: changed, version: 1 });
      const result = await pair(round, `bare GET loop, warm ${round}`, `engine cycle ${round + 1}, warm${label}`);
      const expected = changed.reduce((n, feed) => n + subscribersOf(feed), 0);
      if (result.engine.posts !== expected) console.log(`  ! expected ${expected} posts in warm round ${round}, saw ${result.engine.posts}`);
      return result;
    };

    // Cold: the first poll after /feed add (no validators yet): every feed answers 200.
    const cold = await pair(1, 'bare GET loop, cold', 'engine cycle 1, cold (all 200)');
    const warm: Pair[] = [];
    const warmStart = Date.now();
    do warm.push(await warmRound(''));
    while (warm.length < WARM_ROUNDS && Date.now() - warmStart < WARM_BUDGET_MS);

    // Experiment, not production: the same store with a write-ahead log and synchronous=NORMAL.
    let wal: Pair | undefined;
    if (journalMode.toLowerCase() !== 'wal') {
      await pragma(store, 'journal_mode=WAL');
      await pragma(store, 'synchronous=NORMAL');
      wal = await warmRound(' [SQLite WAL]');
    }

    const row = (f: CycleFigures, base?: CycleFigures): string[] => [
      f.label,
      String(f.requests),
      `${f.byStatus['200'] ?? 0}/${f.byStatus['304'] ?? 0}`,
      String(f.posts),
      `${f.wallMs.toFixed(0)} ms`,
      base ? ratio(f.wallMs / base.wallMs) : '',
      `${f.cpuMs.toFixed(0)} ms`,
      `${((f.systemMs / f.cpuMs) * 100).toFixed(0)} %`,
      base ? ratio(f.cpuMs / base.cpuMs) : '',
      `${Math.round(f.requests / (f.wallMs / 1000))}`,
      mb(f.peakRss),
      mb(f.peakHeap),
      mb(f.retained),
    ];
    const all = wal ? [cold, ...warm, wal] : [cold, ...warm];
    const rows = all.flatMap((p) => [row(p.bare), row(p.engine, p.bare)]);
    printTable(
      ['run', 'requests', '200/304', 'posts', 'wall', 'vs bare', 'CPU', 'of it sys', 'vs bare', 'req/s', 'peak RSS', 'peak heap', 'heap after GC'],
      rows,
    );

    const med = (list: Pair[], pick: (p: Pair) => number): number => median(list.map(pick));
    const warmWall = med(warm, (p) => p.engine.wallMs);
    const warmCpu = med(warm, (p) => p.engine.cpuMs);
    console.log(
      `  warm cycle (median of ${warm.length}): wall ${warmWall.toFixed(0)} ms = ${ratio(med(warm, (p) => p.engine.wallMs / p.bare.wallMs))} bare, ` +
        `CPU ${warmCpu.toFixed(0)} ms = ${ratio(med(warm, (p) => p.engine.cpuMs / p.bare.cpuMs))} bare, ` +
        `${(warmWall / FEEDS).toFixed(2)} ms wall and ${(warmCpu / FEEDS).toFixed(2)} ms CPU per feed`,
    );
    console.log(
      `  cold cycle: wall ${cold.engine.wallMs.toFixed(0)} ms = ${ratio(cold.engine.wallMs / cold.bare.wallMs)} bare, ` +
        `CPU ${cold.engine.cpuMs.toFixed(0)} ms = ${ratio(cold.engine.cpuMs / cold.bare.cpuMs)} bare; ` +
        `${cold.engine.posts} posts (0 expected: stories were seen at subscribe time)`,
    );
    if (wal) {
      console.log(
        `  [SQLite WAL] row is an experiment, not what production runs: journal_mode=WAL, synchronous=NORMAL on the same store ` +
          `→ warm wall ${ratio(wal.engine.wallMs / warmWall)}, CPU ${ratio(wal.engine.cpuMs / warmCpu)} of the production-mode warm cycle`,
      );
    }
    const last = all.at(-1)?.engine.retained ?? heapBefore;
    console.log(
      `  heap after GC: ${mb(heapBefore)} before the first cycle, ${mb(last)} after the last ` +
        `(${mb((last - heapBefore) / all.length)} kept per engine cycle on average)`,
    );
    const passes = all.map((p) => p.engine.passes ?? 0);
    console.log(
      `  scheduler passes (tick + idle) to poll all ${FEEDS}: ${passes.join(', ')}; feed server and stand-in CPU (child), ` +
        `warm: ${med(warm, (p) => p.engine.serverCpuMs).toFixed(0)} ms per engine cycle`,
    );
  } finally {
    await engine.stop();
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await store.close();
    await servers.close();
    rmSync(dirname(storeUrl.slice('sqlite://'.length)), { recursive: true, force: true });
  }
}

if (process.argv.includes(SERVERS_FLAG)) {
  await runServers();
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPollCycle();
}
