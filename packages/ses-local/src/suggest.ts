/**
 * "Did you mean ...?": the known name closest to a misspelt one.
 *
 * @module
 */

/** Edit distance (insertions, deletions, substitutions), case-insensitive; gives up above 3. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > 3) return 4;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length]!;
}

/**
 * The candidate a misspelt name most likely meant: the closest within 3 edits (1 for names of 4
 * characters or fewer), ignoring case, hyphens and underscores; `undefined` when none is close.
 *
 * @example
 * nearest("BounceSendr", ["OriginalMessageId", "BounceSender"]);
 * //=> "BounceSender"
 * nearest("max_request_size", ["maxRequestSize", "rate"]);
 * //=> "maxRequestSize"
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const plain = (s: string) => s.replace(/[-_]/g, "");
  let best: string | undefined;
  let bestDistance = plain(name).length <= 4 ? 1 : 3;
  for (const c of candidates) {
    const d = distance(plain(name), plain(c));
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
