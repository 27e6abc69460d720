import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCommand, isEventHandler, type Command, type EventHandler } from './command.ts';

const root = new URL('../../', import.meta.url);
export const COMMANDS_DIR = fileURLToPath(new URL('commands/', root));
export const EVENTS_DIR = fileURLToPath(new URL('events/', root));

async function importAll(dir: string): Promise<Array<{ file: string; value: unknown }>> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      value: ((await import(pathToFileURL(`${dir}${file}`).href)) as { default?: unknown }).default,
    })),
  );
}

/** The folder is the one list of commands: the bot and the deploy script both read it here. */
export async function loadCommands(dir = COMMANDS_DIR): Promise<Map<string, Command>> {
  const commands = new Map<string, Command>();
  for (const { file, value } of await importAll(dir)) {
    if (!isCommand(value)) throw new Error(`${file}: its default export is not a command ({ data, execute })`);
    const clash = commands.get(value.data.name);
    if (clash) throw new Error(`${file}: a second command named "${value.data.name}"`);
    commands.set(value.data.name, value);
  }
  return commands;
}

export async function loadEvents(dir = EVENTS_DIR): Promise<EventHandler[]> {
  const events: EventHandler[] = [];
  for (const { file, value } of await importAll(dir)) {
    if (!isEventHandler(value)) throw new Error(`${file}: its default export is not an event handler ({ name, execute })`);
    events.push(value);
  }
  return events;
}
