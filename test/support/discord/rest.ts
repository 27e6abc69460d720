import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandStore } from './commands.ts';
import { failureToError, type FailureInjector } from './failures.ts';
import {
  ApiError,
  Errors,
  apiSegments,
  parseBody,
  readRaw,
  sendBytes,
  sendError,
  sendJson,
  sendNoContent,
  splitPath,
  type ParsedRequest,
  type RouteResult,
} from './http.ts';
import type { InteractionHub } from './interactions.ts';
import { applyEdit, buildMessage } from './messages.ts';
import { PermissionBits, has } from './permissions.ts';
import { rateLimitedError, type RateLimitWindow, type RateLimiter } from './ratelimit.ts';
import type { StandInState } from './state.ts';
import { FormErrors, checkCommand, checkCommandList, checkMessageBody } from './validation.ts';

export interface RestOptions {
  token: string;
  /** Per-channel message bucket; `false` turns enforcement and headers off. */
  messageRateLimit: RateLimitWindow | false;
  /** Bucket applied to every other authenticated route. */
  routeRateLimit: RateLimitWindow | false;
  /** How long a nonce sent with `enforce_nonce` deduplicates (Discord: a few minutes). */
  nonceWindowMs: number;
  gatewayUrl: () => string;
}

/** One request as the stand-in saw it; `status` is filled in when the answer goes out. */
export interface RecordedRequest {
  method: string;
  /** Decoded, without `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  query: string;
  body: unknown;
  files: { name: string; contentType: string; size: number }[];
  headers: {
    authorization?: string;
    'content-type'?: string;
    'user-agent'?: string;
    'x-audit-log-reason'?: string;
  };
  time: number;
  status?: number;
  /** `X-RateLimit-Scope` of a 429 answer. */
  rateLimitScope?: string;
  /** Set when an injected failure answered this request. */
  injected?: boolean;
}

type Handler = (req: ParsedRequest, params: Record<string, string>) => RouteResult | Promise<RouteResult>;

interface Route {
  method: string;
  pattern: string[];
  /** Interaction callbacks and webhooks authenticate by their token in the URL, not by header. */
  auth: boolean;
  /** Overrides the default bucket; `null` means unlimited. */
  bucket?: { name: string; param: string; window: RateLimitWindow | false } | null;
  handler: Handler;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchRoute(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] ?? '';
    const got = segments[i] ?? '';
    if (want.startsWith(':')) params[want.slice(1)] = got;
    else if (want !== got) return undefined;
  }
  return params;
}

const P = PermissionBits;

/** Text, voice, announcement, the three thread types and stage: the channels that hold messages. */
const TEXT_CHANNEL_TYPES = new Set([0, 2, 5, 10, 11, 12, 13]);

export class RestApi {
  readonly requests: RecordedRequest[] = [];
  /** Unexpected exceptions inside the stand-in (answered 500); a test can assert this stays empty. */
  readonly internalErrors: unknown[] = [];
  private readonly routes: Route[] = [];

  constructor(
    private readonly state: StandInState,
    private readonly commands: CommandStore,
    private readonly hub: InteractionHub,
    private readonly limiter: RateLimiter,
    private readonly injector: FailureInjector,
    private readonly options: RestOptions,
  ) {
    this.defineRoutes();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const segments = splitPath(url.pathname);
    if (segments[0] === 'attachments' && req.method === 'GET') {
      this.serveAttachment(segments, res);
      return;
    }
    const api = apiSegments(segments);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = `/${(api ?? segments).join('/')}`;
    const raw = await readRaw(req);
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const record: RecordedRequest = {
      method,
      path,
      query: url.search,
      body: undefined,
      files: [],
      headers: {
        ...(header('authorization') ? { authorization: header('authorization') } : {}),
        ...(header('content-type') ? { 'content-type': header('content-type') } : {}),
        ...(header('user-agent') ? { 'user-agent': header('user-agent') } : {}),
        ...(header('x-audit-log-reason') ? { 'x-audit-log-reason': header('x-audit-log-reason') } : {}),
      },
      time: Date.now(),
    };
    this.requests.push(record);
    const reply = (result: RouteResult): void => {
      record.status = result.status;
      if (result.status === 204) sendNoContent(res, result.headers);
      else sendJson(res, result.status, result.body ?? {}, result.headers);
    };
    const fail = (error: ApiError, extraHeaders: Record<string, string> = {}): void => {
      record.status = error.status;
      const scope = error.headers['X-RateLimit-Scope'];
      if (scope) record.rateLimitScope = scope;
      sendError(res, error, extraHeaders);
    };

    try {
      if (!api) throw Errors.notFound();
      const parsed = await parseBody(raw, header('content-type'));
      record.body = parsed.body;
      record.files = parsed.files.map((f) => ({ name: f.name, contentType: f.contentType, size: f.data.length }));

      const failure = this.injector.take({ method, path });
      if (failure) {
        record.injected = true;
        if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
        if ('resetConnection' in failure) {
          record.status = 0;
          req.socket.destroy();
          return;
        }
        fail(failureToError(failure));
        return;
      }

      const candidates = this.routes
        .map((route) => ({ route, params: matchRoute(route.pattern, api) }))
        .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== undefined);
      if (candidates.length === 0) throw Errors.notFound();
      const match = candidates.find((c) => c.route.method === method);
      if (!match) throw Errors.methodNotAllowed();
      const { route, params } = match;

      if (route.auth && header('authorization') !== `Bot ${this.options.token}`) throw Errors.unauthorized();

      let rateHeaders: Record<string, string> = {};
      const bucket = this.bucketFor(route, params);
      if (bucket) {
        const decision = this.limiter.take(bucket.name, bucket.major, bucket.window);
        if (!decision.allowed) throw rateLimitedError(decision.retryAfterMs, 'user', decision.headers);
        rateHeaders = decision.headers;
      }

      const parsedRequest: ParsedRequest = {
        method,
        path,
        segments: api,
        query: url.searchParams,
        headers: req.headers,
        body: parsed.body,
        files: parsed.files,
      };
      try {
        const result = await route.handler(parsedRequest, params);
        reply({ ...result, headers: { ...rateHeaders, ...result.headers } });
      } catch (error) {
        if (error instanceof ApiError) fail(error, rateHeaders);
        else throw error;
      }
    } catch (error) {
      if (error instanceof ApiError) {
        fail(error);
        return;
      }
      this.internalErrors.push(error);
      console.error('Discord stand-in: internal error while handling', method, path, error);
      fail(new ApiError(500, 0, '500: Internal Server Error'));
    }
  }

  /**
   * Discord keys buckets by route and its major parameter (channel, guild,
   * webhook). Routes authenticated by URL token have no bucket here.
   */
  private bucketFor(route: Route, params: Record<string, string>): { name: string; major: string; window: RateLimitWindow } | undefined {
    if (route.bucket === null || (route.bucket === undefined && !route.auth)) return undefined;
    const name = route.bucket?.name ?? `${route.method} /${route.pattern.join('/')}`;
    const major = route.bucket ? (params[route.bucket.param] ?? route.bucket.param) : (Object.values(params)[0] ?? 'global');
    const window = route.bucket ? route.bucket.window : this.options.routeRateLimit;
    return window ? { name, major, window } : undefined;
  }

  private serveAttachment(segments: string[], res: ServerResponse): void {
    const file = this.state.uploads.get(segments[2] ?? '');
    if (!file) {
      sendError(res, Errors.notFound());
      return;
    }
    sendBytes(res, file.data, file.contentType);
  }

  private route(method: string, path: string, handler: Handler, extra: Partial<Pick<Route, 'auth' | 'bucket'>> = {}): void {
    this.routes.push({ method, pattern: path.split('/').filter(Boolean), auth: extra.auth ?? true, handler, ...('bucket' in extra ? { bucket: extra.bucket } : {}) });
  }

  private defineRoutes(): void {
    const s = this.state;
    const gatewayInfo = (): Record<string, unknown> => ({ url: this.options.gatewayUrl() });

    this.route('GET', '/gateway', () => ({ status: 200, body: gatewayInfo() }), { auth: false, bucket: null });
    this.route('GET', '/gateway/bot', () => ({
      status: 200,
      body: {
        ...gatewayInfo(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      },
    }));

    this.route('GET', '/users/@me', () => ({
      status: 200,
      body: { ...s.userToApi(s.botUser), verified: true, mfa_enabled: false, locale: 'en-US' },
    }));
    this.route('GET', '/users/@me/guilds', () => ({
      status: 200,
      body: [...s.guilds.values()].map((g) => ({
        id: g.id,
        name: g.name,
        icon: null,
        owner: g.ownerId === s.botUser.id,
        permissions: s.guildPermissions(g.id, s.botUser.id).toString(),
        features: [],
      })),
    }));
    this.route('GET', '/users/:userId', (_req, { userId = '' }) => {
      const user = s.users.get(userId);
      if (!user) throw Errors.unknownUser();
      return { status: 200, body: s.userToApi(user) };
    });

    const application = (): RouteResult => ({
      status: 200,
      body: {
        id: s.applicationId,
        name: s.botUser.username,
        icon: null,
        description: '',
        summary: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        tags: [],
        redirect_uris: [],
        owner: s.userToApi(s.ensureUser(s.guilds.values().next().value?.ownerId ?? s.botUser.id)),
        bot: s.userToApi(s.botUser),
        approximate_guild_count: s.guilds.size,
        integration_types_config: { '0': {} },
      },
    });
    this.route('GET', '/applications/@me', application);
    this.route('GET', '/oauth2/applications/@me', application);

    this.defineCommandRoutes();
    this.defineChannelRoutes();
    this.defineGuildRoutes();

    this.route('POST', '/interactions/:id/:token/callback', (req, { id = '', token = '' }) => this.hub.callback(req, id, token), {
      auth: false,
      bucket: null,
    });
    this.route('POST', '/webhooks/:appId/:token', (req, { appId = '', token = '' }) => this.hub.followUp(req, appId, token), {
      auth: false,
      bucket: null,
    });
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      this.route(
        method,
        '/webhooks/:appId/:token/messages/:messageId',
        (req, { appId = '', token = '', messageId = '' }) => this.hub.webhookMessage(req, appId, token, messageId),
        { auth: false, bucket: null },
      );
    }
  }

  private defineCommandRoutes(): void {
    const s = this.state;
    const checkApp = (appId: string): void => {
      if (appId !== s.applicationId) throw new ApiError(404, 10002, 'Unknown Application');
    };
    const checkGuild = (guildId: string | undefined): void => {
      if (guildId !== undefined && !s.guilds.has(guildId)) throw Errors.missingAccess();
    };
    for (const prefix of ['/applications/:appId/commands', '/applications/:appId/guilds/:guildId/commands']) {
      this.route('GET', prefix, (_req, { appId = '', guildId }) => {
        checkApp(appId);
        checkGuild(guildId);
        return { status: 200, body: this.commands.list(guildId).map((c) => this.commands.toApi(c)) };
      });
      this.route('PUT', prefix, (req, { appId = '', guildId }) => {
        checkApp(appId);
        checkGuild(guildId);
        const errors = checkCommandList(req.body);
        if (!errors.empty) throw Errors.invalidFormBody(errors.toJSON());
        const stored = this.commands.replaceAll(guildId, req.body as Record<string, unknown>[]);
        return { status: 200, body: stored.map((c) => this.commands.toApi(c)) };
      });
      this.route('POST', prefix, (req, { appId = '', guildId }) => {
        checkApp(appId);
        checkGuild(guildId);
        const errors = new FormErrors();
        checkCommand(errors, [], req.body);
        if (!errors.empty) throw Errors.invalidFormBody(errors.toJSON());
        const { command, created } = this.commands.upsert(guildId, req.body as Record<string, unknown>);
        return { status: created ? 201 : 200, body: this.commands.toApi(command) };
      });
      this.route('GET', `${prefix}/:commandId`, (_req, { appId = '', guildId, commandId = '' }) => {
        checkApp(appId);
        const command = this.commands.list(guildId).find((c) => c.id === commandId);
        if (!command) throw Errors.unknownCommand();
        return { status: 200, body: this.commands.toApi(command) };
      });
      this.route('DELETE', `${prefix}/:commandId`, (_req, { appId = '', guildId, commandId = '' }) => {
        checkApp(appId);
        if (!this.commands.remove(guildId, commandId)) throw Errors.unknownCommand();
        return { status: 204 };
      });
    }
  }

  private defineChannelRoutes(): void {
    const s = this.state;
    const bot = s.botUser.id;
    /** Discord answers 403 Missing Access for a channel the bot cannot see at all. */
    const visibleChannel = (channelId: string): bigint => {
      if (!s.channels.has(channelId)) throw Errors.unknownChannel();
      const perms = s.permissionsIn(channelId, bot);
      if (!has(perms, P.ViewChannel)) throw Errors.missingAccess();
      return perms;
    };
    const messageIn = (channelId: string, messageId: string) => {
      const message = s.findMessage(channelId, messageId);
      if (!message || message.ephemeral) throw Errors.unknownMessage();
      return message;
    };

    this.route('GET', '/channels/:channelId', (_req, { channelId = '' }) => {
      visibleChannel(channelId);
      return { status: 200, body: s.channelToApi(s.requireChannel(channelId)) };
    });

    this.route('GET', '/channels/:channelId/messages', (req, { channelId = '' }) => {
      const perms = visibleChannel(channelId);
      if (!has(perms, P.ReadMessageHistory)) return { status: 200, body: [] };
      const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
      const before = req.query.get('before');
      const after = req.query.get('after');
      let list = s.messages(channelId);
      if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
      if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
      // Newest first, as Discord returns them.
      const page = after ? list.slice(0, limit).reverse() : list.slice(-limit).reverse();
      return { status: 200, body: page.map((m) => s.messageToApi(m)) };
    });

    this.route('GET', '/channels/:channelId/messages/:messageId', (_req, { channelId = '', messageId = '' }) => {
      visibleChannel(channelId);
      return { status: 200, body: s.messageToApi(messageIn(channelId, messageId)) };
    });

    this.route(
      'POST',
      '/channels/:channelId/messages',
      (req, { channelId = '' }) => {
        const perms = visibleChannel(channelId);
        if (!TEXT_CHANNEL_TYPES.has(s.requireChannel(channelId).type)) throw Errors.nonTextChannel();
        if (!has(perms, P.SendMessages)) throw Errors.missingPermissions();
        if (req.files.length > 0 && !has(perms, P.AttachFiles)) throw Errors.missingPermissions();
        const body = isRecord(req.body) ? req.body : {};
        const { errors, empty } = checkMessageBody(body, { requireSomething: true, fileCount: req.files.length });
        if (!errors.empty) throw Errors.invalidFormBody(errors.toJSON());
        if (empty) throw Errors.emptyMessage();
        const nonce = body.nonce;
        if (body.enforce_nonce === true && (typeof nonce === 'string' || typeof nonce === 'number')) {
          const existing = s.findByNonce(channelId, bot, nonce, this.options.nonceWindowMs);
          if (existing) return { status: 200, body: s.messageToApi(existing) };
        }
        const channel = s.requireChannel(channelId);
        const message = buildMessage(s, {
          channelId,
          guildId: channel.guildId,
          author: s.userToApi(s.botUser),
          body,
          files: req.files,
        });
        s.storeMessage(message);
        return { status: 200, body: s.messageToApi(message) };
      },
      {
        bucket: { name: 'POST /channels/:channelId/messages', param: 'channelId', window: this.options.messageRateLimit },
      },
    );

    this.route('PATCH', '/channels/:channelId/messages/:messageId', (req, { channelId = '', messageId = '' }) => {
      visibleChannel(channelId);
      const message = messageIn(channelId, messageId);
      if (message.author.id !== bot) throw Errors.cannotEditOthers();
      const body = isRecord(req.body) ? req.body : {};
      const { errors } = checkMessageBody(body, { requireSomething: false, fileCount: req.files.length });
      if (!errors.empty) throw Errors.invalidFormBody(errors.toJSON());
      applyEdit(s, message, body, req.files);
      return { status: 200, body: s.messageToApi(message) };
    });

    this.route('DELETE', '/channels/:channelId/messages/:messageId', (_req, { channelId = '', messageId = '' }) => {
      const perms = visibleChannel(channelId);
      const message = messageIn(channelId, messageId);
      if (message.author.id !== bot && !has(perms, P.ManageMessages)) throw Errors.missingPermissions();
      s.deleteMessage(message);
      return { status: 204 };
    });
  }

  private defineGuildRoutes(): void {
    const s = this.state;
    const guildOf = (guildId: string) => {
      const guild = s.guilds.get(guildId);
      if (!guild) throw Errors.unknownGuild();
      return guild;
    };
    this.route('GET', '/guilds/:guildId', (req, { guildId = '' }) => {
      const guild = guildOf(guildId);
      const counts =
        req.query.get('with_counts') === 'true'
          ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
          : {};
      return { status: 200, body: { ...s.guildToApi(guild), ...counts } };
    });
    this.route('GET', '/guilds/:guildId/channels', (_req, { guildId = '' }) => {
      const guild = guildOf(guildId);
      return { status: 200, body: s.guildChannels(guild.id).map((c) => s.channelToApi(c)) };
    });
    this.route('GET', '/guilds/:guildId/roles', (_req, { guildId = '' }) => {
      const guild = guildOf(guildId);
      return { status: 200, body: [...guild.roles.values()].map((r) => s.roleToApi(r)) };
    });
    this.route('GET', '/guilds/:guildId/members/:userId', (_req, { guildId = '', userId = '' }) => {
      const guild = guildOf(guildId);
      const member = guild.members.get(userId);
      if (!member) throw Errors.unknownMember();
      return { status: 200, body: s.memberToApi(guild, member) };
    });
  }
}
