/**
 * A Discord stand-in on real loopback sockets: REST under `/api` and the
 * gateway under `/gateway`, close enough to Discord that the unmodified
 * discord.js client and @discordjs/rest run against it.
 *
 *   const standIn = await startDiscordStandIn();
 *   const guild = standIn.addGuild();
 *   const channel = standIn.addChannel(guild.id, { name: 'news' });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
 *   await client.login(standIn.token);
 *   const reply = await standIn.dispatchSlashCommand({ channelId: channel.id, name: 'ping' }).reply();
 *   await client.destroy();
 *   await standIn.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandStore, type StoredCommand } from './commands.ts';
import { FailureInjector, compileMatcher, type FailureInjection, type InjectedFailure, type RouteMatcher } from './failures.ts';
import { Gateway, type GatewaySessionInfo } from './gateway.ts';
import type { InteractionHandle } from './interaction-handle.ts';
import { InteractionHub, type AutocompleteInput, type ComponentInput, type SlashCommandInput } from './interactions.ts';
import { RateLimiter, type RateLimitWindow } from './ratelimit.ts';
import { RestApi, type RecordedRequest } from './rest.ts';
import { makeBotToken, snowflake } from './snowflake.ts';
import {
  StandInState,
  type AddChannelInput,
  type AddGuildInput,
  type AddMemberInput,
  type AddRoleInput,
  type ChannelAccess,
  type ChannelRecord,
  type GuildRecord,
  type MemberRecord,
  type RoleRecord,
  type StoredFile,
  type StoredMessage,
} from './state.ts';

export interface StandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  botUsername?: string;
  /** HELLO's heartbeat_interval. The client's first beat comes after a random fraction of it. */
  heartbeatIntervalMs?: number;
  /** Per-channel message posting bucket. Default 5 per 5 s; `false` disables it. */
  messageRateLimit?: RateLimitWindow | false;
  /** Bucket for every other authenticated route. Default 50 per second; `false` disables it. */
  routeRateLimit?: RateLimitWindow | false;
  /** Deadline for the first interaction callback. Default 3000. */
  interactionDeadlineMs?: number;
  /** Lifetime of interaction tokens for edits and follow-ups. Default 15 minutes. */
  interactionTokenLifetimeMs?: number;
  /** How long `enforce_nonce` deduplicates. Default 5 minutes. */
  nonceWindowMs?: number;
}

export class DiscordStandIn {
  /** Base for `new REST({ api })` and `new Client({ rest: { api } })`. */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  /** `http://127.0.0.1:PORT`; attachment URLs live under it. */
  readonly baseUrl: string;
  readonly port: number;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Direct access to the model, for what the helpers below do not cover. */
  readonly state: StandInState;
  private closed = false;

  /** @internal use startDiscordStandIn() */
  constructor(
    private readonly server: Server,
    private readonly rest: RestApi,
    private readonly gateway: Gateway,
    private readonly hub: InteractionHub,
    private readonly injector: FailureInjector,
    private readonly commandStore: CommandStore,
    private readonly limiter: RateLimiter,
    init: { state: StandInState; token: string; port: number },
  ) {
    this.state = init.state;
    this.token = init.token;
    this.port = init.port;
    this.baseUrl = `http://127.0.0.1:${init.port}`;
    this.apiUrl = `${this.baseUrl}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${init.port}/gateway`;
    this.applicationId = init.state.applicationId;
    this.botUserId = init.state.botUser.id;
  }

  // ---- world ------------------------------------------------------------------

  /** Before login it arrives in READY + GUILD_CREATE; after login as a GUILD_CREATE (a join). */
  addGuild(input?: AddGuildInput): GuildRecord {
    return this.state.addGuild(input);
  }

  removeGuild(guildId: string): void {
    this.state.removeGuild(guildId);
  }

  addChannel(guildId: string, input?: AddChannelInput): ChannelRecord {
    return this.state.addChannel(guildId, input);
  }

  /** Later requests to it get 404 Unknown Channel (10003); clients receive CHANNEL_DELETE. */
  removeChannel(channelId: string): void {
    this.state.removeChannel(channelId);
  }

  addRole(guildId: string, input?: AddRoleInput): RoleRecord {
    return this.state.addRole(guildId, input);
  }

  addMember(guildId: string, input?: AddMemberInput): MemberRecord {
    return this.state.addMember(guildId, input);
  }

  /** Denies (or restores) Send Messages for the bot: posts then get 403 Missing Permissions (50013). */
  setBotCanPost(channelId: string, canPost: boolean): void {
    this.state.setChannelAccess(channelId, { send: canPost });
  }

  /** `view: false` makes the channel answer 403 Missing Access (50001). */
  setChannelAccess(channelId: string, access: ChannelAccess): void {
    this.state.setChannelAccess(channelId, access);
  }

  // ---- observation -------------------------------------------------------------

  /** Messages visible in channel history (ephemeral replies excluded), oldest first. */
  messages(channelId?: string): StoredMessage[] {
    return this.state.messages(channelId);
  }

  commands(guildId?: string): StoredCommand[] {
    return this.commandStore.list(guildId);
  }

  get requests(): readonly RecordedRequest[] {
    return this.rest.requests;
  }

  /** Recorded requests that a RouteMatcher (same forms as injectFailures) accepts. */
  requestsMatching(matcher: RouteMatcher): RecordedRequest[] {
    const test = compileMatcher(matcher);
    return this.rest.requests.filter((r) => test({ method: r.method, path: r.path }));
  }

  /**
   * Requests Discord counts towards its invalid-request ban (10,000 in 10
   * minutes): answers 401, 403 and 429, except shared-scope 429s.
   */
  get invalidRequestCount(): number {
    return this.rest.requests.filter(
      (r) => r.status === 401 || r.status === 403 || (r.status === 429 && r.rateLimitScope !== 'shared'),
    ).length;
  }

  /** Exceptions inside the stand-in itself; non-empty means a stand-in bug, not a bot bug. */
  get internalErrors(): readonly unknown[] {
    return this.rest.internalErrors;
  }

  /** An uploaded file by attachment id or URL. */
  upload(idOrUrl: string): StoredFile | undefined {
    const direct = this.state.uploads.get(idOrUrl);
    if (direct) return direct;
    return [...this.state.uploads.values()].find((f) => f.url === idOrUrl);
  }

  get connectedClients(): number {
    return this.gateway.connectedClients;
  }

  get gatewaySessions(): GatewaySessionInfo[] {
    return this.gateway.sessionsInfo();
  }

  get identifyPayloads(): readonly Record<string, unknown>[] {
    return this.gateway.identifies;
  }

  /** The user interactions come from unless `userId` is given. */
  get defaultUserId(): string {
    return this.hub.defaultUserId;
  }

  /** Resolves once a client has identified and received its guilds. */
  waitForReady(timeoutMs?: number): Promise<void> {
    return this.gateway.waitForReady(timeoutMs);
  }

  /** Alias of waitForReady. */
  waitForIdentify(timeoutMs?: number): Promise<void> {
    return this.gateway.waitForReady(timeoutMs);
  }

  // ---- faults -----------------------------------------------------------------

  /** The next matching requests get these answers, in order; then normal service resumes. */
  injectFailures(matcher: RouteMatcher, failures: InjectedFailure[]): FailureInjection {
    return this.injector.inject(matcher, failures);
  }

  clearFailures(): void {
    this.injector.clear();
  }

  /** Forgets rate-limit windows, e.g. between test cases sharing one stand-in. */
  resetRateLimits(): void {
    this.limiter.reset();
  }

  /**
   * Closes every gateway connection with `code` (default 4000) to exercise
   * reconnects. The client resumes within about half a second and gets the
   * events it missed; with `resumable: false` it must identify again, which
   * @discordjs/ws throttles to one per 5 seconds.
   */
  disconnectClients(code?: number, options: { resumable?: boolean } = {}): void {
    this.gateway.disconnectAll(code, options.resumable ?? true);
  }

  // ---- interactions -------------------------------------------------------------

  dispatchSlashCommand(input: SlashCommandInput): InteractionHandle {
    return this.hub.dispatchSlashCommand(input);
  }

  dispatchAutocomplete(input: AutocompleteInput): InteractionHandle {
    return this.hub.dispatchAutocomplete(input);
  }

  dispatchComponent(input: ComponentInput): InteractionHandle {
    return this.hub.dispatchComponent(input);
  }

  // ---- lifecycle ----------------------------------------------------------------

  /** Destroy clients first: a client that sees its socket drop will try to reconnect. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startDiscordStandIn(opts: StandInOptions = {}): Promise<DiscordStandIn> {
  const botUserId = snowflake();
  const applicationId = botUserId; // Bots made since 2018 share their application's id.
  const state = new StandInState({ id: botUserId, username: opts.botUsername ?? 'Lightstick', bot: true }, applicationId);
  const token = makeBotToken(botUserId);
  const commands = new CommandStore(applicationId);
  const injector = new FailureInjector();
  const limiter = new RateLimiter();
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}/gateway`;

  const gateway = new Gateway(state, { token, heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250 }, gatewayUrl);
  state.dispatch = (event, data, intent) => gateway.dispatch(event, data, intent);

  const hub = new InteractionHub(
    state,
    commands,
    {
      deadlineMs: opts.interactionDeadlineMs ?? 3_000,
      tokenLifetimeMs: opts.interactionTokenLifetimeMs ?? 15 * 60_000,
    },
    (payload) => gateway.sendInteraction(payload),
  );

  const rest = new RestApi(state, commands, hub, limiter, injector, {
    token,
    messageRateLimit: opts.messageRateLimit ?? { limit: 5, windowMs: 5_000 },
    routeRateLimit: opts.routeRateLimit ?? { limit: 50, windowMs: 1_000 },
    nonceWindowMs: opts.nonceWindowMs ?? 5 * 60_000,
    gatewayUrl,
  });

  const server = createServer((req, res) => {
    // Only reading the body can throw here: the client went away mid-request.
    rest.handle(req, res).catch(() => res.destroy());
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://stand-in.invalid').pathname.replace(/\/+$/, '');
    if (path === '/gateway') gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;

  return new DiscordStandIn(server, rest, gateway, hub, injector, commands, limiter, { state, token, port });
}

export type { RouteMatcher, InjectedFailure, FailureInjection } from './failures.ts';
export type {
  AutocompleteInput,
  ComponentInput,
  InteractionContextInput,
  RawOption,
  SlashCommandInput,
  UploadInput,
} from './interactions.ts';
export type {
  AutocompleteChoice,
  InteractionCallbackRecord,
  InteractionEvent,
  InteractionHandle,
  InteractionReply,
} from './interaction-handle.ts';
export type { RecordedRequest } from './rest.ts';
export type { RateLimitWindow, RateLimitScope } from './ratelimit.ts';
export type { StoredCommand } from './commands.ts';
export type { GatewaySessionInfo } from './gateway.ts';
export type {
  AddChannelInput,
  AddGuildInput,
  AddMemberInput,
  AddRoleInput,
  ApiAttachment,
  ChannelAccess,
  ChannelRecord,
  GuildRecord,
  MemberRecord,
  RoleRecord,
  StoredFile,
  StoredMessage,
} from './state.ts';
export type { MentionResult } from './mentions.ts';
