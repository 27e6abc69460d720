import type { CommandStore } from './commands.ts';
import { ApiError, Errors, type ParsedRequest, type RouteResult } from './http.ts';
import { MessageFlag, applyEdit, attachmentToApi, buildMessage, storeUpload } from './messages.ts';
import {
  CallbackType,
  InteractionWaiters,
  recordEvent,
  type InteractionCallbackRecord,
  type InteractionHandle,
  type InteractionRecord,
  type InteractionTiming,
} from './interaction-handle.ts';
import { ALL_PERMISSIONS } from './permissions.ts';
import { makeInteractionToken, snowflake } from './snowflake.ts';
import type { StandInState, StoredMessage } from './state.ts';
import { FormErrors, checkAutocompleteChoices, checkMessageBody } from './validation.ts';

export const InteractionType = { ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;

const ALLOWED_CALLBACKS: Readonly<Record<number, readonly number[]>> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
  [InteractionType.Autocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};

export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawOption[];
  focused?: boolean;
}

export type OptionValue = string | number | boolean;

export interface UploadInput {
  name: string;
  data: string | Buffer;
  contentType?: string;
}

export interface InteractionContextInput {
  /** Defaults to the channel's guild. */
  guildId?: string;
  channelId: string;
  /** Defaults to a stand-in "tester" user who is made a member of the guild. */
  userId?: string;
  username?: string;
  roles?: string[];
  /** The invoking member's permissions in the channel; default: all of them. */
  permissions?: bigint | string;
  locale?: string;
}

export interface SlashCommandInput extends InteractionContextInput {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /**
   * Raw API options, or `{ name: value }` whose types are taken from the
   * registered command (falling back to the JS type of the value).
   */
  options?: RawOption[] | Record<string, OptionValue>;
  /** Merged into `data.resolved` as given. */
  resolved?: Record<string, unknown>;
  /** Attachment options: uploaded to the stand-in and added to `resolved.attachments`. */
  attachments?: Record<string, UploadInput>;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** With record-style options: which option the user is typing in. */
  focused?: string;
}

export interface ComponentInput extends InteractionContextInput {
  customId: string;
  /** The message carrying the component; when omitted a bot message with one button is created. */
  messageId?: string;
  /** 2 = button (default), 3 = string select, … */
  componentType?: number;
  values?: string[];
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function inferOptionType(value: OptionValue): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function memberPermissions(input: InteractionContextInput): string {
  return (input.permissions === undefined ? ALL_PERMISSIONS : BigInt(input.permissions)).toString();
}

function findDefinition(options: unknown, name: string): Record<string, unknown> | undefined {
  if (!Array.isArray(options)) return undefined;
  return options.find((o): o is Record<string, unknown> => isRecord(o) && o.name === name);
}

export class InteractionHub {
  private readonly records = new Map<string, InteractionRecord>();
  private readonly waiters: InteractionWaiters;
  readonly defaultUserId: string;

  constructor(
    private readonly state: StandInState,
    private readonly commands: CommandStore,
    private readonly timing: InteractionTiming,
    private readonly send: (payload: Record<string, unknown>) => boolean,
  ) {
    this.waiters = new InteractionWaiters(timing);
    this.defaultUserId = snowflake();
    state.ensureUser(this.defaultUserId, 'tester');
  }

  // ---- dispatch ---------------------------------------------------------------

  dispatchSlashCommand(input: SlashCommandInput): InteractionHandle {
    const data = this.commandData(input);
    const label = `/${[input.name, input.subcommandGroup, input.subcommand].filter(Boolean).join(' ')}`;
    return this.dispatch(InteractionType.ApplicationCommand, input, data, label);
  }

  dispatchAutocomplete(input: AutocompleteInput): InteractionHandle {
    const data = this.commandData(input, input.focused);
    const label = `autocomplete /${[input.name, input.subcommandGroup, input.subcommand].filter(Boolean).join(' ')}`;
    return this.dispatch(InteractionType.Autocomplete, input, data, label);
  }

  dispatchComponent(input: ComponentInput): InteractionHandle {
    const channel = this.state.requireChannel(input.channelId);
    let message = input.messageId === undefined ? undefined : this.state.findMessage(channel.id, input.messageId);
    if (input.messageId !== undefined && !message) {
      throw new Error(`Discord stand-in: no message ${input.messageId} in channel ${channel.id}`);
    }
    if (!message) {
      message = buildMessage(this.state, {
        channelId: channel.id,
        author: this.state.userToApi(this.state.botUser),
        body: {
          content: '',
          components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Button', custom_id: input.customId }] }],
        },
        files: [],
      });
      this.state.storeMessage(message);
    }
    const data: Record<string, unknown> = {
      custom_id: input.customId,
      component_type: input.componentType ?? 2,
      ...(input.values ? { values: input.values } : {}),
    };
    const handle = this.dispatch(InteractionType.MessageComponent, input, data, `component ${input.customId}`, {
      message: this.state.messageToApi(message),
    });
    const record = this.records.get(handle.id);
    if (record) record.sourceMessage = message;
    return handle;
  }

  private commandData(input: SlashCommandInput, focused?: string): Record<string, unknown> {
    const channel = this.state.requireChannel(input.channelId);
    const command = this.commands.find(input.name, input.guildId ?? channel.guildId);
    let definitions: unknown = command?.options;
    if (input.subcommandGroup) definitions = findDefinition(definitions, input.subcommandGroup)?.options;
    if (input.subcommand) definitions = findDefinition(definitions, input.subcommand)?.options;

    let options: RawOption[] = [];
    if (Array.isArray(input.options)) {
      options = input.options;
    } else if (input.options) {
      options = Object.entries(input.options).map(([name, value]) => {
        const declared = findDefinition(definitions, name)?.type;
        return {
          name,
          type: typeof declared === 'number' ? declared : inferOptionType(value),
          value,
          ...(focused === name ? { focused: true } : {}),
        };
      });
    }

    let resolved: Record<string, unknown> | undefined = input.resolved ? { ...input.resolved } : undefined;
    for (const [name, upload] of Object.entries(input.attachments ?? {})) {
      const data = typeof upload.data === 'string' ? Buffer.from(upload.data) : upload.data;
      const file = storeUpload(this.state, channel.id, upload.name, upload.contentType ?? 'application/octet-stream', data);
      resolved ??= {};
      const attachments = isRecord(resolved.attachments) ? { ...resolved.attachments } : {};
      attachments[file.id] = attachmentToApi(file);
      resolved.attachments = attachments;
      options.push({ name, type: 11, value: file.id });
    }

    resolved = this.resolveMentionables(options, channel.guildId, memberPermissions(input), resolved);
    if (input.subcommand) options = [{ name: input.subcommand, type: 1, options }];
    if (input.subcommandGroup) options = [{ name: input.subcommandGroup, type: 2, options }];

    return {
      id: command?.id ?? snowflake(),
      name: input.name,
      type: 1,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      ...(options.length > 0 ? { options } : {}),
      ...(resolved ? { resolved } : {}),
    };
  }

  /**
   * Fills `resolved` for user, channel, role and mentionable options the way
   * Discord does: without it `options.getChannel()` and friends return null.
   */
  private resolveMentionables(
    options: RawOption[],
    guildId: string,
    invokerPermissions: string,
    given: Record<string, unknown> | undefined,
  ): Record<string, unknown> | undefined {
    const s = this.state;
    const guild = s.requireGuild(guildId);
    const buckets: Record<string, Record<string, unknown>> = {};
    const put = (kind: string, id: string, value: unknown): void => {
      const existing = given?.[kind];
      if (isRecord(existing) && id in existing) return;
      buckets[kind] = { ...(isRecord(existing) ? existing : {}), ...buckets[kind], [id]: value };
    };
    const visit = (list: RawOption[]): void => {
      for (const option of list) {
        if (option.options) visit(option.options);
        if (typeof option.value !== 'string') continue;
        const id = option.value;
        const user = option.type === 6 || option.type === 9 ? s.users.get(id) : undefined;
        if (user) {
          put('users', id, s.userToApi(user));
          const member = guild.members.get(id);
          if (member) {
            const { user: _user, deaf: _deaf, mute: _mute, ...rest } = s.memberToApi(guild, member);
            put('members', id, { ...rest, permissions: s.guildPermissions(guild.id, id).toString() });
          }
        }
        const role = option.type === 8 || option.type === 9 ? guild.roles.get(id) : undefined;
        if (role) put('roles', id, s.roleToApi(role));
        const channel = option.type === 7 ? s.channels.get(id) : undefined;
        if (channel) {
          put('channels', id, { ...s.channelToApi(channel), permissions: invokerPermissions });
        }
      }
    };
    visit(options);
    if (Object.keys(buckets).length === 0) return given;
    return { ...given, ...buckets };
  }

  /**
   * Builds the full INTERACTION_CREATE payload. discord.js silently drops an
   * interaction without `channel` (the object), `entitlements`,
   * `authorizing_integration_owners` or `member.user`.
   */
  private dispatch(
    type: number,
    input: InteractionContextInput,
    data: Record<string, unknown>,
    label: string,
    extra: Record<string, unknown> = {},
  ): InteractionHandle {
    const channel = this.state.requireChannel(input.channelId);
    const guild = this.state.requireGuild(input.guildId ?? channel.guildId);
    if (channel.guildId !== guild.id) throw new Error(`Discord stand-in: channel ${channel.id} is not in guild ${guild.id}`);
    const userId = input.userId ?? this.defaultUserId;
    const member = this.state.addMember(guild.id, {
      userId,
      ...(input.username === undefined ? {} : { username: input.username }),
      ...(input.roles === undefined ? {} : { roles: input.roles }),
    });
    const permissions = memberPermissions(input);
    const id = snowflake();
    const token = makeInteractionToken();
    const payload: Record<string, unknown> = {
      id,
      application_id: this.state.applicationId,
      type,
      token,
      version: 1,
      data,
      guild: { id: guild.id, locale: guild.locale, features: [] },
      guild_id: guild.id,
      guild_locale: guild.locale,
      channel: { ...this.state.channelToApi(channel), permissions },
      channel_id: channel.id,
      member: { ...this.state.memberToApi(guild, member), permissions },
      app_permissions: this.state.permissionsIn(channel.id, this.state.botUser.id).toString(),
      locale: input.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
    };
    const record: InteractionRecord = {
      id,
      token,
      type,
      label,
      channelId: channel.id,
      guildId: guild.id,
      createdAt: Date.now(),
      payload,
      followUps: [],
      events: [],
      listeners: new Set(),
    };
    this.records.set(id, record);
    if (!this.send(payload)) {
      this.records.delete(id);
      throw new Error(
        'Discord stand-in: no gateway session is READY, so the interaction cannot be delivered; ' +
          'await client.login(standIn.token) (or standIn.waitForReady()) first',
      );
    }
    return this.waiters.handle(record);
  }

  /** Runs a REST handler for one interaction, logging refusals on it so failures explain themselves. */
  private guarded(record: InteractionRecord, route: string, run: () => RouteResult): RouteResult {
    try {
      return run();
    } catch (error) {
      if (error instanceof ApiError) {
        recordEvent(record, { kind: 'rejected', route, status: error.status, body: error.body(), at: Date.now() });
      }
      throw error;
    }
  }

  // ---- REST: POST /interactions/:id/:token/callback ----------------------------

  callback(req: ParsedRequest, id: string, token: string): RouteResult {
    const record = this.records.get(id);
    if (!record || record.token !== token) throw Errors.unknownInteraction();
    return this.guarded(record, 'callback', () => {
      const now = Date.now();
      if (record.callback) throw Errors.alreadyAcknowledged();
      if (now - record.createdAt > this.timing.deadlineMs) throw Errors.unknownInteraction();
      const body = isRecord(req.body) ? req.body : {};
      const type = body.type;
      if (typeof type !== 'number' || !(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
        const errors = new FormErrors();
        errors.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Callback type ${String(type)} is not valid for this interaction`);
        throw Errors.invalidFormBody(errors.toJSON());
      }
      const data = isRecord(body.data) ? body.data : undefined;
      const author = this.state.userToApi(this.state.botUser);
      const common = {
        channelId: record.channelId,
        guildId: record.guildId,
        author,
        webhookId: this.state.applicationId,
        applicationId: this.state.applicationId,
        interactionId: record.id,
        allowEphemeral: true,
        type: record.type === InteractionType.ApplicationCommand ? 20 : 0,
      };

      switch (type) {
        case CallbackType.Reply: {
          this.checkMessage(data ?? {}, req.files.length, true, ['data']);
          const message = buildMessage(this.state, { ...common, body: data ?? {}, files: req.files });
          this.state.storeMessage(message);
          record.original = message;
          break;
        }
        case CallbackType.DeferredReply: {
          const flags = typeof data?.flags === 'number' ? data.flags & MessageFlag.Ephemeral : 0;
          const message = buildMessage(this.state, { ...common, body: { flags }, files: [], systemFlags: MessageFlag.Loading });
          this.state.storeMessage(message);
          record.original = message;
          break;
        }
        case CallbackType.DeferredUpdate:
          record.original = record.sourceMessage;
          break;
        case CallbackType.Update: {
          this.checkMessage(data ?? {}, req.files.length, false, ['data']);
          if (record.sourceMessage) applyEdit(this.state, record.sourceMessage, data ?? {}, req.files);
          record.original = record.sourceMessage;
          break;
        }
        case CallbackType.AutocompleteResult: {
          const errors = checkAutocompleteChoices(data);
          if (!errors.empty) throw Errors.invalidFormBody(errors.toJSON());
          break;
        }
        default:
          break;
      }

      const callback: InteractionCallbackRecord = {
        type,
        ...(data ? { data } : {}),
        files: type === CallbackType.Reply || type === CallbackType.Update ? (record.original?.files ?? []) : [],
        at: now,
        elapsedMs: now - record.createdAt,
      };
      record.callback = callback;
      recordEvent(record, { kind: 'callback', callback, at: now });

      if (req.query.get('with_response') !== 'true') return { status: 204 };
      const message = type === CallbackType.AutocompleteResult ? undefined : record.original;
      return {
        status: 200,
        body: {
          interaction: {
            id: record.id,
            type: record.type,
            ...(message
              ? {
                  response_message_id: message.id,
                  response_message_loading: (message.flags & MessageFlag.Loading) !== 0,
                  response_message_ephemeral: message.ephemeral,
                }
              : {}),
          },
          resource: { type, ...(message ? { message: this.state.messageToApi(message) } : {}) },
        },
      };
    });
  }

  // ---- REST: /webhooks/:app/:token[/messages/:id] -----------------------------

  private byToken(applicationId: string, token: string): InteractionRecord {
    if (applicationId !== this.state.applicationId) throw Errors.unknownWebhook();
    const record = [...this.records.values()].find((r) => r.token === token);
    if (!record) throw Errors.unknownWebhook();
    if (Date.now() - record.createdAt > this.timing.tokenLifetimeMs) {
      recordEvent(record, {
        kind: 'rejected',
        route: 'webhook',
        status: 401,
        body: Errors.invalidWebhookToken().body(),
        at: Date.now(),
      });
      throw Errors.invalidWebhookToken();
    }
    return record;
  }

  /** POST /webhooks/:app/:token — a follow-up message. */
  followUp(req: ParsedRequest, applicationId: string, token: string): RouteResult {
    const record = this.byToken(applicationId, token);
    return this.guarded(record, 'follow-up', () => {
      if (!record.callback) throw Errors.unknownWebhook();
      const body = isRecord(req.body) ? req.body : {};
      this.checkMessage(body, req.files.length, true, []);
      const original = record.original;
      let message: StoredMessage;
      // After a deferred reply the first follow-up replaces the "thinking…" message.
      if (original && (original.flags & MessageFlag.Loading) !== 0) {
        applyEdit(this.state, original, body, req.files);
        message = original;
        recordEvent(record, { kind: 'edit', messageId: original.id, original: true, body, at: Date.now() });
      } else {
        message = buildMessage(this.state, {
          channelId: record.channelId,
          guildId: record.guildId,
          author: this.state.userToApi(this.state.botUser),
          body,
          files: req.files,
          webhookId: this.state.applicationId,
          applicationId: this.state.applicationId,
          interactionId: record.id,
          allowEphemeral: true,
          type: record.type === InteractionType.ApplicationCommand ? 20 : 0,
        });
        this.state.storeMessage(message);
        record.followUps.push(message);
        recordEvent(record, { kind: 'followup', message, at: Date.now() });
      }
      return req.query.get('wait') === 'true' ? { status: 200, body: this.state.messageToApi(message) } : { status: 204 };
    });
  }

  /** GET/PATCH/DELETE /webhooks/:app/:token/messages/:messageId */
  webhookMessage(req: ParsedRequest, applicationId: string, token: string, messageId: string): RouteResult {
    const record = this.byToken(applicationId, token);
    return this.guarded(record, `${req.method} message ${messageId}`, () => {
      const isOriginal = messageId === '@original';
      const target = isOriginal
        ? record.original
        : [record.original, ...record.followUps].find((m) => m?.id === messageId);
      if (!target) throw Errors.unknownMessage();
      if (req.method === 'GET') return { status: 200, body: this.state.messageToApi(target) };
      if (req.method === 'DELETE') {
        this.state.deleteMessage(target);
        if (record.original === target) record.original = undefined;
        record.followUps = record.followUps.filter((m) => m !== target);
        recordEvent(record, { kind: 'delete', messageId: target.id, at: Date.now() });
        return { status: 204 };
      }
      const body = isRecord(req.body) ? req.body : {};
      this.checkMessage(body, req.files.length, false, []);
      applyEdit(this.state, target, body, req.files);
      recordEvent(record, { kind: 'edit', messageId: target.id, original: target === record.original, body, at: Date.now() });
      return { status: 200, body: this.state.messageToApi(target) };
    });
  }

  private checkMessage(body: Record<string, unknown>, fileCount: number, requireSomething: boolean, prefix: string[]): void {
    const { errors, empty } = checkMessageBody(body, { requireSomething, fileCount }, prefix);
    if (!errors.empty) throw Errors.invalidFormBody(errors.toJSON());
    if (empty) throw Errors.emptyMessage();
  }

  close(): void {
    this.waiters.close();
  }
}
