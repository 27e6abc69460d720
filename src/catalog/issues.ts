import type { z } from 'zod';

/** A problem found in a catalog or an entry, located by the path a moderator would follow. */
export interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

/** How many problems one reply lists; past that the member fixes the first ones and retries. */
export const MAX_LISTED_PROBLEMS = 10;

/** `artists[3].birthday` — the way the path reads in the JSON file itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  return problem.path.length === 0 ? problem.message : `${formatPath(problem.path)}: ${problem.message}`;
}

/** The first problems, one per line, with a count of the rest. */
export function listProblems(problems: readonly Problem[], limit = MAX_LISTED_PROBLEMS): string {
  const lines = problems.slice(0, limit).map(formatProblem);
  const rest = problems.length - limit;
  if (rest > 0) lines.push(`…and ${rest} more ${rest === 1 ? 'problem' : 'problems'}.`);
  return lines.join('\n');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (value === undefined) return 'required';
      const wanted = `should be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
      // Imports read a null field as left out, so a null still here sits in a list.
      return value === null ? `${wanted}, not null` : wanted;
    }
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'too_big':
      if (issue.origin === 'string') return `too long: at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `too many: at most ${String(issue.maximum)} entries`;
      return `at most ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
      return `at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    default:
      // The schema's own formats and refinements carry messages written for people.
      return issue.message;
  }
}

/**
 * Zod's issues in the catalog's plain words, located under `prefix` (e.g. an entry's
 * index). One per field: zod keeps checking after a failed format, so "31/12/2022" would
 * otherwise also be told that the date does not exist.
 */
export function problemsFromZod(error: z.ZodError, input: unknown, prefix: readonly PropertyKey[] = []): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const where = formatPath(issue.path);
    if (seen.has(where)) continue;
    seen.add(where);
    problems.push({ path: [...prefix, ...issue.path], message: describe(issue, input) });
  }
  return problems;
}
