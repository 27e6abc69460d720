import { UserError } from '../errors.ts';
import { CATALOG_FORMAT_VERSION, catalogFile, type CatalogFile } from './schema.ts';
import { checkCatalog } from './integrity.ts';
import { listProblems, problemsFromZod } from './issues.ts';
import { locateSyntaxError, syntaxReason } from './json-syntax.ts';
import { MAX_IMPORT_BYTES, formatBytes } from './limits.ts';

/**
 * The catalog as a file moderators download, edit and upload again: the stored shape,
 * pretty-printed, with the format version first so a future format can tell it apart.
 */
export function exportCatalog(catalog: CatalogFile): string {
  const { artists, quotes, releases } = catalog;
  return `${JSON.stringify({ version: CATALOG_FORMAT_VERSION, artists, quotes, releases }, null, 2)}\n`;
}

/**
 * The file with every `null` field left out. Editors and scripts write `"birthday": null`
 * for "not known", which is what leaving the field out means; a required field written
 * as null then reads as missing. Nulls inside lists are kept, and refused by the schema.
 */
function withoutNulls(value: unknown, depth = 0): unknown {
  // A catalog is a few levels deep (file, list, entry, list, object); anything deeper is
  // refused by the schema as it is, and must not cost a stack overflow first.
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((inner) => withoutNulls(inner, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== null)
      .map(([key, inner]) => [key, withoutNulls(inner, depth + 1)]),
  );
}

const MAX_DEPTH = 8;

const NOTHING_CHANGED = 'Nothing was imported; the catalog is unchanged.';

function refuse(reason: string): never {
  throw new UserError(`${reason}\n${NOTHING_CHANGED}`);
}

/**
 * Reads an uploaded catalog file and checks all of it — size, JSON syntax, format
 * version, every entry against the schema, then ids and references across entries —
 * before anything is written, so a file is either wholly good or refused with the
 * first problems listed.
 */
export function readCatalogText(text: string): CatalogFile {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) refuse(`That file is ${formatBytes(bytes)}; a catalog file may be at most ${formatBytes(MAX_IMPORT_BYTES)}.`);

  // Editors on Windows like to start UTF-8 files with a byte-order mark, which JSON forbids.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const place = locateSyntaxError(body);
    const where = place ? ` at line ${place.line}, column ${place.column} (near \`${place.near.replace(/`/g, "'")}\`)` : '';
    refuse(`That file is not valid JSON: ${syntaxReason(error)}${where}.`);
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    refuse('That file is not a catalog: it should be a JSON object with "version", "artists", "quotes" and "releases", like the file /catalog export gives.');
  }
  const version = (data as { version?: unknown }).version;
  if (version !== CATALOG_FORMAT_VERSION) {
    refuse(
      version === undefined || version === null
        ? `version: missing; a catalog file starts with "version": ${CATALOG_FORMAT_VERSION}.`
        : typeof version !== 'number'
          ? `version: must be the number ${CATALOG_FORMAT_VERSION}, written without quotes: "version": ${CATALOG_FORMAT_VERSION}.`
          : `version: this file is format ${version}, and this bot reads format ${CATALOG_FORMAT_VERSION}. Export the catalog again to get a file in the current format.`,
    );
  }

  const present = withoutNulls(data);
  const parsed = catalogFile.safeParse(present);
  if (!parsed.success) refuse(`That file has problems:\n${listProblems(problemsFromZod(parsed.error, present))}`);
  const problems = checkCatalog(parsed.data);
  if (problems.length > 0) refuse(`That file has problems:\n${listProblems(problems)}`);
  return parsed.data;
}
