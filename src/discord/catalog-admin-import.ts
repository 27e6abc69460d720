import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog-service.ts';
import type { ImportPlan } from '../catalog/import-plan.ts';
import { MAX_IMPORT_BYTES, formatBytes } from '../catalog/limits.ts';
import { UserError } from '../errors.ts';

/**
 * `/catalog import`: download the uploaded file, plan it, and, once the moderator
 * confirms, apply that same plan. Nothing is kept between the two steps: the preview's
 * button carries the catalog revision and a digest of the file, the preview itself links
 * the file, and confirming downloads it again. So a restart between the steps, or the
 * other process of two answering the click, changes nothing, and a plan made against an
 * older revision is refused because the revision no longer matches.
 */

const NOTHING_CHANGED = 'Nothing was imported; the catalog is unchanged.';

export interface AttachmentRef {
  url: string;
  name: string;
  /** As Discord reports it; checked before downloading anything. */
  size: number;
}

export interface DownloadOptions {
  maxBytes?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const DOWNLOAD_TIMEOUT_MS = 15_000;

function tooLarge(size: string, maxBytes: number): never {
  throw new UserError(`That file is ${size}; a catalog file may be at most ${formatBytes(maxBytes)}.\n${NOTHING_CHANGED}`);
}

/**
 * The file's text. Attachments come from Discord's own CDN, so this is a plain download
 * (no feed address guard), bounded in size and time, and strict about UTF-8.
 */
export async function downloadAttachment(file: AttachmentRef, options: DownloadOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  if (file.size > maxBytes) tooLarge(formatBytes(file.size), maxBytes);
  if (!/^https?:\/\//i.test(file.url)) throw new UserError('That attachment has no address I can download; upload the file again.');

  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(file.url, { signal: AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'it took too long' : 'the download failed';
    throw new UserError(`I could not download ${file.name} (${reason}). Try the import again.\n${NOTHING_CHANGED}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new UserError(`I could not download ${file.name} (HTTP ${response.status}). Upload it again.\n${NOTHING_CHANGED}`);
  }

  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        tooLarge(`over ${formatBytes(maxBytes)}`, maxBytes);
      }
      chunks.push(value);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UserError(`${file.name} is not UTF-8 text; save it as UTF-8 JSON (the format /catalog export gives).\n${NOTHING_CHANGED}`);
  }
}

/** Identifies the file a preview was made from, short enough for a button's custom id. */
export function fileDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export const IMPORT_CONFIRM = 'catalog:import-confirm';
export const IMPORT_CANCEL = 'catalog:import-cancel';

/** `catalog:import-confirm:<revision>:<digest>`: at most 23 + 1 + 36 + 1 + 16 = 77 of the 100 characters allowed. */
export function confirmButtonId(plan: ImportPlan, digest: string): string {
  return `${IMPORT_CONFIRM}:${plan.baseRevision}:${digest}`;
}

export function parseConfirmButtonId(customId: string): { revision: string; digest: string } | undefined {
  if (!customId.startsWith(`${IMPORT_CONFIRM}:`)) return undefined;
  const [revision, digest, ...rest] = customId.slice(IMPORT_CONFIRM.length + 1).split(':');
  if (!revision || !digest || rest.length > 0) return undefined;
  return { revision, digest };
}

export interface PlannedImport {
  plan: ImportPlan;
  digest: string;
}

/** Downloads and checks the whole file against the current catalog; writes nothing. */
export async function planFromAttachment(catalog: Catalog, guildId: string, file: AttachmentRef, options?: DownloadOptions): Promise<PlannedImport> {
  const text = await downloadAttachment(file, options);
  return { plan: await catalog.planImport(guildId, text), digest: fileDigest(text) };
}

/**
 * The confirm button: the same file, planned against the revision the preview showed,
 * applied all at once. Refused when the catalog changed since (an edit, another import)
 * or the file is no longer the one previewed.
 */
export async function confirmImport(
  catalog: Catalog,
  guildId: string,
  customId: string,
  file: AttachmentRef | undefined,
  options?: DownloadOptions,
): Promise<ImportPlan> {
  const expected = parseConfirmButtonId(customId);
  if (!expected || !file) throw new UserError('This import preview is no longer usable. Run /catalog import again.');
  const { plan, digest } = await planFromAttachment(catalog, guildId, file, options);
  if (plan.baseRevision !== expected.revision) {
    throw new UserError(
      `The catalog changed since this preview (an edit or another import), so nothing was imported. Run /catalog import again to see what the file would change now.`,
    );
  }
  if (digest !== expected.digest) {
    throw new UserError(`${file.name} is not the file this preview was made from, so nothing was imported. Run /catalog import again.`);
  }
  await catalog.applyImport(guildId, plan);
  return plan;
}
