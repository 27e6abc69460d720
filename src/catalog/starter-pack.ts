import { readFileSync } from 'node:fs';
import { catalogFile, type CatalogFile } from './schema.ts';
import { checkCatalog } from './integrity.ts';
import { listProblems, problemsFromZod } from './issues.ts';

const PACK_URL = new URL('./starter-pack.json', import.meta.url);

/**
 * Checks a starter pack the way an import is checked. A broken pack is the developers'
 * mistake, not a member's, so it throws a plain Error meant to stop the start-up.
 */
export function parseStarterPack(text: string, origin = 'starter pack'): CatalogFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = catalogFile.safeParse(data);
  if (!parsed.success) throw new Error(`${origin} is invalid:\n${listProblems(problemsFromZod(parsed.error, data))}`);
  const problems = checkCatalog(parsed.data);
  if (problems.length > 0) throw new Error(`${origin} is invalid:\n${listProblems(problems)}`);
  return parsed.data;
}

let cached: CatalogFile | undefined;

/**
 * What a server without a catalog of its own sees. Read on first use rather than at
 * import so that loading this module has no side effects; each caller gets its own copy.
 */
export function starterPack(): CatalogFile {
  cached ??= parseStarterPack(readFileSync(PACK_URL, 'utf8'), PACK_URL.pathname);
  return structuredClone(cached);
}
