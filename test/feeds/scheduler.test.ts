import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Scheduler } from '../../src/feeds/scheduler.ts';
import { backoffDelay, MAX_BACKOFF_MS } from '../../src/feeds/backoff.ts';

const logger = pino({ level: 'silent' });

describe('Scheduler', () => {
  it('runs due feeds only, at most perHost at once for one host, and reschedules them', async () => {
    let now = 1000;
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const scheduler = new Scheduler(
      (feedId) => {
        started.push(feedId);
        return new Promise((resolve) => releases.set(feedId, () => resolve(now + 500)));
      },
      { concurrency: 10, perHost: 2, tickMs: 1_000_000, now: () => now, logger },
    );
    scheduler.schedule('a1', 'https://a.example/1', 1000);
    scheduler.schedule('a2', 'https://a.example/2', 1000);
    scheduler.schedule('a3', 'https://a.example/3', 1000);
    scheduler.schedule('b1', 'https://b.example/1', 1000);
    scheduler.schedule('later', 'https://c.example/1', 5000);
    scheduler.tick();
    expect(started.sort()).toEqual(['a1', 'a2', 'b1']);

    releases.get('a1')!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toContain('a3');
    expect(started).not.toContain('later');

    for (const release of releases.values()) release();
    await scheduler.idle();
    now = 5000;
    scheduler.tick();
    expect(started).toContain('later');
    for (const release of releases.values()) release();
    await scheduler.stop();
  });

  it('lets one slow feed not delay the others', async () => {
    const done: string[] = [];
    const scheduler = new Scheduler(
      async (feedId) => {
        if (feedId === 'slow') await new Promise((resolve) => setTimeout(resolve, 200));
        done.push(feedId);
        return undefined;
      },
      { concurrency: 2, perHost: 2, tickMs: 1_000_000, now: () => 0, logger },
    );
    scheduler.schedule('slow', 'https://slow.example/', 0);
    for (let i = 0; i < 5; i += 1) scheduler.schedule(`fast${i}`, `https://fast${i}.example/`, 0);
    scheduler.tick();
    await scheduler.idle();
    expect(done.indexOf('slow')).toBe(done.length - 1);
    await scheduler.stop();
  });
});

describe('backoffDelay', () => {
  it('doubles per failure from one interval and caps at six hours, honouring Retry-After', () => {
    const minute = 60_000;
    expect(backoffDelay(1, 10 * minute)).toBe(10 * minute);
    expect(backoffDelay(2, 10 * minute)).toBe(20 * minute);
    expect(backoffDelay(4, 10 * minute)).toBe(80 * minute);
    expect(backoffDelay(30, 10 * minute)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(1, 10 * minute, 2 * 3_600_000)).toBe(2 * 3_600_000);
  });
});
