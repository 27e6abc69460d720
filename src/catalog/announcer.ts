import type { Poster, PostOutcome } from '../discord/poster.ts';
import { deliveryNonce } from '../feeds/nonce.ts';
import type { Logger } from '../logger.ts';
import { ANNOUNCEMENT_RETENTION_MS, settles, type AnnouncementRepository } from '../store/announcements.ts';
import { announcementsBetween, type Announcement } from './announcement-due.ts';
import { formatAnnouncement } from './announcement-format.ts';
import type { Artist, CatalogSettings, Release } from './schema.ts';

export type { Announcement } from './announcement-due.ts';

/** What the announcer reads; the catalog repository satisfies it. */
export interface AnnouncementSource {
  guildIds(): Promise<string[]>;
  settings(guildId: string): Promise<CatalogSettings>;
  releases(guildId: string): Promise<Release[]>;
  artists(guildId: string): Promise<Artist[]>;
}

export interface AnnouncerOptions {
  source: AnnouncementSource;
  poster: Poster;
  repo: AnnouncementRepository;
  logger: Logger;
  now: () => number;
  /** How often the catalog is checked for due posts. */
  tickMs?: number;
  /** A post found later than this after its moment (the bot was down) is skipped. */
  graceMs?: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_TICK_MS = 30_000;
/** "Less than a few hours late." */
export const DEFAULT_GRACE_MS = 3 * HOUR_MS;
/**
 * Discord answers a repeated `enforce_nonce` post with the existing message only for
 * "a few minutes"; assume the short end. Within it a repeat is safe, beyond it it is not.
 */
export const NONCE_WINDOW_MS = 2 * MINUTE_MS;
/** After a channel refused a post, its other due posts wait this long before one more try. */
export const NO_ACCESS_COOLDOWN_MS = 15 * MINUTE_MS;
/**
 * How far back moments are looked at. Older than grace but inside this they are marked
 * skipped and logged once, each on its own line, and the first tick after start-up adds
 * one count per guild of what the downtime cost. Older still they are history: a catalog
 * keeps every past release (the starter pack's 2022 one included), so listing or storing
 * those on every start would only say, again, that the past is past.
 */
export const LOOKBACK_MS = 7 * DAY_MS;

/**
 * Posts release-day, day-before and birthday announcements.
 *
 * It keeps no schedule: every tick recomputes what is due from the catalog as it is
 * now, so a moved release date needs no cancelling, and a release's posts are keyed by
 * its date, so a time corrected on the day posts nothing more. What makes a post happen once is
 * the order of writes, as in the feed engine: a `pending` mark, then the post with a
 * nonce derived from (guild, announcement key), then the final mark once Discord has
 * answered. A crash after the post leaves `pending`; the next tick re-posts with the
 * same nonce and Discord returns the message it already made. Two processes ticking at
 * once send the same nonce too, so Discord makes one message.
 */
export class Announcer {
  readonly #source: AnnouncementSource;
  readonly #poster: Poster;
  readonly #repo: AnnouncementRepository;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #tickMs: number;
  readonly #graceMs: number;
  readonly #lookbackMs: number;
  /** Channels that answered 403/404, until when they are left alone. */
  readonly #refused = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Until the first tick has run: that one reports what was missed while the bot was down. */
  #firstTick = true;

  constructor(options: AnnouncerOptions) {
    this.#source = options.source;
    this.#poster = options.poster;
    this.#repo = options.repo;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.#lookbackMs = Math.max(LOOKBACK_MS, 2 * this.#graceMs);
    // A mark pruned while its moment is still looked at would let that moment post again.
    if (this.#lookbackMs >= ANNOUNCEMENT_RETENTION_MS) {
      throw new RangeError('graceMs is too long for how long announcement marks are kept');
    }
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => void this.tick(), this.#tickMs);
    void this.tick();
  }

  /** Stops ticking and waits for the tick in flight, so no post is left half-recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /**
   * Posts everything due now. A call while a tick runs joins that tick instead of
   * starting a second pass over the same posts. Never rejects: failures are logged and
   * the next tick tries again.
   */
  tick(): Promise<void> {
    this.#running ??= this.#tickOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #tickOnce(): Promise<void> {
    const now = this.#now();
    const firstTick = this.#firstTick;
    this.#firstTick = false;
    let guildIds: string[];
    try {
      guildIds = await this.#source.guildIds();
    } catch (error) {
      this.#logger.error({ err: error }, 'announcements: could not list guilds');
      return;
    }
    for (const guildId of guildIds) {
      if (this.#stopped) return;
      try {
        await this.#tickGuild(guildId, now, firstTick);
      } catch (error) {
        this.#logger.error({ err: error, guildId }, 'announcements: guild tick failed');
      }
    }
  }

  async #tickGuild(guildId: string, now: number, firstTick: boolean): Promise<void> {
    const settings = await this.#source.settings(guildId);
    const channelId = settings.announceChannelId;
    if (!channelId) return;
    const [releases, artists] = await Promise.all([this.#source.releases(guildId), this.#source.artists(guildId)]);
    const due = announcementsBetween({ releases, artists, settings }, now - this.#lookbackMs, now);
    if (due.length === 0) return;

    const marks = await this.#repo.marks(guildId);
    const artistsById = new Map(artists.map((artist) => [artist.id, artist]));
    const log = this.#logger.child({ guildId, channelId });
    let skipped = 0;

    try {
      for (const announcement of due) {
        if (this.#stopped) return;
        const mark = marks.get(announcement.key);
        if (settles(mark, announcement.moment)) continue;
        if (announcement.kind !== 'birthday' && marks.has(announcement.formerKey)) continue;
        const context = { key: announcement.key, moment: new Date(announcement.moment).toISOString() };

        if (mark?.state === 'pending') {
          // Interrupted earlier. Inside the nonce window a repeat is answered with the
          // message that may exist, so it finishes the post even past the grace period;
          // beyond it Discord no longer remembers, and a repeat could double a post.
          if (now - mark.at > NONCE_WINDOW_MS) {
            const reason = 'an earlier attempt was interrupted and may have been posted';
            await this.#repo.markDone(guildId, announcement.key, this.#now(), { state: 'uncertain', reason });
            log.warn({ ...context, attemptedAt: new Date(mark.at).toISOString() }, `announcement not retried: ${reason}`);
            continue;
          }
        } else {
          const skip = this.#skipReason(announcement, now);
          if (skip) {
            await this.#repo.markDone(guildId, announcement.key, this.#now(), { state: 'skipped', reason: skip, moment: announcement.moment });
            log.warn({ ...context, reason: skip }, 'announcement skipped');
            skipped += 1;
            continue;
          }
        }
        const refusedUntil = this.#refused.get(channelId);
        if (refusedUntil !== undefined) {
          if (refusedUntil > now) continue;
          this.#refused.delete(channelId);
        }

        const outcome = await this.#deliver(guildId, channelId, announcement, artistsById, log);
        // A refused channel or a failing Discord: leave the rest for a later tick, in order.
        if (outcome && !outcome.ok && outcome.kind !== 'rejected') return;
      }
    } finally {
      // One line a person reading the log after a restart sees first; the lines above name each post.
      if (firstTick && skipped > 0) {
        const since = new Date(now - this.#lookbackMs).toISOString();
        log.info({ skipped, since, graceMinutes: Math.round(this.#graceMs / MINUTE_MS) }, `announcements missed while the bot was down: ${skipped} skipped`);
      }
    }
  }

  #skipReason(announcement: Announcement, now: number): string | undefined {
    if (announcement.kind === 'reminder' && now >= announcement.releaseAt) return 'the release is already out';
    const late = now - announcement.moment;
    if (late > this.#graceMs) return `found ${Math.round(late / MINUTE_MS)} minutes late (grace ${Math.round(this.#graceMs / MINUTE_MS)})`;
    return undefined;
  }

  /** Undefined when the attempt was not made or its answer is unknown. */
  async #deliver(
    guildId: string,
    channelId: string,
    announcement: Announcement,
    artistsById: ReadonlyMap<string, Artist>,
    log: Logger,
  ): Promise<PostOutcome | undefined> {
    const { key, moment } = announcement;
    // Read again: another process may have finished this one since the tick began.
    if (await this.#repo.isDone(guildId, key, moment)) return undefined;
    await this.#repo.markPending(guildId, key, this.#now(), moment);

    let outcome: PostOutcome;
    try {
      outcome = await this.#poster.post(channelId, formatAnnouncement(announcement, artistsById), announcementNonce(guildId, key));
    } catch (error) {
      // Unknown whether it landed: the pending mark stays, and a retry inside the nonce
      // window is harmless.
      log.error({ err: error, key }, 'announcement post failed unexpectedly');
      return { ok: false, kind: 'transient', reason: String(error) };
    }

    const at = this.#now();
    if (outcome.ok) {
      await this.#repo.markDone(guildId, key, at, { messageId: outcome.messageId });
      log.info({ key, messageId: outcome.messageId }, 'announcement posted');
    } else if (outcome.kind === 'no-access') {
      await this.#repo.markDone(guildId, key, at, { state: 'no-access', reason: outcome.reason });
      this.#refused.set(channelId, at + NO_ACCESS_COOLDOWN_MS);
      log.warn({ key, reason: outcome.reason }, 'announcement channel refused the post; not retrying it');
    } else if (outcome.kind === 'rejected') {
      await this.#repo.markDone(guildId, key, at, { state: 'rejected', reason: outcome.reason });
      log.error({ key, reason: outcome.reason }, 'Discord rejected an announcement; dropping it');
    } else {
      // Discord did not take it (network trouble, 5xx): try again next tick, inside the grace.
      await this.#repo.clearPending(guildId, key);
      log.warn({ key, reason: outcome.reason }, 'announcement post failed for now; retrying next tick');
    }
    return outcome;
  }
}

/** ≤ 25 characters, the same for every attempt at one announcement in one guild. */
export function announcementNonce(guildId: string, key: string): string {
  return deliveryNonce(`announce:${guildId}`, key);
}
