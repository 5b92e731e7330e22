/**
 * The measuring loop. Candidates of one comparison run in the same process, interleaved: every
 * round runs one timed batch of each candidate, in an order that rotates from round to round, so
 * load from other processes and garbage collection fall on all of them alike. Each batch is sized
 * to take about `batchMs`; a candidate's figure is the median of its rounds, and its ratio to the
 * reference is the median of the per-round ratios (a round's candidates ran within milliseconds
 * of each other, so the ratio cancels most of the machine's noise).
 *
 * Every result is consumed (a string is flattened by reading its last character, a Buffer by
 * reading its last byte), so the work cannot be skipped and every candidate pays for producing
 * flat output, as writing it to a socket or a file would.
 */

let sink = 0;

/** Reads the result so that it must exist, flat, in memory. */
export function consume(r) {
  if (typeof r === "string") sink += r.charCodeAt(r.length - 1) | 0;
  else if (r instanceof Uint8Array) sink += r[r.length - 1] | 0;
  else if (Array.isArray(r)) sink += r.length;
  else if (r !== undefined && r !== null) sink += 1;
}

/** Keeps the sink alive (printed only if it holds an impossible value). */
export function sinkValue() {
  return sink;
}

async function runBatch(c, n) {
  const fn = c.fn;
  const t0 = process.hrtime.bigint();
  if (c.async) {
    for (let i = 0; i < n; i++) consume(await fn());
  } else {
    for (let i = 0; i < n; i++) consume(fn());
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Finds a batch size that takes about `ms` milliseconds (after warming the candidate up). */
async function calibrate(c, ms, warmMs) {
  let n = 1;
  let spent = 0;
  // Warm up: let the JIT see the function at its steady state.
  while (spent < warmMs) {
    const t = await runBatch(c, n);
    spent += t;
    if (t < warmMs / 8) n *= 2;
  }
  for (;;) {
    const t = await runBatch(c, n);
    if (t >= ms / 4 || n >= 1 << 30) return Math.max(1, Math.round((n * ms) / Math.max(t, 0.001)));
    n *= 4;
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Measures candidates side by side.
 *
 * @param {{ name: string, fn: () => unknown, async?: boolean }[]} candidates the first is the reference
 * @param {{ rounds?: number, batchMs?: number, warmMs?: number }} options
 * @returns the figures: per candidate ops/s (median, p25, p75, every round), time per op, ratio to the reference
 */
export async function compare(candidates, { rounds = 15, batchMs = 40, warmMs = 150 } = {}) {
  const sizes = [];
  for (const c of candidates) sizes.push(await calibrate(c, batchMs, warmMs));
  const rates = candidates.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const i = (k + r) % candidates.length;
      const ms = await runBatch(candidates[i], sizes[i]);
      rates[i].push((sizes[i] * 1000) / ms);
    }
  }
  const ref = rates[0];
  return candidates.map((c, i) => {
    const ratios = rates[i].map((x, r) => x / ref[r]);
    const med = median(rates[i]);
    return {
      name: c.name,
      opsPerSec: med,
      p25: quantile(rates[i], 0.25),
      p75: quantile(rates[i], 0.75),
      /** Spread of the rounds: (p75 - p25) / median. */
      noise: (quantile(rates[i], 0.75) - quantile(rates[i], 0.25)) / med,
      usPerOp: 1e6 / med,
      ratio: median(ratios),
      ratioP25: quantile(ratios, 0.25),
      ratioP75: quantile(ratios, 0.75),
      batch: sizes[i],
      rounds: rates[i],
    };
  });
}

/**
 * Times one call of `fn` (for work that takes milliseconds): the median of `rounds` timed calls
 * after `warm` untimed ones. Returns milliseconds.
 */
export async function timeOnce(fn, { rounds = 7, warm = 2, isAsync = false } = {}) {
  for (let i = 0; i < warm; i++) consume(isAsync ? await fn() : fn());
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    consume(isAsync ? await fn() : fn());
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(times), p25: quantile(times, 0.25), p75: quantile(times, 0.75), times };
}
