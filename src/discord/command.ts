import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ClientEvents,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Context } from '../context.ts';

/** A file in commands/: its registration JSON and its handlers. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<void>;
  /** Buttons whose custom id starts with `<command name>:` come back to their command. */
  button?(interaction: ButtonInteraction, ctx: Context): Promise<void>;
}

/** A file in events/: one gateway event and what to do with it. */
export interface EventHandler<Name extends keyof ClientEvents = keyof ClientEvents> {
  name: Name;
  once?: boolean;
  execute(ctx: Context, ...args: ClientEvents[Name]): Promise<void> | void;
}

export function isCommand(value: unknown): value is Command {
  const candidate = value as Partial<Command> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.data === 'object' &&
    candidate.data !== null &&
    typeof candidate.data.name === 'string' &&
    typeof candidate.execute === 'function'
  );
}

export function isEventHandler(value: unknown): value is EventHandler {
  const candidate = value as Partial<EventHandler> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.execute === 'function'
  );
}
