/**
 * How big one server's catalog may grow. The whole catalog is one stored document that
 * every edit rewrites and every autocomplete index is built from, so it stays small
 * enough to read and write in a few milliseconds.
 */
export const MAX_CATALOG_BYTES = 2 * 1024 * 1024;

/**
 * An import file is the exported form: pretty-printed, so larger than the stored
 * document it becomes. Checked before parsing so an oversized upload costs nothing.
 */
export const MAX_IMPORT_BYTES = 2 * MAX_CATALOG_BYTES;

/** Rounded up, so a size just over a limit never reads the same as the limit. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
