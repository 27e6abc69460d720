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
export function attributesOf(value: unknown): Record<string, string> {
  return stringRecord(asObject(first(value))?.['$']);
}

export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObject(value) ?? {})) if (typeof entry === 'string') out[key] = entry;
  return out;
}

export function hasChildElements(node: unknown): boolean {
  const object = asObject(node);
  return object !== undefined && Object.keys(object).some((key) => key !== '_' && key !== '$');
}
