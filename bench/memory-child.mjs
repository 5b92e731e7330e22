/**
 * One memory scenario, in a process of its own (run by bench/run.mjs with --expose-gc):
 *
 *   node --expose-gc bench/memory-child.mjs <operation> <kind> <size>
 *
 * operation: render (renderDsn), bounce (renderBounce), parse (parseDsn)
 * kind: recipients (size = count), headers (size = octets of header block), body (size = octets
 * of body; with `message` appended to the kind, the whole original is asked for, capped).
 *
 * Method: build the input, run the operation once untimed (so that compiling it is not counted),
 * collect garbage, then reset the kernel's peak-RSS mark (`5` into /proc/self/clear_refs, Linux
 * 4.0 and later), note RSS and heap, run the operation once more, and read the peak (VmHWM). The
 * peak RSS growth is the memory the operation needed at its worst, garbage included; the retained
 * heap is what its result holds after a full collection. Prints one JSON line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { renderDsn, renderBounce } from "@dsnkit/core";
import { BOUNDARY, CONTEXT, STANDARD_ORIGINAL, bounce, originalWithBody, originalWithHeaders, request } from "./lib/fixtures.mjs";

const [operation, kind, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const gc = globalThis.gc;
if (typeof gc !== "function") throw new Error("run with --expose-gc");

function status() {
  const s = readFileSync("/proc/self/status", "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? NaN);
  return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
}

function resetPeak() {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

const original =
  kind === "headers" ? originalWithHeaders(size) : kind.startsWith("body") ? originalWithBody(size) : STANDARD_ORIGINAL;
const recipients = kind === "recipients" ? size : 1;
const renderOptions = { boundary: BOUNDARY };
if (kind === "headers") renderOptions.maxOriginalSize = 2_000_000;
if (kind === "body-message") renderOptions.returnOriginal = "message";

let op;
if (operation === "render") {
  const b = bounce(recipients, original);
  op = () => renderDsn(b, renderOptions).raw;
} else if (operation === "bounce") {
  const r = request(recipients);
  op = () => renderBounce(r, { ...CONTEXT, original, ...renderOptions }).raw;
} else if (operation === "parse") {
  const core = await import("@dsnkit/core");
  if (typeof core.parseDsn !== "function") {
    console.log(JSON.stringify({ operation, kind, size, skipped: "parseDsn is not in @dsnkit/core yet" }));
    process.exit(0);
  }
  const raw = renderDsn(bounce(recipients, original), renderOptions).raw;
  // The default limits refuse a returned header block over 256 KiB or 2,000 fields (as bench/run.mjs, raised for headers).
  const options = kind === "headers" ? { limits: { maxHeaderBytes: 4 * 1024 * 1024, maxHeaderFields: 100_000 } } : {};
  op = () => core.parseDsn(raw, options);
} else throw new Error(`unknown operation ${operation}`);

let result = op(); // untimed: compiles the code
result = undefined;
gc();
gc();
const heap0 = process.memoryUsage().heapUsed;
const exact = resetPeak();
const before = status();
const t0 = process.hrtime.bigint();
result = op();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const after = status();
const heapAfter = process.memoryUsage().heapUsed;
gc();
gc();
const retained = process.memoryUsage().heapUsed - heap0;
const outputLength = typeof result === "string" ? result.length : undefined;
console.log(
  JSON.stringify({
    operation,
    kind,
    size,
    ms,
    peakRssGrowth: Math.max(0, after.hwm - before.rss),
    peakExact: exact,
    heapGrowthNoGc: heapAfter - heap0,
    retainedHeap: retained,
    outputLength,
    inputLength: original.length,
  }),
);
