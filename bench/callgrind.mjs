#!/usr/bin/env node
/**
 * Instructions per operation, counted by valgrind's callgrind: repeatable under any load, which
 * wall-clock time on a shared machine is not. Used for the before/after figures of optimisation
 * commits.
 *
 *   node bench/callgrind.mjs [scenario ...] [--iterations=20000] [--warm=20000]
 *
 * Scenarios: render (renderDsn, standard fixture), validate (validateBounce), bounce
 * (renderBounce), template (the template-literal baseline), parse (parseDsn of dsnkit's output),
 * check (checkDsn). Default: render.
 *
 * Each scenario runs twice under callgrind, with `warm` untimed iterations and then 0 or
 * `iterations` more; the difference of the two totals over `iterations` is the count for one
 * operation, start-up, compilation and warm-up cancelled out. Node runs single-threaded with a
 * predictable GC schedule, so that repeated runs agree within about 1 %. Needs valgrind
 * (apt-get install valgrind); takes minutes per scenario.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);

async function child(scenario, warm, n) {
  const core = await import("@dsnkit/core");
  const { BOUNDARY, CONTEXT, STANDARD_ORIGINAL, bounce, request } = await import("./lib/fixtures.mjs");
  const { renderTemplate } = await import("./baselines/template.mjs");
  const b = bounce(1);
  const req = request(1);
  const raw = core.renderDsn(b, { boundary: BOUNDARY }).raw;
  const scenarios = {
    render: () => core.renderDsn(b, { boundary: BOUNDARY }).raw,
    validate: () => core.validateBounce(b),
    bounce: () => core.renderBounce(req, { ...CONTEXT, original: STANDARD_ORIGINAL, boundary: BOUNDARY }).raw,
    template: () => renderTemplate(b, BOUNDARY),
    parse: () => core.parseDsn(raw),
    check: () => core.checkDsn(raw),
  };
  const fn = scenarios[scenario];
  if (fn === undefined) throw new Error(`unknown scenario ${scenario}; known: ${Object.keys(scenarios).join(", ")}`);
  let sink = 0;
  for (let i = 0; i < warm + n; i++) {
    const r = fn();
    sink += typeof r === "string" ? r.charCodeAt(r.length - 1) : 1;
  }
  if (sink === -1) console.log(sink);
}

function collected(scenario, warm, n) {
  const r = spawnSync(
    "valgrind",
    // Single-threaded, with a predictable GC schedule: repeated runs then agree within about 1 %.
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--single-threaded", "--predictable-gc-schedule", self, "--child", scenario, String(warm), String(n)],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (r.error) throw new Error(`valgrind did not run (${r.error.message}); install it with apt-get install valgrind`);
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || m === null) throw new Error(`callgrind run of ${scenario} failed:\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  await child(argv[1], Number(argv[2]), Number(argv[3]));
} else {
  const opt = (name, fallback) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  const iterations = opt("iterations", 20000);
  const warm = opt("warm", 20000);
  const scenarios = argv.filter((a) => !a.startsWith("--"));
  for (const s of scenarios.length > 0 ? scenarios : ["render"]) {
    const base = collected(s, warm, 0);
    const total = collected(s, warm, iterations);
    console.log(`${s}: ${Math.round((total - base) / iterations).toLocaleString("en-US")} instructions per operation`);
  }
}
