import { describe, expect, it } from 'vitest';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pino } from 'pino';
import { Scheduler } from '../../src/feeds/scheduler.ts';

const logger = pino({ level: 'silent' });

/** A job whose polls end when the test says, with the next due time it says. */
function heldJob() {
  const started: string[] = [];
  const finish = new Map<string, (next: number | undefined) => void>();
  const job = (feedId: string) => {
    started.push(feedId);
    return new Promise<number | undefined>((resolve) => finish.set(feedId, resolve));
  };
  return { started, finish, job };
}

/** Lets the ticks queued by finished polls run. */
async function settle(scheduler: Scheduler): Promise<void> {
  await scheduler.idle();
  await nextTurn();
}

describe('Scheduler under reschedules and per-host limits', () => {
  it('never runs a feed twice at once; after its poll the poll’s answer wins, and an unscheduled feed stays out', async () => {
    let now = 0;
    const { started, finish, job } = heldJob();
    const scheduler = new Scheduler(job, { concurrency: 4, perHost: 4, tickMs: 1_000_000, now: () => now, logger });
    scheduler.schedule('a', 'https://a.example/feed', 0);
    scheduler.schedule('b', 'https://b.example/feed', 0);
    scheduler.tick();
    expect(started).toEqual(['a', 'b']);

    scheduler.schedule('a', 'https://a.example/feed', 0);
    scheduler.unschedule('b');
    scheduler.tick();
    expect(started).toEqual(['a', 'b']);

    finish.get('a')!(100);
    finish.get('b')!(100);
    await settle(scheduler);
    now = 50;
    scheduler.tick();
    expect(started).toEqual(['a', 'b']);
    now = 100;
    scheduler.tick();
    expect(started).toEqual(['a', 'b', 'a']);
    finish.get('a')!(undefined);
    await settle(scheduler);
    now = 1_000_000;
    scheduler.tick();
    expect(started).toEqual(['a', 'b', 'a']);
    await scheduler.stop();
  });

  it('passes a freed slot down its host’s line past feeds rescheduled or unscheduled while they waited', async () => {
    let now = 0;
    const { started, finish, job } = heldJob();
    const scheduler = new Scheduler(job, { concurrency: 10, perHost: 1, tickMs: 1_000_000, now: () => now, logger });
    for (const id of ['h1', 'h2', 'h3', 'h4', 'h5']) scheduler.schedule(id, `https://h.example/${id}`, 0);
    scheduler.tick();
    expect(started).toEqual(['h1']);

    scheduler.unschedule('h3');
    finish.get('h1')!(5000);
    // The slot is freed and offered to h2; h2 moves before the tick that would start it.
    await scheduler.idle();
    scheduler.schedule('h2', 'https://h.example/h2', 1000);
    await settle(scheduler);
    expect(started).toEqual(['h1', 'h4']);

    now = 1000;
    finish.get('h4')!(5000);
    await settle(scheduler);
    expect(started).toEqual(['h1', 'h4', 'h5']);
    finish.get('h5')!(5000);
    await settle(scheduler);
    expect(started).toEqual(['h1', 'h4', 'h5', 'h2']);
    finish.get('h2')!(5000);
    await scheduler.stop();
  });

  it('does not let a host at its limit hold back due feeds of other hosts', () => {
    const { started, job } = heldJob();
    const scheduler = new Scheduler(job, { concurrency: 8, perHost: 2, tickMs: 1_000_000, now: () => 10_000, logger });
    for (let i = 0; i < 1000; i += 1) scheduler.schedule(`busy${i}`, `https://busy.example/${i}`, i);
    scheduler.schedule('other', 'https://other.example/feed', 5000);
    scheduler.tick();
    expect(started).toEqual(['busy0', 'busy1', 'other']);
  });

  it('polls thousands of feeds on a few hosts once each, soonest first per host, within both limits', async () => {
    const hosts = 3;
    const feeds = 3000;
    const concurrency = 5;
    const perHost = 2;
    const due = (i: number) => (i * 7919) % feeds;
    const started: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const hostRunning = new Map<number, number>();
    let mostOnOneHost = 0;
    const scheduler = new Scheduler(
      async (feedId) => {
        const i = Number(feedId);
        const host = i % hosts;
        started.push(i);
        running += 1;
        hostRunning.set(host, (hostRunning.get(host) ?? 0) + 1);
        mostRunning = Math.max(mostRunning, running);
        mostOnOneHost = Math.max(mostOnOneHost, hostRunning.get(host) ?? 0);
        await nextTurn();
        running -= 1;
        hostRunning.set(host, (hostRunning.get(host) ?? 0) - 1);
        return 1_000_000;
      },
      { concurrency, perHost, tickMs: 1_000_000, now: () => feeds, logger },
    );
    for (let i = 0; i < feeds; i += 1) scheduler.schedule(String(i), `https://host${i % hosts}.example/${i}.xml`, due(i));
    // Polls that end together empty the running set between rounds, so idle() returns
    // once per round of `concurrency` polls.
    scheduler.tick();
    for (let pass = 0; started.length < feeds && pass < feeds; pass += 1) await settle(scheduler);

    expect(started).toHaveLength(feeds);
    expect(new Set(started).size).toBe(feeds);
    expect(mostRunning).toBe(concurrency);
    expect(mostOnOneHost).toBe(perHost);
    for (let host = 0; host < hosts; host += 1) {
      const times = started.filter((i) => i % hosts === host).map(due);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    await scheduler.stop();
  });
});
