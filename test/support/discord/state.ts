import {
  DEFAULT_BOT_ROLE_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  OverwriteType,
  PermissionBits,
  computePermissions,
  type PermissionOverwrite,
} from './permissions.ts';
import { resolveMentions, type MentionResult } from './mentions.ts';
import { snowflake } from './snowflake.ts';

/** Gateway intents the stand-in distinguishes when dispatching events. */
export const Intent = { Guilds: 1 << 0, GuildMessages: 1 << 9 } as const;

export type Dispatcher = (event: string, data: unknown, requiredIntent: number) => void;

export interface UserRecord {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface RoleRecord {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  botId?: string;
}

export interface MemberRecord {
  userId: string;
  roles: string[];
  joinedAt: string;
  nick?: string;
}

export interface ChannelRecord {
  id: string;
  guildId: string;
  name: string;
  type: number;
  position: number;
  topic?: string;
  parentId?: string;
  overwrites: PermissionOverwrite[];
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  locale: string;
  botRoleId: string;
  roles: Map<string, RoleRecord>;
  members: Map<string, MemberRecord>;
}

/** An uploaded file, kept with its bytes so tests can read exports back. */
export interface StoredFile {
  /** The attachment id Discord assigned. */
  id: string;
  name: string;
  contentType: string;
  data: Buffer;
  url: string;
  text(): string;
  json(): unknown;
}

export interface ApiAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
}

/**
 * A message as the stand-in remembers it: the API fields plus what tests care
 * about (the body exactly as sent, uploaded files, who it would ping).
 */
export interface StoredMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: ApiUser;
  timestamp: string;
  edited_timestamp: string | null;
  type: number;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: ApiAttachment[];
  flags: number;
  tts: boolean;
  allowed_mentions?: unknown;
  nonce?: string | number;
  enforce_nonce?: boolean;
  message_reference?: unknown;
  webhook_id?: string;
  application_id?: string;
  interaction_id?: string;
  /** Ephemeral interaction replies exist only for their user, never in channel history. */
  ephemeral: boolean;
  pings: MentionResult;
  files: StoredFile[];
  /** The JSON body of the create request, untouched. */
  body: Record<string, unknown>;
  /** Bodies of later edits, oldest first. */
  edits: Record<string, unknown>[];
}

export interface ApiUser {
  id: string;
  username: string;
  discriminator: string;
  global_name?: string;
  bot?: boolean;
  public_flags: number;
  flags: number;
}

export interface AddGuildInput {
  id?: string;
  name?: string;
  ownerId?: string;
  locale?: string;
  everyonePermissions?: bigint;
  botPermissions?: bigint;
}

export interface AddChannelInput {
  id?: string;
  name?: string;
  type?: number;
  topic?: string;
  parentId?: string;
  overwrites?: PermissionOverwrite[];
}

export interface AddRoleInput {
  id?: string;
  name?: string;
  permissions?: bigint;
  mentionable?: boolean;
  color?: number;
}

export interface AddMemberInput {
  userId?: string;
  username?: string;
  roles?: string[];
  nick?: string;
  bot?: boolean;
}

export interface ChannelAccess {
  view?: boolean;
  send?: boolean;
  embedLinks?: boolean;
  attachFiles?: boolean;
}

export class StandInState {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  /** Per channel, in creation order. */
  private readonly channelMessages = new Map<string, StoredMessage[]>();
  private readonly allMessages: StoredMessage[] = [];
  /** Uploaded files by attachment id, served back at their `url`. */
  readonly uploads = new Map<string, StoredFile>();
  /** `http://127.0.0.1:PORT`, known once the server listens; attachment URLs point here. */
  baseUrl = '';
  dispatch: Dispatcher = () => {};

  constructor(
    readonly botUser: UserRecord,
    readonly applicationId: string,
  ) {
    this.users.set(botUser.id, botUser);
  }

  ensureUser(id: string, username?: string, bot = false): UserRecord {
    let user = this.users.get(id);
    if (!user) {
      user = { id, username: username ?? `user${id.slice(-4)}`, ...(bot ? { bot: true } : {}) };
      this.users.set(id, user);
    }
    return user;
  }

  addGuild(input: AddGuildInput = {}): GuildRecord {
    const id = input.id ?? snowflake();
    const ownerId = input.ownerId ?? snowflake();
    this.ensureUser(ownerId, 'guildowner');
    const botRoleId = snowflake();
    const guild: GuildRecord = {
      id,
      name: input.name ?? `Guild ${id.slice(-4)}`,
      ownerId,
      joinedAt: new Date().toISOString(),
      locale: input.locale ?? 'en-US',
      botRoleId,
      roles: new Map(),
      members: new Map(),
    };
    guild.roles.set(id, {
      id,
      guildId: id,
      name: '@everyone',
      permissions: input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
    });
    // Bots join with a managed role named after them, carrying the invite's permissions.
    guild.roles.set(botRoleId, {
      id: botRoleId,
      guildId: id,
      name: this.botUser.username,
      permissions: input.botPermissions ?? DEFAULT_BOT_ROLE_PERMISSIONS,
      position: 1,
      color: 0,
      hoist: false,
      managed: true,
      mentionable: false,
      botId: this.botUser.id,
    });
    guild.members.set(ownerId, { userId: ownerId, roles: [], joinedAt: guild.joinedAt });
    guild.members.set(this.botUser.id, { userId: this.botUser.id, roles: [botRoleId], joinedAt: guild.joinedAt });
    this.guilds.set(id, guild);
    this.dispatch('GUILD_CREATE', this.guildCreatePayload(guild), Intent.Guilds);
    return guild;
  }

  removeGuild(guildId: string): void {
    const guild = this.requireGuild(guildId);
    for (const channel of this.guildChannels(guild.id)) this.channels.delete(channel.id);
    this.guilds.delete(guild.id);
    this.dispatch('GUILD_DELETE', { id: guild.id }, Intent.Guilds);
  }

  addChannel(guildId: string, input: AddChannelInput = {}): ChannelRecord {
    const guild = this.requireGuild(guildId);
    const id = input.id ?? snowflake();
    const channel: ChannelRecord = {
      id,
      guildId: guild.id,
      name: input.name ?? `channel-${id.slice(-4)}`,
      type: input.type ?? 0,
      position: this.guildChannels(guild.id).length,
      overwrites: input.overwrites ?? [],
      ...(input.topic === undefined ? {} : { topic: input.topic }),
      ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
    };
    this.channels.set(id, channel);
    this.dispatch('CHANNEL_CREATE', this.channelToApi(channel), Intent.Guilds);
    return channel;
  }

  removeChannel(channelId: string): void {
    const channel = this.requireChannel(channelId);
    this.channels.delete(channel.id);
    this.dispatch('CHANNEL_DELETE', this.channelToApi(channel), Intent.Guilds);
  }

  addRole(guildId: string, input: AddRoleInput = {}): RoleRecord {
    const guild = this.requireGuild(guildId);
    const id = input.id ?? snowflake();
    const role: RoleRecord = {
      id,
      guildId: guild.id,
      name: input.name ?? `role-${id.slice(-4)}`,
      permissions: input.permissions ?? 0n,
      position: guild.roles.size,
      color: input.color ?? 0,
      hoist: false,
      managed: false,
      mentionable: input.mentionable ?? false,
    };
    guild.roles.set(id, role);
    this.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: this.roleToApi(role) }, Intent.Guilds);
    return role;
  }

  addMember(guildId: string, input: AddMemberInput = {}): MemberRecord {
    const guild = this.requireGuild(guildId);
    const userId = input.userId ?? snowflake();
    this.ensureUser(userId, input.username, input.bot ?? false);
    const existing = guild.members.get(userId);
    if (existing) {
      if (input.roles) existing.roles = input.roles;
      return existing;
    }
    const member: MemberRecord = {
      userId,
      roles: input.roles ?? [],
      joinedAt: new Date().toISOString(),
      ...(input.nick === undefined ? {} : { nick: input.nick }),
    };
    guild.members.set(userId, member);
    return member;
  }

  /**
   * Expressed as a member overwrite for the bot, so the client's own
   * `permissionsFor()` sees the same thing the REST checks enforce.
   */
  setChannelAccess(channelId: string, access: ChannelAccess): void {
    const channel = this.requireChannel(channelId);
    const bits: [keyof ChannelAccess, bigint][] = [
      ['view', PermissionBits.ViewChannel],
      ['send', PermissionBits.SendMessages],
      ['embedLinks', PermissionBits.EmbedLinks],
      ['attachFiles', PermissionBits.AttachFiles],
    ];
    let overwrite = channel.overwrites.find((o) => o.type === OverwriteType.Member && o.id === this.botUser.id);
    if (!overwrite) {
      overwrite = { id: this.botUser.id, type: OverwriteType.Member, allow: 0n, deny: 0n };
      channel.overwrites.push(overwrite);
    }
    for (const [key, bit] of bits) {
      const value = access[key];
      if (value === undefined) continue;
      overwrite.allow = value ? overwrite.allow | bit : overwrite.allow & ~bit;
      overwrite.deny = value ? overwrite.deny & ~bit : overwrite.deny | bit;
    }
    this.dispatch('CHANNEL_UPDATE', this.channelToApi(channel), Intent.Guilds);
  }

  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.guildId === guildId);
  }

  requireGuild(guildId: string): GuildRecord {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`Discord stand-in: no guild ${guildId}; add it with addGuild() first`);
    return guild;
  }

  requireChannel(channelId: string): ChannelRecord {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`Discord stand-in: no channel ${channelId}; add it with addChannel() first`);
    return channel;
  }

  permissionsIn(channelId: string, userId: string, extraRoleIds: readonly string[] = []): bigint {
    const channel = this.requireChannel(channelId);
    const guild = this.requireGuild(channel.guildId);
    return computePermissions(this.subject(guild, userId, extraRoleIds), channel.overwrites);
  }

  guildPermissions(guildId: string, userId: string): bigint {
    const guild = this.requireGuild(guildId);
    return computePermissions(this.subject(guild, userId, []), []);
  }

  private subject(guild: GuildRecord, userId: string, extraRoleIds: readonly string[]) {
    const member = guild.members.get(userId);
    return {
      guildId: guild.id,
      ownerId: guild.ownerId,
      userId,
      roleIds: [...(member?.roles ?? []), ...extraRoleIds],
      rolePermissions: (roleId: string) => guild.roles.get(roleId)?.permissions,
    };
  }

  // ---- messages -------------------------------------------------------------

  storeMessage(message: StoredMessage): void {
    let list = this.channelMessages.get(message.channel_id);
    if (!list) {
      list = [];
      this.channelMessages.set(message.channel_id, list);
    }
    list.push(message);
    this.allMessages.push(message);
    if (!message.ephemeral) this.dispatch('MESSAGE_CREATE', this.messageToApi(message), Intent.GuildMessages);
  }

  messages(channelId?: string): StoredMessage[] {
    const list = channelId === undefined ? this.allMessages : (this.channelMessages.get(channelId) ?? []);
    return list.filter((m) => !m.ephemeral);
  }

  /** Including ephemeral interaction replies, which only the invoking user would see. */
  allMessagesIncludingEphemeral(): StoredMessage[] {
    return [...this.allMessages];
  }

  findMessage(channelId: string, messageId: string): StoredMessage | undefined {
    return this.channelMessages.get(channelId)?.find((m) => m.id === messageId);
  }

  findMessageAnywhere(messageId: string): StoredMessage | undefined {
    return this.allMessages.find((m) => m.id === messageId);
  }

  deleteMessage(message: StoredMessage): void {
    const list = this.channelMessages.get(message.channel_id);
    if (list) list.splice(list.indexOf(message), 1);
    this.allMessages.splice(this.allMessages.indexOf(message), 1);
    if (!message.ephemeral) {
      const guildId = this.channels.get(message.channel_id)?.guildId;
      this.dispatch(
        'MESSAGE_DELETE',
        { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) },
        Intent.GuildMessages,
      );
    }
  }

  findByNonce(channelId: string, authorId: string, nonce: string | number, windowMs: number): StoredMessage | undefined {
    const since = Date.now() - windowMs;
    return this.channelMessages
      .get(channelId)
      ?.find((m) => m.author.id === authorId && m.nonce === nonce && Date.parse(m.timestamp) >= since);
  }

  computePings(content: string, allowedMentions: unknown): MentionResult {
    return resolveMentions(content, allowedMentions);
  }

  // ---- API shapes -----------------------------------------------------------

  userToApi(user: UserRecord): ApiUser {
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      ...(user.globalName === undefined ? {} : { global_name: user.globalName }),
      ...(user.bot ? { bot: true } : {}),
      public_flags: 0,
      flags: 0,
    };
  }

  roleToApi(role: RoleRecord): Record<string, unknown> {
    return {
      id: role.id,
      name: role.name,
      color: role.color,
      colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
      hoist: role.hoist,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.managed,
      mentionable: role.mentionable,
      flags: 0,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  memberToApi(guild: GuildRecord, member: MemberRecord): Record<string, unknown> {
    const user = this.ensureUser(member.userId);
    return {
      user: this.userToApi(user),
      roles: member.roles,
      joined_at: member.joinedAt,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      ...(member.nick === undefined ? {} : { nick: member.nick }),
    };
  }

  channelToApi(channel: ChannelRecord, includeGuildId = true): Record<string, unknown> {
    return {
      id: channel.id,
      type: channel.type,
      ...(includeGuildId ? { guild_id: channel.guildId } : {}),
      name: channel.name,
      position: channel.position,
      permission_overwrites: channel.overwrites.map((o) => ({
        id: o.id,
        type: o.type,
        allow: o.allow.toString(),
        deny: o.deny.toString(),
      })),
      nsfw: false,
      flags: 0,
      rate_limit_per_user: 0,
      parent_id: channel.parentId ?? null,
      ...(channel.topic === undefined ? {} : { topic: channel.topic }),
      ...(this.lastMessageId(channel.id) ? { last_message_id: this.lastMessageId(channel.id) } : {}),
    };
  }

  private lastMessageId(channelId: string): string | undefined {
    return this.messages(channelId).at(-1)?.id;
  }

  guildToApi(guild: GuildRecord): Record<string, unknown> {
    const firstText = this.guildChannels(guild.id).find((c) => c.type === 0);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      nsfw: false,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      system_channel_id: firstText?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      preferred_locale: guild.locale,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      features: [],
      emojis: [],
      stickers: [],
      roles: [...guild.roles.values()].map((r) => this.roleToApi(r)),
    };
  }

  guildCreatePayload(guild: GuildRecord): Record<string, unknown> {
    return {
      ...this.guildToApi(guild),
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      // Only the bot itself: without the privileged members intent Discord sends nobody else.
      members: [...guild.members.values()]
        .filter((m) => m.userId === this.botUser.id)
        .map((m) => this.memberToApi(guild, m)),
      // Real GUILD_CREATE channels carry no guild_id; discord.js fills it in.
      channels: this.guildChannels(guild.id).map((c) => this.channelToApi(c, false)),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  messageToApi(message: StoredMessage): Record<string, unknown> {
    return {
      id: message.id,
      type: message.type,
      content: message.content,
      channel_id: message.channel_id,
      author: message.author,
      attachments: message.attachments,
      embeds: message.embeds,
      mentions: message.pings.users.map((id) => this.userToApi(this.ensureUser(id))),
      mention_roles: message.pings.roles,
      mention_everyone: message.pings.everyone,
      pinned: false,
      tts: message.tts,
      timestamp: message.timestamp,
      edited_timestamp: message.edited_timestamp,
      flags: message.flags,
      components: message.components,
      ...(message.nonce === undefined ? {} : { nonce: message.nonce }),
      ...(message.guild_id === undefined ? {} : { guild_id: message.guild_id }),
      ...(message.webhook_id === undefined ? {} : { webhook_id: message.webhook_id }),
      ...(message.application_id === undefined ? {} : { application_id: message.application_id }),
      ...(message.message_reference === undefined ? {} : { message_reference: message.message_reference }),
    };
  }
}
