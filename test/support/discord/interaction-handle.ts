import type { MentionResult } from './mentions.ts';
import type { ApiAttachment, StoredFile, StoredMessage } from './state.ts';

export const CallbackType = {
  Reply: 4,
  DeferredReply: 5,
  DeferredUpdate: 6,
  Update: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;

export interface InteractionTiming {
  /** Time allowed for the initial callback (Discord: 3 s). */
  deadlineMs: number;
  /** Lifetime of the interaction token for edits and follow-ups (Discord: 15 min). */
  tokenLifetimeMs: number;
}

export interface InteractionCallbackRecord {
  type: number;
  data?: Record<string, unknown>;
  files: StoredFile[];
  at: number;
  /** Milliseconds between dispatch and the callback's arrival. */
  elapsedMs: number;
}

export type InteractionEvent =
  | { kind: 'callback'; callback: InteractionCallbackRecord; at: number }
  | { kind: 'edit'; messageId: string; original: boolean; body: Record<string, unknown>; at: number }
  | { kind: 'followup'; message: StoredMessage; at: number }
  | { kind: 'delete'; messageId: string; at: number }
  | { kind: 'rejected'; route: string; status: number; body: Record<string, unknown>; at: number };

/** What the invoking user ends up seeing. */
export interface InteractionReply {
  /** The initial callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update. */
  type: number;
  deferred: boolean;
  content: string;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  ephemeral: boolean;
  attachments: ApiAttachment[];
  files: StoredFile[];
  pings: MentionResult;
  /** The live message; later edits show up here. */
  message: StoredMessage;
}

export interface AutocompleteChoice {
  name: string;
  value: string | number;
  name_localizations?: Record<string, string> | null;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly payload: Record<string, unknown>;
  readonly events: readonly InteractionEvent[];
  /** The initial callback, whatever its type. Rejects once the deadline passes without one. */
  response(timeoutMs?: number): Promise<InteractionCallbackRecord>;
  /** The first visible reply: a type 4/7 callback, or the first edit after a defer. */
  reply(timeoutMs?: number): Promise<InteractionReply>;
  /** Autocomplete choices from a type 8 callback. */
  choices(timeoutMs?: number): Promise<AutocompleteChoice[]>;
  original(): StoredMessage | undefined;
  followUps(): StoredMessage[];
}

/** The stand-in's bookkeeping for one dispatched interaction. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  label: string;
  channelId: string;
  guildId: string;
  createdAt: number;
  payload: Record<string, unknown>;
  callback?: InteractionCallbackRecord;
  original?: StoredMessage;
  sourceMessage?: StoredMessage;
  followUps: StoredMessage[];
  events: InteractionEvent[];
  listeners: Set<() => void>;
}

type Outcome<T> = { value: T } | { error: string } | undefined;

/** Appends an event and lets every waiter on the interaction re-check. */
export function recordEvent(record: InteractionRecord, event: InteractionEvent): void {
  record.events.push(event);
  for (const listener of [...record.listeners]) listener();
}

/**
 * Turns interaction records into the promises tests await, and keeps their
 * timers so closing the stand-in leaves nothing running.
 */
export class InteractionWaiters {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<(reason: string) => void>();

  constructor(private readonly timing: InteractionTiming) {}

  handle(record: InteractionRecord): InteractionHandle {
    const deadlineHint = this.timing.deadlineMs + 1_000;
    return {
      id: record.id,
      token: record.token,
      type: record.type,
      payload: record.payload,
      events: record.events,
      response: (timeoutMs = deadlineHint) =>
        this.waitFor(record, 'initial response', timeoutMs, () =>
          record.callback ? { value: record.callback } : undefined,
        ),
      reply: (timeoutMs = 5_000) => this.waitFor(record, 'visible reply', timeoutMs, () => this.visibleReply(record)),
      choices: (timeoutMs = deadlineHint) =>
        this.waitFor<AutocompleteChoice[]>(record, 'autocomplete choices', timeoutMs, () => {
          const cb = record.callback;
          if (!cb) return undefined;
          if (cb.type !== CallbackType.AutocompleteResult) return { error: `it was answered with callback type ${cb.type}` };
          const choices = cb.data?.choices;
          return { value: Array.isArray(choices) ? (choices as AutocompleteChoice[]) : [] };
        }),
      original: () => record.original,
      followUps: () => [...record.followUps],
    };
  }

  private visibleReply(record: InteractionRecord): Outcome<InteractionReply> {
    const cb = record.callback;
    if (!cb) return undefined;
    const snapshot = (message: StoredMessage): { value: InteractionReply } => ({
      value: {
        type: cb.type,
        deferred: cb.type === CallbackType.DeferredReply || cb.type === CallbackType.DeferredUpdate,
        content: message.content,
        embeds: [...message.embeds],
        components: [...message.components],
        flags: message.flags,
        ephemeral: message.ephemeral,
        attachments: [...message.attachments],
        files: [...message.files],
        pings: message.pings,
        message,
      },
    });
    switch (cb.type) {
      case CallbackType.Reply:
      case CallbackType.Update:
        return record.original ? snapshot(record.original) : undefined;
      case CallbackType.DeferredReply:
      case CallbackType.DeferredUpdate: {
        const original = record.original;
        const edited = original && record.events.some((e) => e.kind === 'edit' && e.messageId === original.id);
        if (original && edited) return snapshot(original);
        const followUp = record.followUps[0];
        return followUp ? snapshot(followUp) : undefined;
      }
      default:
        return { error: `it was answered with callback type ${cb.type}, which shows no message` };
    }
  }

  /**
   * Resolves when `check` yields a value; rejects on `error`, on timeout, or
   * as soon as the outcome is settled for good: the 3-second deadline passed
   * without any callback (Discord shows "The application did not respond"),
   * or the token expired.
   */
  private waitFor<T>(record: InteractionRecord, what: string, timeoutMs: number, check: () => Outcome<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const fail = (reason: string): void => {
        cleanup();
        reject(new Error(`Discord stand-in: ${record.label} (${record.id}) gave no ${what}: ${reason}. Events: ${this.describe(record)}`));
      };
      const evaluate = (): void => {
        const outcome = check();
        if (outcome && 'value' in outcome) {
          cleanup();
          resolve(outcome.value);
        } else if (outcome && 'error' in outcome) {
          fail(outcome.error);
        } else if (!record.callback && Date.now() - record.createdAt > this.timing.deadlineMs) {
          fail(`no initial response within ${this.timing.deadlineMs} ms (Discord would show "The application did not respond")`);
        } else if (Date.now() - record.createdAt > this.timing.tokenLifetimeMs) {
          fail(`the interaction token expired after ${this.timing.tokenLifetimeMs} ms`);
        }
      };
      const cleanup = (): void => {
        record.listeners.delete(evaluate);
        this.pending.delete(fail);
        for (const timer of timers) {
          clearTimeout(timer);
          this.timers.delete(timer);
        }
      };
      const schedule = (ms: number, fn: () => void): void => {
        const timer = setTimeout(fn, Math.max(0, ms));
        timers.push(timer);
        this.timers.add(timer);
      };
      record.listeners.add(evaluate);
      this.pending.add(fail);
      schedule(timeoutMs, () => fail(`timed out after ${timeoutMs} ms`));
      for (const limit of [this.timing.deadlineMs, this.timing.tokenLifetimeMs]) {
        const wait = record.createdAt + limit + 1 - Date.now();
        if (wait < timeoutMs) schedule(wait, evaluate);
      }
      evaluate();
    });
  }

  private describe(record: InteractionRecord): string {
    if (record.events.length === 0) return 'none';
    return record.events
      .map((e) => {
        switch (e.kind) {
          case 'callback':
            return `callback type ${e.callback.type} after ${e.callback.elapsedMs} ms`;
          case 'edit':
            return `edit of ${e.original ? '@original' : e.messageId}`;
          case 'followup':
            return `follow-up ${e.message.id}`;
          case 'delete':
            return `delete of ${e.messageId}`;
          case 'rejected':
            return `${e.route} rejected with ${e.status} ${JSON.stringify(e.body)}`;
        }
        return 'unknown';
      })
      .join('; ');
  }

  close(): void {
    for (const fail of [...this.pending]) fail('the stand-in was closed');
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
