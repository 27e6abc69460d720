import type Keyv from 'keyv';
import { KeyedLock } from './keyed-lock.ts';

/**
 * What became of one scheduled announcement. Everything but `pending` is final: the
 * announcer never touches that announcement again.
 * - `pending`: a post was started and its answer not yet recorded (a crash leaves this).
 * - `posted`: Discord accepted it.
 * - `skipped`: found more than the grace period late; logged once, never posted. It
 *   settles only the moment it missed (see `settles`).
 * - `no-access`: the channel refused it (403/404); not retried, so the bot does not
 *   hammer a closed channel.
 * - `rejected`: Discord refused the body; retrying the same body cannot help.
 * - `uncertain`: a crash left it pending for longer than Discord remembers nonces, so a
 *   retry could double it; given up and logged instead.
 */
export type AnnouncementState = 'pending' | 'posted' | 'skipped' | 'no-access' | 'rejected' | 'uncertain';
export type AnnouncementOutcome = Exclude<AnnouncementState, 'pending'>;

export interface AnnouncementMark {
  state: AnnouncementState;
  /** When the state was written; for `pending`, when the first attempt began. */
  at: number;
  messageId?: string | undefined;
  reason?: string | undefined;
  /** For `skipped`: the moment that was missed. */
  moment?: number | undefined;
}

/**
 * Whether a mark ends the announcement due at `moment`. Every final state does, except a
 * skip of another moment: a skip says that moment went by unposted, so when a moderator
 * then gives the release a later time the same day (a day-only release added after its
 * midnight, then its hour announced), the new moment is a post nobody made yet.
 */
export function settles(mark: AnnouncementMark | undefined, moment?: number): boolean {
  if (!mark || mark.state === 'pending') return false;
  const missedAnother = mark.state === 'skipped' && moment !== undefined && mark.moment !== undefined && mark.moment !== moment;
  return !missedAnother;
}

const DAY_MS = 86_400_000;

/**
 * How long a mark is kept after it was written. The announcer only looks at moments a
 * few days old (its look-back), so a mark must merely outlive that; the margin covers a
 * clock that jumps or a time zone that changes. Keeping less keeps the per-guild
 * document, rewritten on every post, small.
 */
export const ANNOUNCEMENT_RETENTION_MS = 60 * DAY_MS;

const key = (guildId: string) => `announcements:${guildId}`;

type Marks = Record<string, AnnouncementMark>;

/**
 * Done-marks of scheduled posts, one document per guild, pruned on every write.
 *
 * Writes are serialised per guild inside one process. Two processes can still race on
 * the document, but both compute the same announcements and write the same final marks,
 * so a mark lost to a concurrent write only costs a repeat post with the same nonce,
 * which Discord answers with the message it already has.
 */
export class AnnouncementRepository {
  readonly #lock = new KeyedLock();

  constructor(
    private readonly kv: Keyv,
    private readonly retentionMs = ANNOUNCEMENT_RETENTION_MS,
  ) {}

  /** Every kept mark of a guild, by announcement key: one read per guild per tick. */
  async marks(guildId: string): Promise<Map<string, AnnouncementMark>> {
    return new Map(Object.entries(await this.#read(guildId)));
  }

  async get(guildId: string, announcementKey: string): Promise<AnnouncementMark | undefined> {
    return (await this.#read(guildId))[announcementKey];
  }

  /** True once the announcement (due at `moment`, when given) reached a final state (posted, skipped, refused …). */
  async isDone(guildId: string, announcementKey: string, moment?: number): Promise<boolean> {
    return settles(await this.get(guildId, announcementKey), moment);
  }

  /**
   * Records that a post is about to be sent. Keeps the time of the first attempt, since
   * that is when a message may have been created, and never downgrades a final mark
   * (a skip of another moment is no longer final for this one, so it gives way).
   */
  async markPending(guildId: string, announcementKey: string, at: number, moment?: number): Promise<void> {
    await this.#change(guildId, at, (marks) => {
      const existing = marks[announcementKey];
      if (existing && (existing.state === 'pending' || settles(existing, moment))) return false;
      marks[announcementKey] = { state: 'pending', at };
      return true;
    });
  }

  async markDone(
    guildId: string,
    announcementKey: string,
    at: number,
    details: { state?: AnnouncementOutcome; messageId?: string; reason?: string; moment?: number } = {},
  ): Promise<void> {
    const mark: AnnouncementMark = { state: details.state ?? 'posted', at };
    if (details.messageId !== undefined) mark.messageId = details.messageId;
    if (details.reason !== undefined) mark.reason = details.reason;
    if (details.moment !== undefined) mark.moment = details.moment;
    await this.#change(guildId, at, (marks) => {
      marks[announcementKey] = mark;
      return true;
    });
  }

  /** Forgets an attempt that is known not to have landed, so the next tick tries again. */
  async clearPending(guildId: string, announcementKey: string): Promise<void> {
    await this.#change(guildId, undefined, (marks) => {
      if (marks[announcementKey]?.state !== 'pending') return false;
      delete marks[announcementKey];
      return true;
    });
  }

  /** For a guild the bot left. */
  async delete(guildId: string): Promise<void> {
    await this.#lock.run(key(guildId), () => this.kv.delete(key(guildId)));
  }

  async #read(guildId: string): Promise<Marks> {
    return (await this.kv.get<Marks>(key(guildId))) ?? {};
  }

  async #change(guildId: string, now: number | undefined, change: (marks: Marks) => boolean): Promise<void> {
    await this.#lock.run(key(guildId), async () => {
      const marks = await this.#read(guildId);
      if (!change(marks)) return;
      if (now !== undefined) {
        for (const [name, mark] of Object.entries(marks)) {
          if (now - mark.at > this.retentionMs) delete marks[name];
        }
      }
      if (Object.keys(marks).length === 0) await this.kv.delete(key(guildId));
      else await this.kv.set(key(guildId), marks);
    });
  }
}
