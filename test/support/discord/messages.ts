import type { UploadedFile } from './http.ts';
import { snowflake } from './snowflake.ts';
import { Intent, type ApiAttachment, type ApiUser, type StandInState, type StoredFile, type StoredMessage } from './state.ts';

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

/** The only flags a sender may set; Discord silently drops the rest. */
const SETTABLE_FLAGS =
  MessageFlag.SuppressEmbeds | MessageFlag.Ephemeral | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

export interface MessageDraft {
  channelId: string;
  guildId?: string;
  author: ApiUser;
  body: Record<string, unknown>;
  files: UploadedFile[];
  type?: number;
  webhookId?: string;
  applicationId?: string;
  interactionId?: string;
  /** Extra flags the server sets itself (e.g. Loading for a deferred reply). */
  systemFlags?: number;
  /** Whether flag 64 is honoured; only interaction responses may be ephemeral. */
  allowEphemeral?: boolean;
}

export function storeUpload(state: StandInState, channelId: string, name: string, contentType: string, data: Buffer): StoredFile {
  const id = snowflake();
  const file: StoredFile = {
    id,
    name,
    contentType,
    data,
    url: `${state.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(name)}`,
    text: () => data.toString('utf8'),
    json: () => JSON.parse(data.toString('utf8')) as unknown,
  };
  state.uploads.set(id, file);
  return file;
}

export function attachmentToApi(file: StoredFile, description?: string): ApiAttachment {
  return {
    id: file.id,
    filename: file.name,
    size: file.data.length,
    url: file.url,
    proxy_url: file.url,
    content_type: file.contentType,
    ...(description === undefined ? {} : { description }),
  };
}

/**
 * Resolves `attachments` in a payload against the uploaded `files[n]`:
 * entries with a numeric-ish id refer to new uploads by index, entries with a
 * snowflake id keep an existing attachment (edits list the ones to keep).
 */
function resolveAttachments(
  state: StandInState,
  channelId: string,
  body: Record<string, unknown>,
  uploads: UploadedFile[],
  existing: { attachments: ApiAttachment[]; files: StoredFile[] },
): { attachments: ApiAttachment[]; files: StoredFile[] } {
  const stored = new Map<number, StoredFile>();
  for (const upload of uploads) {
    stored.set(upload.index, storeUpload(state, channelId, upload.name, upload.contentType, upload.data));
  }
  const listed = Array.isArray(body.attachments) ? (body.attachments as unknown[]) : undefined;
  if (!listed) {
    return {
      attachments: [...existing.attachments, ...[...stored.values()].map((f) => attachmentToApi(f))],
      files: [...existing.files, ...stored.values()],
    };
  }
  const attachments: ApiAttachment[] = [];
  const files: StoredFile[] = [];
  for (const entry of listed) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, description, filename } = entry as { id?: unknown; description?: unknown; filename?: unknown };
    const desc = typeof description === 'string' ? description : undefined;
    const keep = existing.attachments.find((a) => a.id === String(id));
    if (keep) {
      attachments.push(keep);
      const file = existing.files.find((f) => f.id === keep.id);
      if (file) files.push(file);
      continue;
    }
    const file = stored.get(Number(id));
    if (!file) continue;
    if (typeof filename === 'string') file.name = filename;
    attachments.push(attachmentToApi(file, desc));
    files.push(file);
  }
  return { attachments, files };
}

export function buildMessage(state: StandInState, draft: MessageDraft): StoredMessage {
  const body = draft.body;
  const content = typeof body.content === 'string' ? body.content : '';
  const requestedFlags = typeof body.flags === 'number' ? body.flags & SETTABLE_FLAGS : 0;
  const flags =
    (draft.allowEphemeral ? requestedFlags : requestedFlags & ~MessageFlag.Ephemeral) | (draft.systemFlags ?? 0);
  const { attachments, files } = resolveAttachments(state, draft.channelId, body, draft.files, {
    attachments: [],
    files: [],
  });
  return {
    id: snowflake(),
    channel_id: draft.channelId,
    ...(draft.guildId === undefined ? {} : { guild_id: draft.guildId }),
    author: draft.author,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    type: draft.type ?? 0,
    content,
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    attachments,
    flags,
    tts: body.tts === true,
    ...(body.allowed_mentions === undefined ? {} : { allowed_mentions: body.allowed_mentions }),
    ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
    ...(body.enforce_nonce === undefined ? {} : { enforce_nonce: body.enforce_nonce === true }),
    ...(body.message_reference === undefined ? {} : { message_reference: body.message_reference }),
    ...(draft.webhookId === undefined ? {} : { webhook_id: draft.webhookId }),
    ...(draft.applicationId === undefined ? {} : { application_id: draft.applicationId }),
    ...(draft.interactionId === undefined ? {} : { interaction_id: draft.interactionId }),
    ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
    pings: state.computePings(content, body.allowed_mentions),
    files,
    body,
    edits: [],
  };
}

/** Applies a PATCH body: present fields replace, absent ones stay, as on Discord. */
export function applyEdit(state: StandInState, message: StoredMessage, body: Record<string, unknown>, uploads: UploadedFile[]): void {
  if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
  if (Array.isArray(body.embeds) || body.embeds === null) message.embeds = body.embeds ?? [];
  if (Array.isArray(body.components) || body.components === null) message.components = body.components ?? [];
  if (body.allowed_mentions !== undefined) message.allowed_mentions = body.allowed_mentions;
  if (typeof body.flags === 'number') {
    // Ephemerality is fixed at creation; only the other settable flags can change.
    const keep = message.flags & MessageFlag.Ephemeral;
    message.flags = (body.flags & SETTABLE_FLAGS & ~MessageFlag.Ephemeral) | keep;
  }
  if (Array.isArray(body.attachments) || uploads.length > 0) {
    const next = resolveAttachments(state, message.channel_id, body, uploads, message);
    message.attachments = next.attachments;
    message.files = next.files;
  }
  // Resolving a deferred "thinking…" message is not an edit in the client's eyes.
  const wasLoading = (message.flags & MessageFlag.Loading) !== 0;
  message.flags &= ~MessageFlag.Loading;
  message.pings = state.computePings(message.content, message.allowed_mentions);
  if (!wasLoading) message.edited_timestamp = new Date().toISOString();
  message.edits.push(body);
  if (!message.ephemeral) state.dispatch('MESSAGE_UPDATE', state.messageToApi(message), Intent.GuildMessages);
}
