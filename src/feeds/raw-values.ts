// Reading the values xml2js gives (with keepArray): strings, `{ _: text, $: attributes }`,
// nested objects, or arrays of those.

export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The text of an element: a string, or `_` of an element that also has attributes. */
export function textOf(value: unknown): string | undefined {
  const node = first(value);
  if (typeof node === 'string') return node;
  const text = asObject(node)?.['_'];
  return typeof text === 'string' ? text : undefined;
}

/** The attributes of an element (`$`). */
export function attributesOf(value: unknown): Readonly<Record<string, string>> {
  return stringRecord(asObject(first(value))?.['$']);
}

const NONE: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The string values of an object. xml2js gives attributes as strings only, so such an
 * object is returned as it is (read, never written): this runs for every element read.
 */
export function stringRecord(value: unknown): Readonly<Record<string, string>> {
  const object = asObject(value);
  if (!object) return NONE;
  for (const key in object) {
    if (typeof object[key] !== 'string') return onlyStrings(object);
  }
  return object as Record<string, string>;
}

function onlyStrings(object: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(object)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

export function hasChildElements(node: unknown): boolean {
  const object = asObject(node);
  return object !== undefined && Object.keys(object).some((key) => key !== '_' && key !== '$');
}
