import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** An error answered in Discord's JSON shape: `{ message, code, errors? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
    readonly extraBody: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}), ...this.extraBody };
  }
}

/** Messages Discord pairs with each JSON error code, so injected failures read like real ones. */
export const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  0: 'General error',
  10002: 'Unknown Application',
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  10007: 'Unknown Member',
  10008: 'Unknown Message',
  10013: 'Unknown User',
  10015: 'Unknown Webhook',
  10062: 'Unknown interaction',
  10063: 'Unknown Application Command',
  40060: 'Interaction has already been acknowledged.',
  50001: 'Missing Access',
  50005: 'Cannot edit a message authored by another user',
  50006: 'Cannot send an empty message',
  50008: 'Cannot send messages in a non-text channel',
  50013: 'Missing Permissions',
  50027: 'Invalid Webhook Token',
  50035: 'Invalid Form Body',
  50109: 'The request body contains invalid JSON.',
};

export function apiError(status: number, code: number, errors?: Record<string, unknown>): ApiError {
  return new ApiError(status, code, ERROR_MESSAGES[code] ?? `${status}: error`, errors);
}

export const Errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => apiError(404, 10003),
  unknownGuild: () => apiError(404, 10004),
  unknownMember: () => apiError(404, 10007),
  unknownMessage: () => apiError(404, 10008),
  unknownUser: () => apiError(404, 10013),
  unknownWebhook: () => apiError(404, 10015),
  unknownInteraction: () => apiError(404, 10062),
  unknownCommand: () => apiError(404, 10063),
  alreadyAcknowledged: () => apiError(400, 40060),
  missingAccess: () => apiError(403, 50001),
  missingPermissions: () => apiError(403, 50013),
  cannotEditOthers: () => apiError(403, 50005),
  emptyMessage: () => apiError(400, 50006),
  nonTextChannel: () => apiError(400, 50008),
  invalidWebhookToken: () => apiError(401, 50027),
  invalidFormBody: (errors: Record<string, unknown>) => apiError(400, 50035, errors),
  invalidJson: () => apiError(400, 50109),
};

export interface UploadedFile {
  /** The `n` of the `files[n]` form field, which `attachments[].id` refers to. */
  index: number;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedRequest {
  method: string;
  /** Decoded route path with the `/api` and `/vN` prefixes removed, e.g. `/webhooks/1/abc/messages/@original`. */
  path: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON body, or `payload_json` of a multipart body; undefined when there was none. */
  body: unknown;
  files: UploadedFile[];
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * @discordjs/rest percent-encodes path segments (`%40original`), so routes are
 * matched on decoded segments rather than on the raw URL.
 */
export function splitPath(rawPath: string): string[] {
  return rawPath
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Strips `/api` and an optional `/v10`; returns undefined for paths outside the API. */
export function apiSegments(segments: string[]): string[] | undefined {
  if (segments[0] !== 'api') return undefined;
  const rest = segments.slice(1);
  return rest[0] !== undefined && /^v\d+$/.test(rest[0]) ? rest.slice(1) : rest;
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  } catch {
    throw Errors.invalidJson();
  }
}

/** Node's fetch `Request` parses multipart for us; no hand-written boundary splitting. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: unknown; files: UploadedFile[] }> {
  const form = await new Request('http://stand-in.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const files: UploadedFile[] = [];
  let body: Record<string, unknown> | undefined;
  const loose: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      if (key === 'payload_json') {
        try {
          body = JSON.parse(value) as Record<string, unknown>;
        } catch {
          throw Errors.invalidJson();
        }
      } else {
        loose[key] = value;
      }
      continue;
    }
    const match = /^files\[(\d+)\]$/.exec(key) ?? /^file(\d*)$/.exec(key);
    const index = match?.[1] ? Number(match[1]) : files.length;
    files.push({
      index,
      name: value.name,
      contentType: value.type || 'application/octet-stream',
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body: body ?? (Object.keys(loose).length > 0 ? loose : undefined), files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text).toString(),
  });
  res.end(text);
}

/**
 * A 204 must not claim `application/json`: @discordjs/rest would then call
 * `res.json()` on an empty body and throw.
 */
export function sendNoContent(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(204, headers);
  res.end();
}

export function sendBytes(res: ServerResponse, data: Buffer, contentType: string): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': data.length.toString() });
  res.end(data);
}

export function sendError(res: ServerResponse, error: ApiError, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, error.status, error.body(), { ...extraHeaders, ...error.headers });
}

/** What a route handler answers; errors are thrown as ApiError instead. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
