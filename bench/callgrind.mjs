#!/usr/bin/env node
/**
 * Instructions per operation, counted by valgrind's callgrind: repeatable under any load, which
 * wall-clock time on a shared machine is not. Used for the before/after figures of optimisation
 * commits.
 *
 *   node bench/callgrind.mjs [scenario ...] [--iterations=20000] [--warm=20000] [--commit=rev]
 *
 * Scenarios: render (renderDsn, standard fixture), validate (validateBounce), bounce
 * (renderBounce, Message-ID and boundary given), bounce-random (renderBounce as users call it:
 * Message-ID and boundary random), request (validateBounceRequest), resolve (resolveBounce),
 * template (the template-literal baseline), parse (parseDsn of dsnkit's output), check
 * (checkDsn). Default: render.
 *
 * Start-up scenarios count a whole fresh process instead, less one running `node -e 0`:
 * import-empty (`await import()` of an empty module), import-core and import-ses (of the
 * package), import-aws (the AWS SDK's SES client alone, what import-ses includes of it), cli-help
 * (`dsnkit --help`) and cli-render (`dsnkit render` of docs/examples/does-not-exist.json). They
 * need the build (npm run build), and run without NODE_EXTRA_CA_CERTS (see bench/lib/startup.mjs).
 *
 * Each scenario runs twice under callgrind, with `warm` untimed iterations and then 0 or
 * `iterations` more; the difference of the two totals over `iterations` is the count for one
 * operation, start-up, compilation and warm-up cancelled out. Node runs single-threaded with a
 * predictable GC schedule, so that repeated runs agree within about 1 %. Needs valgrind
 * (apt-get install valgrind); takes minutes per scenario.
 *
 * `--commit=rev` measures @dsnkit/core as it was at that commit against the same inputs: its
 * sources are built apart, in dist/callgrind-<rev>/ (ignored by git), so a change's before and
 * after come from one machine and one session.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startupEnv } from "./lib/startup.mjs";

const self = fileURLToPath(import.meta.url);

async function child(scenario, warm, n, corePath) {
  const core = await import(corePath === "" ? "@dsnkit/core" : pathToFileURL(corePath).href);
  const { BOUNDARY, CONTEXT, STANDARD_ORIGINAL, bounce, request } = await import("./lib/fixtures.mjs");
  const { renderTemplate } = await import("./baselines/template.mjs");
  const b = bounce(1);
  const req = request(1);
  const raw = core.renderDsn(b, { boundary: BOUNDARY }).raw;
  const scenarios = {
    render: () => core.renderDsn(b, { boundary: BOUNDARY }).raw,
    validate: () => core.validateBounce(b),
    bounce: () => core.renderBounce(req, { ...CONTEXT, original: STANDARD_ORIGINAL, boundary: BOUNDARY }).raw,
    "bounce-random": () => core.renderBounce(req, { now: CONTEXT.now, original: STANDARD_ORIGINAL }).raw,
    request: () => core.validateBounceRequest(req),
    resolve: () => core.resolveBounce(req, { ...CONTEXT, original: STANDARD_ORIGINAL }),
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

/**
 * Instructions of one process, node with `args`: single-threaded, with a predictable GC schedule
 * (repeated runs then agree within about 1 %), unless `asIs`: flags other than the defaults make
 * V8 refuse Node's code cache of its own modules, which start-up figures must keep.
 */
function counted(args, what, env = process.env, asIs = false) {
  const r = spawnSync(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, ...(asIs ? [] : ["--single-threaded", "--predictable-gc-schedule"]), ...args],
    { encoding: "utf8", maxBuffer: 1 << 24, cwd: root, env },
  );
  if (r.error) throw new Error(`valgrind did not run (${r.error.message}); install it with apt-get install valgrind`);
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || m === null) throw new Error(`callgrind run of ${what} failed:\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

function collected(scenario, warm, n, corePath) {
  return counted([self, "--child", scenario, String(warm), String(n), corePath], scenario);
}

const root = fileURLToPath(new URL("..", import.meta.url));

/** @dsnkit/core as it was at `rev`, built apart once: the path of its dist/index.js. */
function coreAt(rev) {
  const sha = execFileSync("git", ["rev-parse", "--short", `${rev}^{commit}`], { cwd: root, encoding: "utf8" }).trim();
  const dir = join(root, "dist", `callgrind-${sha}`);
  const index = join(dir, "packages/core/dist/index.js");
  if (!existsSync(index)) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync("git", ["archive", sha, "packages/core", "tsconfig.base.json"], { cwd: root, maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(dir, "packages/core")], { stdio: "inherit" });
  }
  return index;
}
const cli = "packages/cli/bin/dsnkit.js";
/** Start-up scenarios: the arguments of node for each. */
const STARTUP = {
  "import-empty": ["--input-type=module", "-e", 'await import("./bench/fixtures/empty.mjs")'],
  "import-core": ["--input-type=module", "-e", 'await import("@dsnkit/core")'],
  "import-ses": ["--input-type=module", "-e", 'await import("@dsnkit/ses")'],
  "import-aws": ["--input-type=module", "-e", 'await import("@aws-sdk/client-ses")'],
  "cli-help": [cli, "--help"],
  "cli-render": [cli, "render", "docs/examples/does-not-exist.json", "--original-sender", "s@example.org", "--date", "2026-11-26T10:00:00Z"],
};

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  await child(argv[1], Number(argv[2]), Number(argv[3]), argv[4] ?? "");
} else {
  const opt = (name, fallback) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  const iterations = opt("iterations", 20000);
  const warm = opt("warm", 20000);
  const commit = argv.find((a) => a.startsWith("--commit="))?.slice("--commit=".length);
  const corePath = commit === undefined ? "" : coreAt(commit);
  const scenarios = argv.filter((a) => !a.startsWith("--"));
  let empty;
  for (const s of scenarios.length > 0 ? scenarios : ["render"]) {
    if (STARTUP[s] !== undefined) {
      empty ??= counted(["-e", "0"], "node -e 0", startupEnv(), true);
      const total = counted(STARTUP[s], s, startupEnv(), true);
      console.log(`${s}: ${Math.round((total - empty) / 1000).toLocaleString("en-US")} thousand instructions more than node -e 0 (${Math.round(empty / 1000).toLocaleString("en-US")} thousand)`);
      continue;
    }
    const base = collected(s, warm, 0, corePath);
    const total = collected(s, warm, iterations, corePath);
    console.log(`${s}: ${Math.round((total - base) / iterations).toLocaleString("en-US")} instructions per operation`);
  }
}
