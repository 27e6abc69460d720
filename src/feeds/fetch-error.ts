import { FeedUrlError } from './address-guard.ts';

export type FeedFetchErrorKind =
  | 'timeout'
  | 'too-large'
  | 'http'
  | 'network'
  | 'too-many-redirects'
  | 'blocked-address'
  | 'bad-url'
  | 'aborted';

/** Why a feed could not be fetched; `message` is meant for moderators as is. */
export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  readonly kind: FeedFetchErrorKind;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** True when retrying will not help until someone changes the feed's URL. */
  readonly permanent: boolean;

  constructor(
    kind: FeedFetchErrorKind,
    message: string,
    extra: { status?: number | undefined; retryAfterSeconds?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.kind = kind;
    this.status = extra.status;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.permanent =
      kind === 'bad-url' ||
      kind === 'blocked-address' ||
      (kind === 'http' && (extra.status === 404 || extra.status === 410));
  }
}

/**
 * A compressed body that would not decompress; the message names the encoding. It is told
 * apart from the stream errors it causes only while reading, so it is worded here, later.
 */
export class BodyDecodeError extends Error {}

/**
 * Turns whatever a fetch threw into a FeedFetchError. The signals say whether an abort was
 * the caller's (cancelled) or the fetch's own deadline (timed out).
 */
export function explainFetchError(
  err: unknown,
  timeout: AbortSignal,
  outer: AbortSignal | undefined,
  timeoutMs: number,
): FeedFetchError {
  if (err instanceof FeedFetchError) return err;
  if (outer?.aborted) return new FeedFetchError('aborted', 'The feed download was cancelled.', { cause: err });
  if (timeout.aborted) {
    return new FeedFetchError(
      'timeout',
      `The feed server did not send the whole feed within ${formatDuration(timeoutMs)}.`,
      { cause: err },
    );
  }
  if (err instanceof FeedUrlError) {
    if (err.reason === 'blocked-address') return new FeedFetchError('blocked-address', err.message, { cause: err });
    if (err.reason === 'host-not-found') return new FeedFetchError('network', err.message, { cause: err });
    return new FeedFetchError('bad-url', err.message, { cause: err });
  }
  if (err instanceof BodyDecodeError) {
    return new FeedFetchError(
      'network',
      `The feed server sent a compressed (${err.message}) feed that could not be decompressed.`,
      { cause: err },
    );
  }
  return new FeedFetchError('network', networkMessage(err), { cause: err });
}

function networkMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'The feed server refused the connection.';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'The feed server closed the connection before the feed was complete.';
    case 'ETIMEDOUT':
      return 'Connecting to the feed server timed out.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The feed server could not be reached from the bot.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The bot could not find the feed server.';
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) {
    return `The feed server's HTTPS certificate could not be verified (${code}).`;
  }
  if (code.startsWith('HPE_')) return 'The feed server sent a response that is not valid HTTP.';
  return code ? `The feed could not be downloaded (${code}).` : 'The feed could not be downloaded.';
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} seconds`;
}
