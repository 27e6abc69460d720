/**
 * Typo-tolerant matching of what a member typed against the start of every known name:
 * one inserted, missing, wrong or swapped letter counts as one (optimal string alignment
 * distance), and a name matches when some prefix of it is within the allowed distance of
 * the query — "jimni" matches "jimin", "sungwon" matches "sungwoonkim".
 *
 * Autocomplete runs this against tens of thousands of names per keystroke. The names are
 * sorted and packed into one array, and the table is computed one name letter per row:
 * neighbours in sorted order share their first letters, so they share those rows too and
 * only the rows past the shared part are computed. As soon as a whole row exceeds the
 * allowed distance, no longer name through that prefix can match, and every name that
 * shares it is settled at once.
 */

/** Sorted names as UTF-16 code units in one block, with how much each shares with the one before. */
export interface PackedNames {
  readonly count: number;
  readonly chars: Uint16Array;
  /** Name t is chars[from[t] … from[t + 1]). */
  readonly from: Int32Array;
  /** How many leading code units name t shares with name t − 1. */
  readonly shared: Int32Array;
}

/** Packs names that are already sorted by code units (the default Array sort). */
export function packNames(sorted: readonly string[]): PackedNames {
  const from = new Int32Array(sorted.length + 1);
  const shared = new Int32Array(sorted.length);
  let total = 0;
  sorted.forEach((name, t) => {
    from[t] = total;
    total += name.length;
    const before = t > 0 ? sorted[t - 1]! : '';
    let same = 0;
    while (same < name.length && same < before.length && name.charCodeAt(same) === before.charCodeAt(same)) same += 1;
    shared[t] = same;
  });
  from[sorted.length] = total;
  const chars = new Uint16Array(total);
  sorted.forEach((name, t) => {
    for (let c = 0; c < name.length; c += 1) chars[from[t]! + c] = name.charCodeAt(c);
  });
  return { count: sorted.length, chars, from, shared };
}

/** Calls `visit(t, distance)` for every packed name with a prefix within `max` of `query`. */
export function scanTypos(query: string, names: PackedNames, max: number, visit: (name: number, distance: number) => void): void {
  const m = query.length;
  if (m === 0) return;
  const over = max + 1;
  const width = m + 1;
  // Only prefixes of length m ± max can be within max of the query.
  const deepest = m + max;
  const lowest = m - max > 0 ? m - max : 0;
  // table[d * width + i]: distance between the first d letters of the name and the first i of the query.
  const table = new Int32Array((deepest + 1) * width);
  for (let i = 0; i <= m; i += 1) table[i] = i;
  const q = new Int32Array(m);
  for (let i = 0; i < m; i += 1) q[i] = query.charCodeAt(i);
  const { chars, from, shared, count } = names;

  // Rows 0 … valid hold the current name's prefix.
  let valid = 0;
  let t = 0;
  while (t < count) {
    const start = from[t]!;
    const length = from[t + 1]! - start;
    const depth = length < deepest ? length : deepest;
    if (shared[t]! < valid) valid = shared[t]!;

    let pruned = 0;
    for (let d = valid + 1; d <= depth; d += 1) {
      const row = d * width;
      const up = row - width;
      const c = chars[start + d - 1]!;
      const cBefore = d > 1 ? chars[start + d - 2]! : -1;
      table[row] = d;
      let least = d;
      for (let i = 1; i <= m; i += 1) {
        const qi = q[i - 1]!;
        let best = table[up + i - 1]! + (qi === c ? 0 : 1);
        const fromUp = table[up + i]! + 1;
        if (fromUp < best) best = fromUp;
        const fromLeft = table[row + i - 1]! + 1;
        if (fromLeft < best) best = fromLeft;
        if (i > 1 && d > 1 && qi === cBefore && q[i - 2] === c) {
          const swapped = table[up - width + i - 2]! + 1;
          if (swapped < best) best = swapped;
        }
        table[row + i] = best;
        if (best < least) least = best;
      }
      valid = d;
      if (least > max) {
        pruned = d;
        break;
      }
    }

    // The answer reads the last column, over the rows this name reaches.
    const reach = pruned > 0 ? pruned - 1 : depth;
    let distance = over;
    for (let d = lowest; d <= reach; d += 1) {
      const value = table[d * width + m]!;
      if (value < distance) distance = value;
    }
    if (pruned > 0) {
      // Every following name sharing the first `pruned` letters ends the same way.
      let next = t + 1;
      while (next < count && shared[next]! >= pruned) next += 1;
      if (distance <= max) for (let other = t; other < next; other += 1) visit(other, distance);
      t = next;
      continue;
    }
    if (distance <= max) visit(t, distance);
    t += 1;
  }
}

/** The prefix distance of one name, or max + 1 when above max. */
export function prefixDistance(query: string, name: string, max: number): number {
  let found = max + 1;
  scanTypos(query, packNames([name]), max, (_, distance) => (found = distance));
  return query.length === 0 ? 0 : found;
}
