import { snowflake } from './snowflake.ts';

export interface StoredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  version: string;
  type: number;
  name: string;
  description: string;
  default_member_permissions: string | null;
  nsfw: boolean;
  integration_types: number[];
  options?: unknown[];
  contexts?: number[] | null;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  /** The body as the bot sent it. */
  body: Record<string, unknown>;
}

const GLOBAL = 'global';

/**
 * Registered commands per scope (global or a guild). A bulk overwrite keeps the
 * id of a command whose name and type survive, as Discord does, so a redeploy
 * does not orphan permissions configured on it.
 */
export class CommandStore {
  private readonly scopes = new Map<string, StoredCommand[]>();
  /** Every PUT/POST that reached the store, for tests that count deploys. */
  readonly writes: { guildId?: string; at: number; count: number }[] = [];

  constructor(private readonly applicationId: string) {}

  list(guildId?: string): StoredCommand[] {
    return [...(this.scopes.get(guildId ?? GLOBAL) ?? [])];
  }

  replaceAll(guildId: string | undefined, bodies: Record<string, unknown>[]): StoredCommand[] {
    const previous = this.list(guildId);
    const next = bodies.map((body) => {
      const type = typeof body.type === 'number' ? body.type : 1;
      const old = previous.find((c) => c.name === body.name && c.type === type);
      return this.toStored(guildId, body, old);
    });
    this.scopes.set(guildId ?? GLOBAL, next);
    this.writes.push({ ...(guildId === undefined ? {} : { guildId }), at: Date.now(), count: next.length });
    return next;
  }

  upsert(guildId: string | undefined, body: Record<string, unknown>): { command: StoredCommand; created: boolean } {
    const list = this.list(guildId);
    const type = typeof body.type === 'number' ? body.type : 1;
    const index = list.findIndex((c) => c.name === body.name && c.type === type);
    const command = this.toStored(guildId, body, index >= 0 ? list[index] : undefined);
    if (index >= 0) list[index] = command;
    else list.push(command);
    this.scopes.set(guildId ?? GLOBAL, list);
    this.writes.push({ ...(guildId === undefined ? {} : { guildId }), at: Date.now(), count: 1 });
    return { command, created: index < 0 };
  }

  remove(guildId: string | undefined, commandId: string): boolean {
    const list = this.list(guildId);
    const next = list.filter((c) => c.id !== commandId);
    this.scopes.set(guildId ?? GLOBAL, next);
    return next.length !== list.length;
  }

  /** Guild commands shadow global ones of the same name, as in the Discord client. */
  find(name: string, guildId?: string): StoredCommand | undefined {
    const inGuild = guildId === undefined ? undefined : this.list(guildId).find((c) => c.name === name && c.type === 1);
    return inGuild ?? this.list().find((c) => c.name === name && c.type === 1);
  }

  toApi(command: StoredCommand): Record<string, unknown> {
    const { body: _body, ...api } = command;
    return api;
  }

  private toStored(guildId: string | undefined, body: Record<string, unknown>, old: StoredCommand | undefined): StoredCommand {
    const perms = body.default_member_permissions;
    return {
      id: old?.id ?? snowflake(),
      application_id: this.applicationId,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
      version: snowflake(),
      type: typeof body.type === 'number' ? body.type : 1,
      name: String(body.name),
      description: typeof body.description === 'string' ? body.description : '',
      default_member_permissions: typeof perms === 'string' ? perms : null,
      nsfw: body.nsfw === true,
      integration_types: Array.isArray(body.integration_types) ? (body.integration_types as number[]) : [0],
      ...(Array.isArray(body.options) && body.options.length > 0 ? { options: body.options as unknown[] } : {}),
      ...(Array.isArray(body.contexts) ? { contexts: body.contexts as number[] } : {}),
      ...(isRecord(body.name_localizations) ? { name_localizations: body.name_localizations as Record<string, string> } : {}),
      ...(isRecord(body.description_localizations)
        ? { description_localizations: body.description_localizations as Record<string, string> }
        : {}),
      body,
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
