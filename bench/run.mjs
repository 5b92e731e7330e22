#!/usr/bin/env node
/**
 * dsnkit's benchmarks: `npm run bench` (which builds first) runs this.
 *
 *   node bench/run.mjs [--quick] [--only=render,validation,parse,scaling,memory,startup] [--out=docs]
 *
 * Writes <out>/benchmarks.json (every figure, every round), <out>/benchmarks.md (the tables and
 * what limits each figure) and <out>/benchmarks-*.svg (the scaling charts). --quick runs fewer,
 * shorter rounds, for trying the harness; its figures are not worth publishing.
 *
 * Benchmarks are not tests: nothing here fails on a slow figure, and CI does not run it. It does
 * fail when a baseline stops writing what it must (the template must write dsnkit's bytes).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import * as core from "@dsnkit/core";
import { compare } from "./lib/measure.mjs";
import {
  BOUNDARY,
  CONTEXT,
  STANDARD_HEADER_OCTETS,
  STANDARD_ORIGINAL,
  bounce,
  originalWithBody,
  originalWithHeaders,
  postfixSamples,
  request,
} from "./lib/fixtures.mjs";
import { renderTemplate } from "./baselines/template.mjs";
import { renderMimetext } from "./baselines/mimetext.mjs";
import { renderMimeNode } from "./baselines/mimenode.mjs";
import { parseMailparser, parsePostalMime, splitDeliveryStatus } from "./baselines/parse.mjs";
import { writeReport } from "./lib/report.mjs";
import { startup } from "./lib/startup.mjs";
import { lineChart } from "./lib/svg.mjs";
// Not part of the public API: imported from the build to time the header check on its own.
import { plainHeaderBlock } from "../packages/core/dist/original.js";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? true];
  }),
);
const QUICK = args.quick === true;
const ONLY = typeof args.only === "string" ? new Set(args.only.split(",")) : undefined;
const OUT = new URL(`../${typeof args.out === "string" ? args.out : "docs"}/`, import.meta.url);
const want = (section) => ONLY === undefined || ONLY.has(section);
const { renderDsn, renderBounce, resolveBounce, validateBounce, validateBounceRequest } = core;
const { parseDsn, checkDsn } = core;
const HAVE_PARSE = typeof parseDsn === "function" && typeof checkDsn === "function";

/** Rounds and batch length: many short interleaved rounds, medians and ratios from them. */
const RUN = QUICK ? { rounds: 5, batchMs: 15, warmMs: 50 } : { rounds: 21, batchMs: 50, warmMs: 300 };
const SCALE_RUN = QUICK ? { rounds: 3, batchMs: 20, warmMs: 30 } : { rounds: 9, batchMs: 60, warmMs: 200 };

const log = (...a) => console.error(...a);

function gitCommit() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages/core/src", "packages/cli/src", "packages/ses/src", "scripts/build.mjs", "bench"], { encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return "unknown";
  }
}

const figures = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory: totalmem(),
    loadStart: loadavg(),
    commit: gitCommit(),
    quick: QUICK,
    run: RUN,
    scaleRun: SCALE_RUN,
    parseAvailable: HAVE_PARSE,
  },
};

function fail(message) {
  log(`bench: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// The standard fixture, and what the baselines write for it.

const standard = bounce(1);
const standardRequest = request(1);
const standardContext = { ...CONTEXT, original: STANDARD_ORIGINAL, boundary: BOUNDARY };
/** As users call renderBounce: no Message-ID or boundary given, so both are random. */
const randomIdsContext = { now: CONTEXT.now, original: STANDARD_ORIGINAL };
const dsnkitRaw = renderDsn(standard, { boundary: BOUNDARY }).raw;
if (renderTemplate(standard, BOUNDARY) !== dsnkitRaw) fail("the template baseline no longer writes dsnkit's bytes for the standard fixture");
if (renderBounce(standardRequest, standardContext).raw !== dsnkitRaw) fail("renderBounce and renderDsn disagree on the standard fixture");
{
  // With random ids, the same DSN but for its Message-ID and boundary.
  const r = renderBounce(standardRequest, randomIdsContext);
  const same = r.raw.replaceAll(r.boundary, BOUNDARY).replace(/^Message-ID: .*$/m, `Message-ID: ${CONTEXT.messageId}`);
  if (same !== dsnkitRaw) fail("renderBounce with random ids writes another DSN than with given ones");
}

/** What a reader finds in a baseline's output: it must be a report with the same fields. */
async function checkBaseline(name, raw) {
  const text = typeof raw === "string" ? raw : raw.toString("utf8");
  const viaMailparser = await parseMailparser(text);
  const want = splitDeliveryStatus(core.writeDeliveryStatus(standard.deliveryStatus, false));
  const same = JSON.stringify(viaMailparser.recipients) === JSON.stringify(want.recipients) && JSON.stringify(viaMailparser.perMessage) === JSON.stringify(want.perMessage);
  const out = { name, octets: Buffer.byteLength(text), sameFields: same };
  if (HAVE_PARSE) {
    out.checkDsnErrors = checkDsn(text)
      .filter((f) => f.severity === "error")
      .map((f) => f.rule);
    out.checkDsnWarnings = checkDsn(text)
      .filter((f) => f.severity !== "error")
      .map((f) => f.rule);
  }
  if (!same) fail(`the ${name} baseline does not carry the fixture's delivery-status fields`);
  return out;
}

figures.fixture = {
  recipients: 1,
  headerOctets: STANDARD_HEADER_OCTETS,
  originalOctets: STANDARD_ORIGINAL.length,
  dsnOctets: dsnkitRaw.length,
  baselines: [
    await checkBaseline("dsnkit", dsnkitRaw),
    await checkBaseline("template", renderTemplate(standard, BOUNDARY)),
    await checkBaseline("mimetext", renderMimetext(standard)),
    await checkBaseline("mimetext, LF output converted", renderMimetext(standard, { lf: true })),
    await checkBaseline("MimeNode", await renderMimeNode(standard)),
  ],
};

// ---------------------------------------------------------------------------------------------
// Render, side by side.

if (want("render")) {
  log("render: dsnkit vs template, mimetext, MimeNode");
  const opts = { boundary: BOUNDARY };
  figures.render = await compare(
    [
      { name: "dsnkit renderDsn", fn: () => renderDsn(standard, opts).raw },
      { name: "dsnkit renderDsn, random boundary", fn: () => renderDsn(standard).raw },
      { name: "dsnkit renderBounce", fn: () => renderBounce(standardRequest, standardContext).raw },
      { name: "dsnkit renderBounce, random ids", fn: () => renderBounce(standardRequest, randomIdsContext).raw },
      { name: "template literal", fn: () => renderTemplate(standard, BOUNDARY) },
      { name: "mimetext (patched)", fn: () => renderMimetext(standard) },
      { name: "mimetext (patched), LF output converted", fn: () => renderMimetext(standard, { lf: true }) },
      { name: "nodemailer MimeNode", fn: () => renderMimeNode(standard), async: true },
    ],
    RUN,
  );
}

// ---------------------------------------------------------------------------------------------
// What validation costs, and the other steps of a render.

if (want("validation")) {
  log("validation: its share of render");
  const opts = { boundary: BOUNDARY };
  const ds = standard.deliveryStatus;
  figures.validation = await compare(
    [
      { name: "renderDsn (validate + write)", fn: () => renderDsn(standard, opts).raw },
      { name: "validateBounce (the model)", fn: () => validateBounce(standard) },
      { name: "plainHeaderBlock (check the returned headers)", fn: () => plainHeaderBlock(STANDARD_ORIGINAL, 50_000) },
      { name: "writeDeliveryStatus (the fields)", fn: () => core.writeDeliveryStatus(ds, false) },
      { name: "renderBounce (request to DSN)", fn: () => renderBounce(standardRequest, standardContext).raw },
      { name: "validateBounceRequest (the request)", fn: () => validateBounceRequest(standardRequest) },
      { name: "resolveBounce (validate request + resolve)", fn: () => resolveBounce(standardRequest, { ...CONTEXT, original: STANDARD_ORIGINAL }) },
      { name: "template literal", fn: () => renderTemplate(standard, BOUNDARY) },
    ],
    RUN,
  );
}

// ---------------------------------------------------------------------------------------------
// Parse, side by side.

if (want("parse") && HAVE_PARSE) {
  log("parse: dsnkit's output");
  figures.parse = {};
  figures.parse.dsnkit = await compare(
    [
      { name: "dsnkit parseDsn", fn: () => parseDsn(dsnkitRaw) },
      { name: "dsnkit checkDsn", fn: () => checkDsn(dsnkitRaw) },
      { name: "mailparser + split fields", fn: () => parseMailparser(dsnkitRaw), async: true },
      { name: "postal-mime + split fields", fn: () => parsePostalMime(dsnkitRaw), async: true },
    ],
    RUN,
  );
  log("parse: the Postfix samples");
  const samples = postfixSamples().map((s) => s.raw);
  figures.parse.postfixSamples = samples.length;
  figures.parse.postfix = await compare(
    [
      { name: "dsnkit parseDsn", fn: () => samples.map((s) => parseDsn(s)) },
      { name: "dsnkit checkDsn", fn: () => samples.map((s) => checkDsn(s)) },
      {
        name: "mailparser + split fields",
        fn: async () => {
          const out = [];
          for (const s of samples) out.push(await parseMailparser(s));
          return out;
        },
        async: true,
      },
      {
        name: "postal-mime + split fields",
        fn: async () => {
          const out = [];
          for (const s of samples) out.push(await parsePostalMime(s));
          return out;
        },
        async: true,
      },
    ],
    RUN,
  );
}

// ---------------------------------------------------------------------------------------------
// Scaling: recipients, header size, a large body that is not returned.

/** parseDsn limits for the header-size scaling: room for a 1 MB block of 100-octet fields. */
export const BIG_HEADER_LIMITS = { maxHeaderBytes: 4 * 1024 * 1024, maxHeaderFields: 100_000 };

function perSize(results, sizes) {
  return results.map((r, i) => ({ size: sizes[i], msPerOp: 1000 / r.opsPerSec, p25: 1000 / r.p75, p75: 1000 / r.p25, noise: r.noise, rounds: r.rounds.length }));
}

if (want("scaling")) {
  figures.scaling = { recipients: {}, headers: {}, body: {} };
  const counts = QUICK ? [1, 10, 100, 1000] : [1, 10, 100, 1000, 10000];
  figures.scaling.recipientCounts = counts;
  const byCount = counts.map((n) => ({ n, bounce: bounce(n), request: request(n) }));
  for (const x of byCount) x.raw = renderDsn(x.bounce, { boundary: BOUNDARY }).raw;
  figures.scaling.templateSameBytes = byCount.map((x) => renderTemplate(x.bounce, BOUNDARY) === x.raw);
  const ops = {
    renderDsn: (x) => () => renderDsn(x.bounce, { boundary: BOUNDARY }).raw,
    renderBounce: (x) => () => renderBounce(x.request, { ...CONTEXT, original: STANDARD_ORIGINAL, boundary: BOUNDARY }).raw,
    template: (x) => () => renderTemplate(x.bounce, BOUNDARY),
  };
  if (HAVE_PARSE) ops.parseDsn = (x) => () => parseDsn(x.raw);
  // The floor for any reader that returns the fields: the baselines' splitter alone on the
  // delivery-status text (no MIME, no typing, no checks), whose result grows the same way.
  for (const x of byCount) {
    const start = x.raw.indexOf("Reporting-MTA:");
    x.dsText = x.raw.slice(start, x.raw.indexOf(`\r\n--${BOUNDARY}`, start) + 2);
  }
  ops["split fields"] = (x) => () => splitDeliveryStatus(x.dsText);
  for (const [name, make] of Object.entries(ops)) {
    log(`scaling: ${name} over ${counts.join(", ")} recipients`);
    const res = await compare(
      byCount.map((x) => ({ name: `${x.n}`, fn: make(x) })),
      SCALE_RUN,
    );
    figures.scaling.recipients[name] = perSize(res, counts);
  }

  const headerSizes = QUICK ? [1_000, 10_000, 100_000] : [1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000];
  figures.scaling.headerSizes = headerSizes;
  const byHeaders = headerSizes.map((octets) => {
    const original = originalWithHeaders(octets);
    const b = bounce(1, original);
    return { octets: original.indexOf("\r\n\r\n") + 2, original, bounce: b, raw: renderDsn(b, { boundary: BOUNDARY, maxOriginalSize: 2_000_000 }).raw };
  });
  figures.scaling.headerOctets = byHeaders.map((x) => x.octets);
  figures.scaling.headersTemplateSameBytes = byHeaders.map((x) => renderTemplate(x.bounce, BOUNDARY) === x.raw);
  const headerOps = {
    "renderDsn, all headers returned": (x) => () => renderDsn(x.bounce, { boundary: BOUNDARY, maxOriginalSize: 2_000_000 }).raw,
    "renderDsn, default 50,000-octet cap": (x) => () => renderDsn(x.bounce, { boundary: BOUNDARY }).raw,
    "renderBounce, all headers returned": (x) => () =>
      renderBounce(request(1), { ...CONTEXT, original: x.original, boundary: BOUNDARY, maxOriginalSize: 2_000_000 }).raw,
    template: (x) => () => renderTemplate(x.bounce, BOUNDARY),
  };
  // parseDsn's default limits refuse a returned header block over 256 KiB or 2,000 fields; raised here.
  if (HAVE_PARSE) headerOps.parseDsn = (x) => () => parseDsn(x.raw, { limits: BIG_HEADER_LIMITS });
  for (const [name, make] of Object.entries(headerOps)) {
    log(`scaling: ${name} over ${headerSizes.join(", ")} octets of headers`);
    const res = await compare(
      byHeaders.map((x) => ({ name: `${x.octets}`, fn: make(x) })),
      SCALE_RUN,
    );
    figures.scaling.headers[name] = perSize(res, byHeaders.map((x) => x.octets));
  }

  // Where the cost per recipient steps up: V8 puts a string over 128 KiB (kMaxRegularHeapObjectSize)
  // in its large-object space. The template's output passes it between 600 and 700 recipients.
  log("scaling: the template on each side of 128 KiB of output");
  const around = [600, 700].map((n) => ({ n, bounce: bounce(n) }));
  const aroundRes = await compare(
    around.map((x) => ({ name: `${x.n}`, fn: () => renderTemplate(x.bounce, BOUNDARY) })),
    SCALE_RUN,
  );
  figures.scaling.largeObjectStep = around.map((x, i) => ({
    recipients: x.n,
    outputLength: renderTemplate(x.bounce, BOUNDARY).length,
    msPerOp: 1000 / aroundRes[i].opsPerSec,
    usPerRecipient: 1e6 / aroundRes[i].opsPerSec / x.n,
  }));

  // parseDsn's result for thousands of recipients outgrows V8's young generation: the same
  // comparison in child processes with the default young generation and with a 512 MB one.
  if (HAVE_PARSE) {
    log("scaling: parseDsn at 1,000 and 10,000 recipients, default and large young generation");
    const gcChild = (flags) => {
      const r = spawnSync(process.execPath, [...flags, new URL("gc-child.mjs", import.meta.url).pathname, "1000", "10000", String(SCALE_RUN.rounds)], {
        encoding: "utf8",
      });
      if (r.status !== 0) fail(`gc child failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split("\n").pop());
    };
    figures.scaling.parseYoungGeneration = { default: gcChild([]), large: gcChild(["--max-semi-space-size=512"]) };
  }

  log("scaling: a 10 MB body, not returned");
  const big = originalWithBody(10_000_000);
  const bigBounce = bounce(1, big);
  const bodyRes = await compare(
    [
      { name: "headers, standard original", fn: () => renderDsn(standard, { boundary: BOUNDARY }).raw },
      { name: "headers, 10 MB body", fn: () => renderDsn(bigBounce, { boundary: BOUNDARY }).raw },
      { name: "whole with cap, standard original (returned whole)", fn: () => renderDsn(standard, { boundary: BOUNDARY, returnOriginal: "message" }).raw },
      { name: "whole with cap, 10 MB body (over the cap: headers)", fn: () => renderDsn(bigBounce, { boundary: BOUNDARY, returnOriginal: "message" }).raw },
      { name: "renderBounce, standard original", fn: () => renderBounce(standardRequest, standardContext).raw },
      { name: "renderBounce, 10 MB body", fn: () => renderBounce(standardRequest, { ...CONTEXT, original: big, boundary: BOUNDARY }).raw },
    ],
    SCALE_RUN,
  );
  figures.scaling.body = bodyRes.map((r) => ({ name: r.name, msPerOp: 1000 / r.opsPerSec, noise: r.noise, ratio: r.ratio }));
  figures.scaling.bodyOctets = big.length - STANDARD_HEADER_OCTETS - 2;
}

// ---------------------------------------------------------------------------------------------
// Start-up: a fresh Node process importing each package, and the command, against node -e 0.

if (want("startup")) {
  log("start-up: fresh processes, against node -e 0");
  const imports = (specifier) => ["--input-type=module", "-e", `await import(${JSON.stringify(specifier)})`];
  const cli = "packages/cli/bin/dsnkit.js";
  figures.startup = startup(
    [
      { name: "node -e 0", args: ["-e", "0"] },
      { name: "import of an empty module", args: imports("./bench/fixtures/empty.mjs") },
      { name: "import @dsnkit/core", args: imports("@dsnkit/core") },
      { name: "import @dsnkit/ses", args: imports("@dsnkit/ses") },
      { name: "import @aws-sdk/client-ses", args: imports("@aws-sdk/client-ses") },
      { name: "import @dsnkit/ses-local", args: imports("@dsnkit/ses-local") },
      { name: "import @dsnkit/testing", args: imports("@dsnkit/testing") },
      { name: "import dsnkit", args: imports("dsnkit") },
      { name: "dsnkit --help", args: [cli, "--help"] },
      { name: "dsnkit render", args: [cli, "render", "docs/examples/does-not-exist.json", "--original-sender", "s@example.org"] },
    ],
    { rounds: QUICK ? 5 : 31, cwd: fileURLToPath(new URL("..", import.meta.url)) },
  );
}

// ---------------------------------------------------------------------------------------------
// Peak memory, one child process per scenario.

function child(operation, kind, size) {
  const r = spawnSync(process.execPath, ["--expose-gc", new URL("memory-child.mjs", import.meta.url).pathname, operation, kind, String(size)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) fail(`memory child ${operation} ${kind} ${size} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

if (want("memory")) {
  log("memory: one child process per scenario");
  const counts = QUICK ? [1, 100, 10000] : [1, 10, 100, 1000, 10000];
  const headerSizes = QUICK ? [1_000, 100_000, 1_000_000] : [1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000];
  const operations = HAVE_PARSE ? ["render", "bounce", "parse"] : ["render", "bounce"];
  figures.memory = { recipients: {}, headers: {}, body: [] };
  for (const op of operations) {
    figures.memory.recipients[op] = counts.map((n) => child(op, "recipients", n));
    figures.memory.headers[op] = headerSizes.map((n) => child(op, "headers", n));
  }
  for (const kind of ["recipients", "body", "body-message"]) {
    const size = kind === "recipients" ? 1 : 10_000_000;
    figures.memory.body.push({ kind, size, render: child("render", kind, size), bounce: child("bounce", kind, size) });
  }
}

figures.meta.loadEnd = loadavg();
figures.meta.seconds = Math.round(performance.now() / 1000);

// ---------------------------------------------------------------------------------------------
// Charts and report.

mkdirSync(OUT, { recursive: true });
const charts = [];
const fmtMs = (v) => (v >= 1 ? `${+v.toPrecision(3)} ms` : v >= 0.001 ? `${+(v * 1000).toPrecision(3)} µs` : `${+(v * 1e6).toPrecision(3)} ns`);
if (figures.scaling) {
  const s = figures.scaling;
  const series = Object.entries(s.recipients).map(([name, pts]) => ({ name, points: pts.map((p) => [p.size, p.msPerOp]) }));
  const ref = s.recipients.renderDsn;
  const at = ref.find((p) => p.size === 1000) ?? ref[ref.length - 1];
  series.push({ name: "linear (renderDsn at 1,000)", dashed: true, points: ref.map((p) => [p.size, (at.msPerOp * p.size) / at.size]) });
  charts.push({
    file: "benchmarks-recipients.svg",
    svg: lineChart({
      title: "Time per DSN by number of recipients",
      xLabel: "recipients (log)",
      yLabel: "time per DSN (log)",
      yTickLabel: fmtMs,
      series,
      note: `median of ${SCALE_RUN.rounds} interleaved rounds; ${figures.meta.node}, ${figures.meta.cores} cores, shared`,
    }),
  });
  const hseries = Object.entries(s.headers).map(([name, pts]) => ({ name, points: pts.map((p) => [p.size, p.msPerOp]) }));
  const href = s.headers["renderDsn, all headers returned"];
  const hat = href[href.length - 1];
  hseries.push({ name: "linear (through the largest)", dashed: true, points: href.map((p) => [p.size, (hat.msPerOp * p.size) / hat.size]) });
  charts.push({
    file: "benchmarks-headers.svg",
    svg: lineChart({
      title: "Time per DSN by size of the original's header block",
      xLabel: "octets of original headers (log)",
      yLabel: "time per DSN (log)",
      yTickLabel: fmtMs,
      series: hseries,
      note: `median of ${SCALE_RUN.rounds} interleaved rounds; ${figures.meta.node}, ${figures.meta.cores} cores, shared`,
    }),
  });
}
if (figures.memory) {
  const m = figures.memory;
  const mb = (v) => `${+(v / 1048576).toPrecision(3)} MB`;
  const names = { render: "renderDsn", bounce: "renderBounce", parse: "parseDsn" };
  const floor = 4096; // a page: below it, the growth is not measurable
  charts.push({
    file: "benchmarks-memory.svg",
    svg: lineChart({
      title: "Peak RSS growth while rendering or parsing one DSN",
      xLabel: "recipients (solid) · octets of original headers (dashed), log",
      yLabel: "peak RSS growth (log)",
      yTickLabel: mb,
      series: [
        ...Object.entries(m.recipients).map(([op, pts]) => ({ name: `${names[op]} by recipients`, points: pts.map((p) => [p.size, Math.max(floor, p.peakRssGrowth)]) })),
        ...Object.entries(m.headers).map(([op, pts]) => ({
          name: `${names[op]} by header octets`,
          dashed: true,
          points: pts.map((p) => [p.size, Math.max(floor, p.peakRssGrowth)]),
        })),
      ],
      note: "one child process per point; VmHWM after resetting it with /proc/self/clear_refs",
    }),
  });
}
for (const c of charts) writeFileSync(new URL(c.file, OUT), c.svg);
figures.charts = charts.map((c) => c.file);

writeFileSync(new URL("benchmarks.json", OUT), JSON.stringify(figures, null, 1) + "\n");
writeFileSync(new URL("benchmarks.md", OUT), writeReport(figures));
log(`wrote ${new URL("benchmarks.md", OUT).pathname}, benchmarks.json and ${charts.length} chart(s)`);
