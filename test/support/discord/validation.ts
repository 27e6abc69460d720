/**
 * Discord's payload limits, answered the way Discord answers them: 400 with
 * code 50035 and an `errors` tree whose leaves are `_errors` arrays.
 */

export type ErrorPath = readonly (string | number)[];

export interface FieldError {
  code: string;
  message: string;
}

export class FormErrors {
  private readonly tree: Record<string, unknown> = {};
  private count = 0;

  add(path: ErrorPath, code: string, message: string): void {
    let node = this.tree;
    for (const segment of path) {
      const key = String(segment);
      let child = node[key] as Record<string, unknown> | undefined;
      if (!child) {
        child = {};
        node[key] = child;
      }
      node = child;
    }
    const list = (node._errors as FieldError[] | undefined) ?? [];
    list.push({ code, message });
    node._errors = list;
    this.count += 1;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  toJSON(): Record<string, unknown> {
    return this.tree;
  }
}

/** Discord's API is Python: limits count code points, so an emoji is one character. */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maxLength(errors: FormErrors, path: ErrorPath, value: unknown, max: number, required = false): number {
  if (value === undefined || value === null) {
    if (required) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  if (typeof value !== 'string') {
    errors.add(path, 'BASE_TYPE_BAD_TYPE', 'Must be a string.');
    return 0;
  }
  const length = charLength(value);
  if (required && length === 0) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  if (length > max) errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return length;
}

function maxItems(errors: FormErrors, path: ErrorPath, value: unknown[], max: number): void {
  if (value.length > max) errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

function checkUrl(errors: FormErrors, path: ErrorPath, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !/^(https?|attachment):\/\/\S+$/.test(value) || !URL.canParse(value)) {
    errors.add(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
  }
}

export const MESSAGE_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  nonce: 25,
  files: 10,
  components: 5,
} as const;

function validateEmbed(errors: FormErrors, path: ErrorPath, embed: unknown): number {
  if (!isRecord(embed)) {
    errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return 0;
  }
  let total = 0;
  total += maxLength(errors, [...path, 'title'], embed.title, MESSAGE_LIMITS.title);
  total += maxLength(errors, [...path, 'description'], embed.description, MESSAGE_LIMITS.description);
  checkUrl(errors, [...path, 'url'], embed.url);
  if (embed.color !== undefined && embed.color !== null) {
    if (typeof embed.color !== 'number' || !Number.isInteger(embed.color) || embed.color < 0 || embed.color > 0xffffff) {
      errors.add([...path, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
  }
  if (embed.timestamp !== undefined && embed.timestamp !== null) {
    if (typeof embed.timestamp !== 'string' || Number.isNaN(Date.parse(embed.timestamp))) {
      errors.add([...path, 'timestamp'], 'DATE_TYPE_PARSE', 'Could not parse timestamp. Should be ISO8601.');
    }
  }
  if (embed.footer !== undefined) {
    if (isRecord(embed.footer)) {
      total += maxLength(errors, [...path, 'footer', 'text'], embed.footer.text, MESSAGE_LIMITS.footer, true);
      checkUrl(errors, [...path, 'footer', 'icon_url'], embed.footer.icon_url);
    }
  }
  if (embed.author !== undefined) {
    if (isRecord(embed.author)) {
      total += maxLength(errors, [...path, 'author', 'name'], embed.author.name, MESSAGE_LIMITS.authorName, true);
      checkUrl(errors, [...path, 'author', 'url'], embed.author.url);
      checkUrl(errors, [...path, 'author', 'icon_url'], embed.author.icon_url);
    }
  }
  for (const key of ['image', 'thumbnail'] as const) {
    const media = embed[key];
    if (isRecord(media)) checkUrl(errors, [...path, key, 'url'], media.url);
  }
  if (embed.fields !== undefined) {
    if (!Array.isArray(embed.fields)) {
      errors.add([...path, 'fields'], 'BASE_TYPE_BAD_TYPE', 'Must be an array.');
    } else {
      maxItems(errors, [...path, 'fields'], embed.fields, MESSAGE_LIMITS.fields);
      embed.fields.forEach((field: unknown, i) => {
        const fieldPath = [...path, 'fields', i];
        if (!isRecord(field)) {
          errors.add(fieldPath, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        total += maxLength(errors, [...fieldPath, 'name'], field.name, MESSAGE_LIMITS.fieldName, true);
        total += maxLength(errors, [...fieldPath, 'value'], field.value, MESSAGE_LIMITS.fieldValue, true);
      });
    }
  }
  return total;
}

export interface MessageCheckOptions {
  /** Creating needs *something* to show; an edit may change a single field. */
  requireSomething: boolean;
  fileCount: number;
}

export interface MessageCheckResult {
  errors: FormErrors;
  /** Set when the body is well formed but has nothing to display (code 50006). */
  empty: boolean;
}

export function checkMessageBody(
  body: Record<string, unknown>,
  options: MessageCheckOptions,
  prefix: ErrorPath = [],
  errors: FormErrors = new FormErrors(),
): MessageCheckResult {
  const at = (...path: (string | number)[]): ErrorPath => [...prefix, ...path];
  maxLength(errors, at('content'), body.content, MESSAGE_LIMITS.content);

  let embedCount = 0;
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) {
      errors.add(at('embeds'), 'BASE_TYPE_BAD_TYPE', 'Must be an array.');
    } else {
      embedCount = body.embeds.length;
      maxItems(errors, at('embeds'), body.embeds, MESSAGE_LIMITS.embeds);
      let total = 0;
      body.embeds.forEach((embed: unknown, i) => {
        total += validateEmbed(errors, at('embeds', i), embed);
      });
      if (total > MESSAGE_LIMITS.embedTotal) {
        errors.add(at('embeds'), 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${MESSAGE_LIMITS.embedTotal}`);
      }
    }
  }

  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === 'string') {
      maxLength(errors, at('nonce'), body.nonce, MESSAGE_LIMITS.nonce);
    } else if (typeof body.nonce !== 'number' || !Number.isInteger(body.nonce)) {
      errors.add(at('nonce'), 'BASE_TYPE_BAD_TYPE', 'Must be a string or an integer.');
    }
  }
  if (body.enforce_nonce === true && (body.nonce === undefined || body.nonce === null)) {
    errors.add(at('nonce'), 'BASE_TYPE_REQUIRED', 'This field is required when enforce_nonce is set');
  }

  const allowed = body.allowed_mentions;
  if (allowed !== undefined && allowed !== null) {
    if (!isRecord(allowed)) {
      errors.add(at('allowed_mentions'), 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    } else {
      const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
      parse.forEach((value: unknown, i) => {
        if (value !== 'roles' && value !== 'users' && value !== 'everyone') {
          errors.add(at('allowed_mentions', 'parse', i), 'BASE_TYPE_CHOICES', 'Value must be one of {"roles", "users", "everyone"}.');
        }
      });
      for (const kind of ['roles', 'users'] as const) {
        const list = allowed[kind];
        if (!Array.isArray(list)) continue;
        maxItems(errors, at('allowed_mentions', kind), list, 100);
        if (list.length > 0 && parse.includes(kind)) {
          errors.add(
            at('allowed_mentions'),
            'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
            `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
          );
        }
      }
    }
  }

  if (Array.isArray(body.components)) maxItems(errors, at('components'), body.components, MESSAGE_LIMITS.components);
  if (options.fileCount > MESSAGE_LIMITS.files) {
    errors.add(at('files'), 'BASE_TYPE_MAX_LENGTH', `Must be ${MESSAGE_LIMITS.files} or fewer in length.`);
  }

  const hasContent = typeof body.content === 'string' && body.content.trim().length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
  const empty =
    options.requireSomething &&
    !hasContent &&
    embedCount === 0 &&
    options.fileCount === 0 &&
    !hasComponents &&
    !hasStickers &&
    body.poll === undefined;
  return { errors, empty };
}

// ---- application commands ---------------------------------------------------

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OptionType = { Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Number: 10, Attachment: 11 } as const;

function checkName(errors: FormErrors, path: ErrorPath, name: unknown, chatInput: boolean): void {
  if (typeof name !== 'string' || name.length === 0) {
    errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (charLength(name) > 32) {
    errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    return;
  }
  if (chatInput && (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase())) {
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function checkDescription(errors: FormErrors, path: ErrorPath, description: unknown): void {
  if (typeof description !== 'string' || description.length === 0) {
    errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (charLength(description) > 100) errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
}

function checkChoices(errors: FormErrors, path: ErrorPath, choices: unknown): void {
  if (choices === undefined || choices === null) return;
  if (!Array.isArray(choices)) {
    errors.add(path, 'BASE_TYPE_BAD_TYPE', 'Must be an array.');
    return;
  }
  maxItems(errors, path, choices, 25);
  choices.forEach((choice: unknown, i) => {
    if (!isRecord(choice)) {
      errors.add([...path, i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const name = choice.name;
    if (typeof name !== 'string' || name.length === 0 || charLength(name) > 100) {
      errors.add([...path, i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    const value = choice.value;
    if (typeof value === 'string') {
      if (charLength(value) > 100) errors.add([...path, i, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    } else if (typeof value !== 'number') {
      errors.add([...path, i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
  });
}

function checkOptions(errors: FormErrors, path: ErrorPath, options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errors.add(path, 'BASE_TYPE_BAD_TYPE', 'Must be an array.');
    return;
  }
  maxItems(errors, path, options, 25);
  const names = new Set<string>();
  let sawOptional = false;
  let sawSub = false;
  let sawPlain = false;
  options.forEach((option: unknown, i) => {
    const at = [...path, i];
    if (!isRecord(option)) {
      errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = option.type;
    if (typeof type !== 'number' || type < 1 || type > 11) {
      errors.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).');
      return;
    }
    checkName(errors, [...at, 'name'], option.name, true);
    checkDescription(errors, [...at, 'description'], option.description);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      }
      names.add(option.name);
    }
    const isSub = type === OptionType.Subcommand || type === OptionType.SubcommandGroup;
    if (isSub) sawSub = true;
    else sawPlain = true;
    if (type === OptionType.SubcommandGroup && depth > 0) {
      errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommand groups cannot be nested');
    }
    if (type === OptionType.Subcommand && depth > 1) {
      errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommands cannot be nested');
    }
    if (isSub) {
      checkOptions(errors, [...at, 'options'], option.options, type === OptionType.SubcommandGroup ? depth + 1 : 2);
      if (type === OptionType.SubcommandGroup && Array.isArray(option.options)) {
        option.options.forEach((child: unknown, j) => {
          if (isRecord(child) && child.type !== OptionType.Subcommand) {
            errors.add([...at, 'options', j, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommand groups may only contain subcommands');
          }
        });
      }
      return;
    }
    if (option.required === true && sawOptional) {
      errors.add(at, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) sawOptional = true;
    checkChoices(errors, [...at, 'choices'], option.choices);
    if (option.autocomplete === true && Array.isArray(option.choices) && option.choices.length > 0) {
      errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID', 'Autocomplete cannot be set with choices');
    }
  });
  if (sawSub && sawPlain) {
    errors.add(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
  }
}

export function checkCommand(errors: FormErrors, path: ErrorPath, command: unknown): void {
  if (!isRecord(command)) {
    errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const type = command.type ?? 1;
  const chatInput = type === 1;
  checkName(errors, [...path, 'name'], command.name, chatInput);
  if (chatInput) {
    checkDescription(errors, [...path, 'description'], command.description);
    checkOptions(errors, [...path, 'options'], command.options, 0);
  } else if (typeof command.description === 'string' && command.description.length > 0) {
    errors.add([...path, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have description');
  }
  const perms = command.default_member_permissions;
  if (perms !== undefined && perms !== null && (typeof perms !== 'string' || !/^\d+$/.test(perms))) {
    errors.add([...path, 'default_member_permissions'], 'BASE_TYPE_BAD_TYPE', 'Must be a string of a permission bitfield.');
  }
}

export function checkCommandList(list: unknown): FormErrors {
  const errors = new FormErrors();
  if (!Array.isArray(list)) {
    errors.add([], 'BASE_TYPE_BAD_TYPE', 'Must be an array.');
    return errors;
  }
  const seen = new Set<string>();
  const perType = new Map<number, number>();
  list.forEach((command: unknown, i) => {
    checkCommand(errors, [i], command);
    if (!isRecord(command)) return;
    const type = typeof command.type === 'number' ? command.type : 1;
    perType.set(type, (perType.get(type) ?? 0) + 1);
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    seen.add(key);
  });
  const chatInputCount = perType.get(1) ?? 0;
  if (chatInputCount > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer chat input commands.');
  return errors;
}

export function checkAutocompleteChoices(data: unknown): FormErrors {
  const errors = new FormErrors();
  if (!isRecord(data)) {
    errors.add(['data'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return errors;
  }
  if (!Array.isArray(data.choices)) {
    errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return errors;
  }
  checkChoices(errors, ['data', 'choices'], data.choices);
  return errors;
}
