/**
 * parseDsn at two sizes, in a process of its own, so that bench/run.mjs can compare V8's default
 * young generation with a large one (`node --max-semi-space-size=512 bench/gc-child.mjs ...`):
 *
 *   node [v8 flags] bench/gc-child.mjs <recipients> <recipients> <rounds>
 *
 * Prints one JSON line: the median time per parse at each size, interleaved rounds.
 */
import { parseDsn, renderDsn } from "@dsnkit/core";
import { compare } from "./lib/measure.mjs";
import { BOUNDARY, bounce } from "./lib/fixtures.mjs";

const [a, b, rounds] = process.argv.slice(2).map(Number);
const raws = [a, b].map((n) => renderDsn(bounce(n), { boundary: BOUNDARY }).raw);
const res = await compare(
  raws.map((raw, i) => ({ name: String([a, b][i]), fn: () => parseDsn(raw) })),
  { rounds, batchMs: 100, warmMs: 300 },
);
console.log(JSON.stringify({ sizes: [a, b], msPerOp: res.map((r) => 1000 / r.opsPerSec), flags: process.execArgv }));
