/**
 * Writes docs/benchmarks.md from the figures of one run. Every number in it comes from that run,
 * except the instruction counts of the optimisation history, which were measured with callgrind
 * when each change was made (bench/callgrind.mjs reproduces them) and are marked as such.
 */
import { BOUNCE_HISTORY, INSTRUCTION_HISTORY } from "./history.mjs";
import { median } from "./measure.mjs";

const n = (v, digits = 3) => {
  if (!Number.isFinite(v)) return "–";
  const p = Number(v.toPrecision(digits));
  return p >= 1000 ? Math.round(p).toLocaleString("en-US") : String(p);
};
const rate = (v) => (v >= 1e6 ? `${n(v / 1e6)} M` : v >= 1e3 ? `${n(v / 1e3)} k` : n(v));
const time = (ms) => (ms >= 1000 ? `${n(ms / 1000)} s` : ms >= 1 ? `${n(ms)} ms` : ms >= 0.001 ? `${n(ms * 1000)} µs` : `${n(ms * 1e6)} ns`);
const pct = (v) => `${n(100 * v, 2)} %`;
const times = (v) => `${n(v)}×`;
const octets = (v) => (v >= 1048576 ? `${n(v / 1048576)} MB` : v >= 1024 ? `${n(v / 1024)} KB` : `${v} B`);
/** Peak RSS growth: below a page it is not measurable (the operation reused pages already committed). */
const peak = (v) => (v < 4096 ? "< 4 KB" : octets(v));
const noise = (r) => `±${Math.round(50 * r.noise)} %`;
const yes = (ok) => (ok ? "**met**" : "**missed**");

function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `|${head.map((h, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

const find = (list, name) => list?.find((r) => r.name === name);

/** a's speed over b's: the median of the per-round ratios of two candidates of one comparison. */
export function speedOver(a, b) {
  return median(a.rounds.map((x, i) => x / b.rounds[i]));
}

/** The median of the per-round differences of two start-up rows (ms), in wall clock or CPU time. */
export function startupOver(a, b, clock) {
  return median(a[clock].rounds.map((x, i) => x - b[clock].rounds[i]));
}

/** The targets of issues 8 and 17, judged from the figures. */
export function targets(f) {
  const out = [];
  const r = f.render;
  if (r) {
    const dsn = r[0];
    const tpl = find(r, "template literal");
    const mt = find(r, "mimetext (patched)");
    const mn = find(r, "nodemailer MimeNode");
    const vs = (x) => 1 / x.ratio; // dsnkit's speed over x's, median of per-round ratios
    out.push({ issue: 17, what: "renderDsn ≥ 0.4× the template literal (aim 0.5×; issue 8 asked 0.3×)", figure: `${n(vs(tpl), 2)}×`, ok: vs(tpl) >= 0.4 });
    const rb = find(r, "dsnkit renderBounce");
    if (rb) out.push({ issue: 17, what: "renderBounce ≥ 0.2× the template literal (aim 0.3×)", figure: `${n(speedOver(rb, tpl), 2)}×`, ok: speedOver(rb, tpl) >= 0.2 });
    out.push({ issue: 8, what: "renderDsn ≥ 10× mimetext", figure: `${n(vs(mt))}×`, ok: vs(mt) >= 10 });
    out.push({ issue: 8, what: "renderDsn ≥ 50× MimeNode", figure: `${n(vs(mn))}×`, ok: vs(mn) >= 50 });
  }
  const st = f.startup;
  if (st) {
    const row = (name) => find(st, name);
    const core = startupOver(row("import @dsnkit/core"), row("import of an empty module"), "cpu");
    out.push({ issue: 17, what: "import @dsnkit/core ≤ 50 ms more than an empty module (CPU time)", figure: time(core), ok: core <= 50 });
    const ses = startupOver(row("import @dsnkit/ses"), row("import @aws-sdk/client-ses"), "cpu");
    out.push({ issue: 17, what: "import @dsnkit/ses ≤ 50 ms more than an empty module, the AWS SDK's own cost aside (CPU time)", figure: time(ses), ok: ses <= 50 });
    for (const name of ["dsnkit --help", "dsnkit render"]) {
      const x = row(name).wall.ratio;
      out.push({ issue: 17, what: `${name} within 2.5× bare node -e 0 (wall clock)`, figure: times(x), ok: x <= 2.5 });
    }
  }
  if (f.parse) {
    const p = f.parse.dsnkit;
    const mp = find(p, "mailparser + split fields");
    out.push({ issue: 8, what: "parseDsn ≥ 5× mailparser (dsnkit's output)", figure: `${n(1 / mp.ratio)}×`, ok: 1 / mp.ratio >= 5 });
    const pp = find(f.parse.postfix, "mailparser + split fields");
    out.push({ issue: 8, what: "parseDsn ≥ 5× mailparser (Postfix samples)", figure: `${n(1 / pp.ratio)}×`, ok: 1 / pp.ratio >= 5 });
  }
  const s = f.scaling;
  if (s) {
    for (const [name, pts] of Object.entries(s.recipients)) {
      if (name === "template" || name === "split fields") continue;
      const a = pts.find((p) => p.size === 1000);
      const b = pts.find((p) => p.size === 10000);
      if (a && b) out.push({ issue: 8, what: `${name}: 10,000 recipients ≤ 12× the time of 1,000`, figure: times(b.msPerOp / a.msPerOp), ok: b.msPerOp / a.msPerOp <= 12 });
    }
    for (const [name, pts] of Object.entries(s.headers)) {
      if (name === "template" || name.includes("default")) continue;
      const a = pts[pts.length - 2];
      const b = pts[pts.length - 1];
      const grow = b.size / a.size;
      out.push({
        issue: 8,
        what: `${name}: ${octets(b.size)} of headers ≤ ${n(1.2 * grow, 2)}× the time of ${octets(a.size)} (${n(grow, 2)}× the size, the same 20 % slack)`,
        figure: times(b.msPerOp / a.msPerOp),
        ok: b.msPerOp / a.msPerOp <= 1.2 * grow,
      });
    }
    const body = Object.fromEntries(s.body.map((x) => [x.name, x]));
    const added = (big, small) => body[big].msPerOp - body[small].msPerOp;
    const h = added("headers, 10 MB body", "headers, standard original");
    const m = added("whole with cap, 10 MB body (over the cap: headers)", "headers, standard original");
    const b = added("renderBounce, 10 MB body", "renderBounce, standard original");
    out.push({ issue: 8, what: "a 10 MB body not returned adds < 1 ms (headers only)", figure: time(Math.max(0, h)), ok: h < 1 });
    out.push({ issue: 8, what: "a 10 MB body not returned adds < 1 ms (whole with cap, over the cap)", figure: time(Math.max(0, m)), ok: m < 1 });
    out.push({ issue: 8, what: "a 10 MB body not returned adds < 1 ms (renderBounce)", figure: time(Math.max(0, b)), ok: b < 1 });
  }
  return out;
}

/** What the step from 1,000 to 10,000 recipients costs the bare splitter, said as the run found it. */
function splitFloor(s) {
  const pts = s.recipients["split fields"];
  if (pts === undefined) return "";
  const r = pts.find((p) => p.size === 10000).msPerOp / pts.find((p) => p.size === 1000).msPerOp;
  const what =
    "a reader that does nothing but split the delivery-status text into fields (the **split fields** column: the baselines' splitter on the part alone, no MIME, no typing, no checks)";
  return r > 12
    ? `The same step costs ${what} ${times(r)} in this run: its result grows the same way, and it is not linear either. `
    : `The same step costs ${what} ${times(r)} in this run: its smaller result stays closer to linear. `;
}

/** What limits each missed target, from the figures of the run. */
function missedTargets(f, t) {
  const out = [];
  const missed = (prefix) => t.some((x) => !x.ok && x.what.startsWith(prefix));
  const r = f.render;
  const v = f.validation;
  if (r && missed("renderDsn ≥ 0.4×")) {
    const tpl = find(r, "template literal");
    let checks = "";
    if (v) {
      const tv = 1 / find(v, "template literal").ratio; // the template's time over renderDsn's
      const vb = 1 / find(v, "validateBounce (the model)").ratio;
      const hb = 1 / find(v, "plainHeaderBlock (check the returned headers)").ratio;
      checks =
        `Validating the model and checking the returned headers character by character take ${pct(vb)} and ${pct(hb)} of its time in this run, together ${times((vb + hb) / tv)} the template's whole time; ` +
        `at 0.4× the template, renderDsn may take ${times(2.5)} the template's time, which leaves ${times(Math.max(0, 2.5 - (vb + hb) / tv))} of it for writing the same message with the folding, encoding decisions and boundary search the template skips. `;
    }
    out.push(
      `**renderDsn against the template** (${n(1 / tpl.ratio, 2)}×, the target is 0.4×): renderDsn does what the template skips. ` +
        checks +
        "The header check is one pass of a sticky regular expression at about 9 instructions an octet (14,300 for the fixture's 1,589 octets, 0.77× the template's 18,500 for the whole message, by callgrind); the other ways tried (a negated character class, a charCodeAt loop, per-line searches) cost more. " +
        "What else was cut in issue 17 is in [What limits the render figure](#what-limits-the-render-figure): the body of each part is no longer copied to be searched for the boundary; what is left is spread over the model's checks, string building and the one copy that flattening the message makes.",
    );
  }
  if (r && missed("renderBounce ≥ 0.2×")) {
    const tpl = find(r, "template literal");
    const rb = find(r, "dsnkit renderBounce");
    out.push(
      `**renderBounce against the template** (${n(speedOver(rb, tpl), 2)}×, the target is 0.2×): renderBounce validates the request, resolves it and renders the model, validating it again, where the template writes a model it is handed; see [What limits the render figure](#what-limits-the-render-figure) for the share of each step.`,
    );
  }
  if (f.startup && t.some((x) => !x.ok && x.issue === 17 && /node -e 0|empty module/.test(x.what))) {
    out.push(
      "**Start-up**: what limits each figure is in [Start-up](#start-up): Node's own work for a process that loads ES modules, writes to stdout and draws random bytes (the import of an empty module, opening stdout, crypto.getRandomValues' first call) is most of it, and the ES module loader's cost for each file.",
    );
  }
  if (r && missed("renderDsn ≥ 10× mimetext")) {
    const tpl = find(r, "template literal");
    const mt = find(r, "mimetext (patched)");
    const mtVsTpl = mt.ratio / tpl.ratio; // mimetext's speed over the template's
    const need = 10 * mtVsTpl; // dsnkit's speed over the template's needed for 10×
    out.push(
      `**renderDsn against mimetext** (${n(1 / mt.ratio)}×, the target is 10×): mimetext itself runs at ${n(mtVsTpl, 2)}× the template's speed here (it validates little and encodes the Subject and display name as base64 whatever they hold), so 10× mimetext would need renderDsn at ${n(need, 2)}× the template's speed, ` +
        `while renderDsn's own checks of the model and of the returned headers ` +
        (v
          ? `take ${n((1 / find(v, "validateBounce (the model)").ratio + 1 / find(v, "plainHeaderBlock (check the returned headers)").ratio) / (1 / find(v, "template literal").ratio), 2)}× the template's whole time. `
          : "take about as long as the whole template. ") +
        "The gap is the price of the checks, not of overhead that could be cut: the profile of renderDsn (node --cpu-prof, and callgrind's instruction counts) is spread over validation, the header scan, string building and flattening, with no single cost left that is not doing required work. " +
        `mimetext with its default LF line ends converted to CRLF afterwards is ${n(1 / find(r, "mimetext (patched), LF output converted").ratio)}× slower than renderDsn.`,
    );
  }
  const s = f.scaling;
  if (s && missed("renderBounce: 10,000 recipients")) {
    const step = (name) => {
      const pts = s.recipients[name];
      return pts.find((p) => p.size === 10000).msPerOp / pts.find((p) => p.size === 1000).msPerOp;
    };
    out.push(
      `**renderBounce at 10,000 recipients** (${times(step("renderBounce"))} the time of 1,000, against ${times(step("renderDsn"))} for renderDsn on the resolved model): before it renders, renderBounce validates the request and builds the model, about one object per field of every recipient; at 10,000 recipients that model outgrows V8's young generation, as parseDsn's result does (below), and its collections are what the step adds over renderDsn's. ` +
        "In the profile (node --cpu-prof) the work per recipient is the same at both sizes; what grows is the garbage collector's share and the time spent allocating. Figures of runs on this machine fall on both sides of 12×.",
    );
  }
  if (s && missed("parseDsn: 10,000 recipients")) {
    const pts = s.recipients.parseDsn;
    const g = s.parseYoungGeneration;
    const ratio = (x) => x.msPerOp[1] / x.msPerOp[0];
    let young = "";
    if (g) {
      const a = ratio(g.default);
      const b = ratio(g.large);
      young =
        `In child processes of this run, each with a fresh heap, the same step took ${times(a)} with V8's default young generation and ${times(b)} with \`--max-semi-space-size=512\`` +
        (b < 0.8 * a
          ? ": the young generation's size is much of it. "
          : ": in this run a larger young generation did not help, so the rest is the memory a result that size occupies, well beyond the CPU's caches. ");
    }
    out.push(
      `**parseDsn at 10,000 recipients** (${times(pts.find((p) => p.size === 10000).msPerOp / pts.find((p) => p.size === 1000).msPerOp)} the time of 1,000): parseDsn returns a model and the fields as read for every recipient, about ${octets(f.memory?.recipients?.parse?.find((p) => p.size === 10000)?.retainedHeap ?? NaN)} of live objects for 10,000 of them. ` +
        "A result that size outgrows V8's young generation (semispaces of at most 16 MB on 64-bit) and the CPU's caches: each scavenge copies the part of it built so far, and what is promoted brings full collections. " +
        splitFloor(s) +
        young +
        "The table's figure comes from the bench's own process, whose heap already holds the inputs of every size and every earlier result, and varies most from run to run. " +
        "Profiled on this machine (node --cpu-prof, 1,000 and 10,000 recipients), the collector's share grows from about 11 % to about 29 %, and the functions that build the result (the field reader, the model builder) take 20 to 90 times as long for ten times the fields, while the passes that only read the text (the MIME scan, the line-end checks) take 7 to 13 times as long: the cost is in allocating the result, not in a search that grows. " +
        "The parser was profiled and its garbage cut twice: 01e46ec (no Set, dictionary object or split per block) made 1,000 recipients 1.4× and 10,000 1.2× faster; then the fields were read straight into the objects the result returns, with no internal copy, and RFC 3464 names lower-cased from a table, which cut what one parse allocates from about 2,520 to 2,220 octets per recipient. What remains is the size of the result, which is the API's.",
    );
  }
  return out;
}

export function writeReport(f) {
  const m = f.meta;
  const L = [];
  L.push("# Benchmarks");
  L.push("");
  L.push(
    "How fast dsnkit renders and parses Delivery Status Notifications, measured side by side with what people use instead. " +
      "Written by `npm run bench` (bench/run.mjs); the raw figures, every round of every candidate, are in [benchmarks.json](benchmarks.json). " +
      "Benchmarks are not tests: CI does not run them and no test asserts a time.",
  );
  L.push("");
  L.push(
    `This run: ${m.date.slice(0, 16).replace("T", " ")} UTC, Node ${m.node} (V8 ${m.v8}), ${m.cores} × ${m.cpu}, ${octets(m.memory)} RAM, commit ${m.commit}. ` +
      `The machine was shared with other work: load average ${m.loadStart.map((x) => n(x, 2)).join(" / ")} at the start and ${m.loadEnd.map((x) => n(x, 2)).join(" / ")} at the end, on ${m.cores} cores. ` +
      "Absolute figures from such a machine are low and noisy; the ratios are what to read (see [Method and noise](#method-and-noise))." +
      (m.quick ? " **This was a --quick run: few short rounds, figures not worth quoting.**" : ""),
  );
  L.push("");

  const t = targets(f);
  if (t.length > 0) {
    L.push("## Targets");
    L.push("");
    L.push(table(["target", "issue", "this run", ""], t.map((x) => [x.what, String(x.issue), x.figure, yes(x.ok)])));
    L.push("");
    L.push(
      "Ratios are medians of per-round ratios: in each round every candidate ran one batch, within milliseconds of the others (for start-up, one process each). " +
        "The start-up targets in milliseconds are judged on CPU time, the work a process does, which the load of a shared machine changes far less than the wall clock (both are in [Start-up](#start-up)); the ratios to node -e 0 on the wall clock, what a user waits, measured round by round.",
    );
    L.push("");
    const missed = missedTargets(f, t);
    if (missed.length > 0) {
      L.push("### Where a target is missed, and what limits it");
      L.push("");
      for (const m of missed) L.push(`- ${m}`);
      L.push("");
    }
  }

  // ------------------------------------------------------------------ render
  if (f.render) {
    const fx = f.fixture;
    L.push("## Render: one recipient, about 1.5 KB of original headers");
    L.push("");
    L.push(
      `The standard fixture (bench/fixtures/standard-original.eml): a DoesNotExist bounce for one recipient of an original with ${fx.headerOctets} octets of headers ` +
        `(Received, Received-SPF, Authentication-Results, DKIM-Signature, From, To, Subject, ...) returned as text/rfc822-headers; the DSN is ${fx.dsnOctets} octets. ` +
        "Every candidate writes the same DSN from the same resolved model, and the harness reads every result (a string's last character, a Buffer's last byte), so each pays for producing flat output.",
    );
    L.push("");
    const rows = f.render.map((r) => [
      r.name,
      rate(r.opsPerSec),
      time(1000 / r.opsPerSec),
      r.name === "dsnkit renderDsn" ? "1 (reference)" : r.ratio >= 1 ? `${n(r.ratio)}× faster` : `${n(1 / r.ratio)}× slower`,
      noise(r),
    ]);
    L.push(table(["candidate", "messages/s", "time/message", "vs dsnkit renderDsn", "noise"], rows));
    L.push("");
    L.push("- **dsnkit renderDsn**: the render step on a resolved model (`Bounce`), with a fixed boundary so that its bytes can be compared with the template's; it validates the model first, as it always does.");
    L.push("- **random boundary**: the same with a fresh random boundary (12 bytes from `crypto.getRandomValues`), as in production.");
    L.push("- **renderBounce**: the whole path from an SES SendBounce request: validate the request, resolve (defaults, the original's sender and Message-ID, generated explanation), validate the model, render. With the Message-ID and the boundary given, so that it writes the template's bytes.");
    L.push("- **renderBounce, random ids**: the same as users call it, with neither given: a random Message-ID and boundary (28 bytes of a pool of random bytes drawn from `crypto.getRandomValues` 1,536 at a time). Checked before timing to write the same DSN but for those two.");
    L.push("- **template literal** (bench/baselines/template.mjs): the practical limit. It writes byte-for-byte the same DSN (checked before timing) with no validation, no encoding, no folding and no boundary check: only CRLF line ends in the explanation, the dates, and cutting the original at its empty line.");
    L.push("- **mimetext (patched)** (bench/baselines/mimetext.mjs): mimetext 3 cannot write multipart/report, and accepts only text/plain and text/html as bodies; the delivery-status and header parts go in as 7bit attachments, its line end is set to CRLF, and the patch replaces its top-level `multipart/mixed` with `multipart/report; report-type=delivery-status` (one search and replace, timed). " +
        "Setting mimetext's line end is the cheapest way to CRLF output, and the row the target is judged on; the **LF output converted** row leaves mimetext's Linux default (LF) and converts the whole output to CRLF afterwards, as a user who does not reach into mimetext's internals would.");
    L.push("- **nodemailer MimeNode** (bench/baselines/mimenode.mjs): the way ZoneMTA's bounce plugin and Forward Email build bounces: a multipart/report root node, headers set on it, one child per part with string content, then `build()` (a stream collected into a Buffer). MimeNode encodes the header part as quoted-printable, since it has lines over 76 characters.");
    L.push("");
    const checked = fx.baselines.map((b) => `${b.name}: ${b.octets} octets, same delivery-status fields when read back by mailparser${b.checkDsnErrors ? `, checkDsn errors: ${b.checkDsnErrors.length === 0 ? "none" : b.checkDsnErrors.join(", ")}` : ""}`);
    L.push(`Checked before timing: ${checked.join("; ")}.`);
    L.push("");
  }

  // ------------------------------------------------------------------ limits
  if (f.validation) {
    const v = f.validation;
    const ref = v[0];
    const share = (name) => {
      const r = find(v, name);
      return r ? 1 / r.ratio : NaN; // time(r) / time(renderDsn)
    };
    const tpl = find(v, "template literal");
    L.push("### What limits the render figure");
    L.push("");
    L.push("The same run, timing the steps of renderDsn on their own (shares are of renderDsn's time, medians of per-round ratios):");
    L.push("");
    const rb = find(v, "renderBounce (request to DSN)");
    const rows = v.map((r) => [r.name, time(1000 / r.opsPerSec), r === ref ? "100 %" : pct(1 / r.ratio)]);
    L.push(table(["step", "time", "share of renderDsn"], rows));
    L.push("");
    const vb = share("validateBounce (the model)");
    const hb = share("plainHeaderBlock (check the returned headers)");
    const ds = share("writeDeliveryStatus (the fields)");
    L.push(
      `- **Validation** of the model is ${pct(vb)} of renderDsn. It cannot be skipped: renderDsn accepts a model built by hand, and checks every string for control characters and lone surrogates, both mailboxes, both msg-ids, every status code and its agreement with the Action, and whether every field can be folded under 998 octets. ` +
        "The common case of each check is one pass of a regular expression (V8 runs it as native code), the exact scanner runs only when it finds something.",
    );
    L.push(
      `- **Checking the returned headers** is ${pct(hb)}: every character of the original's ${f.fixture.headerOctets} octets of headers is read to make sure that what goes into the report is printable ASCII in well-formed CRLF lines of at most 998 octets (anything else takes the careful path, which re-folds, drops malformed lines and labels 8-bit text). ` +
        "The template copies the block unread. This is the largest single cost, and it is linear in the size of the headers (see below); it is one pass of a sticky regular expression that cannot backtrack more than a line.",
    );
    L.push(
      `- **Writing** the parts: the delivery-status fields (${pct(ds)}), the folded top-level header, the generated text, and checking that the boundary occurs in no part (one search of each part). ` +
        `The template literal takes ${pct(1 / tpl.ratio)} of renderDsn's time for the whole message; it is the floor that string building and flattening set.`,
    );
    if (rb) {
      const vr = share("validateBounceRequest (the request)");
      const rs = share("resolveBounce (validate request + resolve)");
      L.push(
        `- **renderBounce** (request to DSN) takes ${times(1 / rb.ratio)} renderDsn's time: validating the request (${times(vr)} renderDsn) and resolving it (${times(rs)}, including that validation: defaults, finding the original's Return-Path, From and Message-ID, generating the explanation) come before the render. ` +
          `Validation in all (the request's and the model's) is ${pct((vr + vb) / (1 / rb.ratio))} of renderBounce. ` +
          "Nothing is read twice on the way: the bounce is built from what validating the request read (the BounceSender's mailbox, MTA names, Diagnostic-Codes, dates), and the original's header block is checked once, by resolution, whose finding the render uses; the model is still validated in full before it is written, as every model is.",
      );
    }
    L.push("");
    L.push(
      "Instruction counts (callgrind, which counts the same under any load) for one renderDsn of the standard fixture, as each optimisation landed; `node bench/callgrind.mjs render` measures the current build the same way:",
    );
    L.push("");
    L.push(table(["change", "instructions / renderDsn", "vs before"], INSTRUCTION_HISTORY.map((h, i) => [h.change, h.ir.toLocaleString("en-US"), i === 0 ? "" : pct(h.ir / INSTRUCTION_HISTORY[i - 1].ir - 1)])));
    L.push("");
    const H = INSTRUCTION_HISTORY;
    const fmt = (v) => v.toLocaleString("en-US");
    L.push(
      `The template literal takes ${fmt(H.template)} instructions for the same message, flattening included: by this count renderDsn is now ${n(H.template / H[H.length - 1].ir, 2)}× the template (it was ${n(H.template / H[0].ir, 2)}×). ` +
        `Over the same commits, renderDsn with a random boundary went from ${fmt(H.randomBoundary.before)} to ${fmt(H.randomBoundary.after)} instructions, renderBounce from ${fmt(H.renderBounce.before)} to ${fmt(H.renderBounce.after)}, and validateBounce alone from ${fmt(H.validateBounce.before)} to ${fmt(H.validateBounce.after)}.`,
    );
    L.push("");
    L.push(
      "The same count for one renderBounce of the standard fixture (Message-ID and boundary given; `node bench/callgrind.mjs bounce`), as each change of issue 17 landed, each measured with `--commit` against the same inputs (`--iterations=3000 --warm=7000`):",
    );
    L.push("");
    const B = BOUNCE_HISTORY;
    L.push(table(["change", "instructions / renderBounce", "vs before"], B.map((h, i) => [h.change, h.ir.toLocaleString("en-US"), i === 0 ? "" : pct(h.ir / B[i - 1].ir - 1)])));
    L.push("");
    L.push(
      `By this count renderBounce went from ${n(B.template / B[0].ir, 2)}× to ${n(B.template / B[B.length - 1].ir, 2)}× the template (${fmt(B.template)} instructions). ` +
        `As users call it, with a random Message-ID, it took ${fmt(B.randomIds.before)} instructions before the pool and ${fmt(B.randomIds.after)} after (the rest of the path unchanged).`,
    );
    L.push("");
  }

  // ------------------------------------------------------------------ start-up
  if (f.startup) {
    const st = f.startup;
    const ref = st[0];
    const row = (name) => find(st, name);
    L.push("## Start-up");
    L.push("");
    L.push(
      "A fresh Node process for each figure, as a Lambda cold start or a command-line call pays it: importing each package (`node --input-type=module -e 'await import(...)'`), and the command, against bare `node -e 0`. " +
        `${st[0].wall.rounds.length} rounds, each running every process once in a rotating order (bench/lib/startup.mjs); a figure is the median of its rounds, a ratio or a difference the median of the per-round ones. ` +
        "**CPU** is the process's own user and system time (process.cpuUsage() as it exits, written by a preloaded script that every process of the table runs, node -e 0 included): it counts the work, which the load of this shared machine changes far less than the wall clock. " +
        "The processes run without NODE_EXTRA_CA_CERTS, which on this machine names the whole system bundle and makes every Node process parse it first (more than node -e 0's own work); an ordinary installation does not set it. The command is the one `npm run build` bundles.",
    );
    L.push("");
    L.push(
      table(
        ["process", "wall clock", "vs node -e 0", "CPU", "vs node -e 0", "CPU beyond an empty module"],
        st.map((r) => [
          r.name,
          time(r.wall.ms),
          r === ref ? "1" : times(r.wall.ratio),
          time(r.cpu.ms),
          r === ref ? "1" : times(r.cpu.ratio),
          r.name.startsWith("import ") && r.name !== "import of an empty module" ? time(startupOver(r, row("import of an empty module"), "cpu")) : "",
        ]),
      ),
    );
    L.push("");
    const empty = row("import of an empty module");
    const core = row("import @dsnkit/core");
    const ses = row("import @dsnkit/ses");
    const aws = row("import @aws-sdk/client-ses");
    const help = row("dsnkit --help");
    const render = row("dsnkit render");
    L.push(
      `- **An empty module** costs ${time(startupOver(empty, ref, "cpu"))} of CPU over node -e 0: the ES module loader, which node -e 0 does not start. Every import row pays it, and every ES module file the loader reads costs it about a millisecond more (resolving, reading and compiling each file is Node's own work, in its interpreter). ` +
        `**@dsnkit/core** is ${core ? time(startupOver(core, empty, "cpu")) : "–"} beyond it: its 45 files as tsc writes them, and date-fns' parseISO, now imported by its own path (four files; the package's index, which it imported before, loads some 300). ` +
        "A single-file build of core would cut that to a few milliseconds (measured: about 5 ms), but would also stop bundlers from leaving out the modules a program does not use (renderBounce alone, bundled with esbuild from a single file: 85 KB against 59 KB), so the package keeps one file per module.",
    );
    if (ses && aws)
      L.push(
        `- **@dsnkit/ses** is ${time(startupOver(ses, aws, "cpu"))} beyond the AWS SDK's SES client alone (${time(startupOver(aws, empty, "cpu"))} beyond an empty module, which @dsnkit/ses loads as it loads): its own modules and @dsnkit/core.`,
      );
    if (help && render)
      L.push(
        `- **dsnkit --help** (${times(help.wall.ratio)} node -e 0) and **dsnkit render** (${times(render.wall.ratio)}) run the command as \`npm run build\` bundles it: one file holds the program, every command's definition and commander, and each command's work is a chunk loaded when that command runs (\`--help\` reads 4 files, \`render\` 7; as tsc writes it, 12 and 64, with 78 for either before the commands loaded their work lazily). ` +
          "What remains beyond node -e 0 is mostly Node's: the ES module loader, opening stdout, and for render the first crypto.getRandomValues (for the Message-ID and the boundary) and compiling the code it runs for the first time; commander's own start is the largest part that is dsnkit's choice.",
      );
    L.push("");
  }

  // ------------------------------------------------------------------ parse
  L.push("## Parse");
  L.push("");
  if (!f.parse) {
    L.push("Not measured in this run: `parseDsn` and `checkDsn` are not in this build of @dsnkit/core.");
    L.push("");
  } else {
    L.push(
      "parseDsn returns the whole model (typed fields, dates, the human-readable text, the returned original and a list of what it tolerated); checkDsn lists every rule violation. " +
        "The baselines parse the MIME, find the delivery-status part and split it into fields (bench/baselines/parse.mjs: unfold, split blocks at empty lines and fields at the first colon; no typing, no dates, no checks), which flatters them.",
    );
    L.push("");
    const rows = (list, per = 1) =>
      list.map((r) => [r.name, rate(r.opsPerSec * per), time(1000 / (r.opsPerSec * per)), r === list[0] ? "1 (reference)" : r.ratio >= 1 ? `${n(r.ratio)}× faster` : `${n(1 / r.ratio)}× slower`, noise(r)]);
    L.push("On dsnkit's output for the standard fixture:");
    L.push("");
    L.push(table(["candidate", "DSNs/s", "time/DSN", "vs parseDsn", "noise"], rows(f.parse.dsnkit)));
    L.push("");
    L.push(`On the ${f.parse.postfixSamples} Postfix samples (packages/core/test/fixtures/postfix, LF line ends, 8bit, one to two recipients; one operation reads all of them, figures are per DSN):`);
    L.push("");
    L.push(table(["candidate", "DSNs/s", "time/DSN", "vs parseDsn", "noise"], rows(f.parse.postfix, f.parse.postfixSamples)));
    L.push("");
  }

  // ------------------------------------------------------------------ scaling
  if (f.scaling) {
    const s = f.scaling;
    L.push("## Scaling");
    L.push("");
    L.push("### Recipients");
    L.push("");
    L.push(
      "DoesNotExist bounces for 1 to 10,000 recipients (10,000 is the most a request may hold) with the standard original. The generated explanation lists every recipient, so the text part grows with them too. " +
        `The sizes of one operation ran interleaved, ${m.scaleRun.rounds} rounds. The template wrote dsnkit's bytes for ${s.templateSameBytes.filter(Boolean).length} of ${s.templateSameBytes.length} sizes.`,
    );
    L.push("");
    const ops = Object.keys(s.recipients);
    L.push(
      table(
        ["recipients", ...ops, ...ops.filter((o) => o !== "template" && o !== "split fields").map((o) => `${o} per recipient`)],
        s.recipientCounts.map((c, i) => [
          c.toLocaleString("en-US"),
          ...ops.map((o) => time(s.recipients[o][i].msPerOp)),
          ...ops.filter((o) => o !== "template" && o !== "split fields").map((o) => time(s.recipients[o][i].msPerOp / c)),
        ]),
      ),
    );
    L.push("");
    if (s.largeObjectStep) {
      const [a, b] = s.largeObjectStep;
      L.push(
        `Between 100 and 1,000 recipients the cost per recipient steps up for every candidate, the template included, and from 1,000 to 10,000 it is flat again. The step is V8's: a string over 128 KiB (kMaxRegularHeapObjectSize) is allocated in the large-object space, which costs more per octet to fill and is reclaimed only by full collections. ` +
          `The template writes ${octets(a.outputLength)} for ${a.recipients} recipients at ${time(a.usPerRecipient / 1000)} per recipient, and ${octets(b.outputLength)} for ${b.recipients} at ${time(b.usPerRecipient / 1000)}.`,
      );
      L.push("");
    }
    L.push("![Time per DSN by number of recipients](benchmarks-recipients.svg)");
    L.push("");
    L.push("### Size of the original's headers");
    L.push("");
    L.push(
      "The standard headers plus ordinary folded `X-Trace-N` fields up to the size, all returned (`maxOriginalSize: 2000000`), except in the default-cap series, where everything over 50,000 octets is cut (lowest fields first) and only the input's size grows. " +
        "parseDsn reads the DSNs with all headers returned, its limits raised for them (`maxHeaderBytes` 4 MiB, `maxHeaderFields` 100,000; the defaults, 256 KiB and 2,000 fields, refuse the two largest). " +
        `The template wrote dsnkit's bytes for ${s.headersTemplateSameBytes.filter(Boolean).length} of ${s.headersTemplateSameBytes.length} sizes.`,
    );
    L.push("");
    const hops = Object.keys(s.headers);
    L.push(
      table(
        ["header octets", ...hops],
        s.headerOctets.map((o, i) => [o.toLocaleString("en-US"), ...hops.map((h) => time(s.headers[h][i].msPerOp))]),
      ),
    );
    L.push("");
    L.push("![Time per DSN by size of the original's header block](benchmarks-headers.svg)");
    L.push("");
    L.push("### A 10 MB body that is not returned");
    L.push("");
    L.push(
      `The standard headers with a ${octets(s.bodyOctets)} body of 76-character lines, returned as headers only (the default), or asked for whole with the default 50,000-octet cap (it is over the cap, so its headers are returned). ` +
        "The renderer reads the original only up to its empty line, and decides that a whole original is over the cap from its length alone, so the body is never scanned or copied.",
    );
    L.push("");
    L.push(table(["case", "time/DSN", "noise"], s.body.map((b) => [b.name, time(b.msPerOp), `±${Math.round(50 * b.noise)} %`])));
    L.push("");
  }

  // ------------------------------------------------------------------ memory
  if (f.memory) {
    const mm = f.memory;
    L.push("### Peak memory");
    L.push("");
    L.push(
      "Each figure comes from a child process of its own (bench/memory-child.mjs, run with --expose-gc): it builds the input, runs the operation once untimed, collects garbage, resets the kernel's peak-RSS mark (`5` into /proc/self/clear_refs), runs the operation once more and reads VmHWM. " +
        "**Peak RSS growth** is the memory the operation needed at its worst, garbage included, over what the process had already committed: V8 keeps the pages of its young generation after a collection, so a small operation often needs no new page at all (shown as < 4 KB) or one step of some 100 KB. **Retained** is what the result holds after a full collection (V8 stores an ASCII string in one octet per character).",
    );
    L.push("");
    const names = { render: "renderDsn", bounce: "renderBounce", parse: "parseDsn" };
    const ops = Object.keys(mm.recipients);
    L.push(
      table(
        ["recipients", ...ops.flatMap((o) => [`${names[o]} peak RSS growth`, `${names[o]} retained`])],
        mm.recipients[ops[0]].map((row, i) => [row.size.toLocaleString("en-US"), ...ops.flatMap((o) => [peak(mm.recipients[o][i].peakRssGrowth), octets(Math.max(0, mm.recipients[o][i].retainedHeap))])]),
      ),
    );
    L.push("");
    L.push(
      table(
        ["header octets", ...ops.flatMap((o) => [`${names[o]} peak RSS growth`, `${names[o]} retained`])],
        mm.headers[ops[0]].map((row, i) => [row.size.toLocaleString("en-US"), ...ops.flatMap((o) => [peak(mm.headers[o][i].peakRssGrowth), octets(Math.max(0, mm.headers[o][i].retainedHeap))])]),
      ),
    );
    L.push("");
    L.push(
      table(
        ["original", "renderDsn peak RSS growth", "renderDsn time", "renderBounce peak RSS growth", "renderBounce time"],
        mm.body.map((b) => [
          b.kind === "recipients" ? "standard (short body)" : b.kind === "body" ? "10 MB body, headers only" : "10 MB body, whole with cap",
          peak(b.render.peakRssGrowth),
          time(b.render.ms),
          peak(b.bounce.peakRssGrowth),
          time(b.bounce.ms),
        ]),
      ),
    );
    L.push("");
    L.push("(Times in this table are of one cold run in a fresh process, not the medians above.)");
    L.push("");
    L.push("![Peak RSS growth while rendering or parsing one DSN](benchmarks-memory.svg)");
    L.push("");
  }

  // ------------------------------------------------------------------ method
  L.push("## Method and noise");
  L.push("");
  L.push(
    `- One process, all candidates of a comparison interleaved: each round runs one timed batch of each (about ${m.run.batchMs} ms, sized when warmed up), in an order that rotates from round to round; ${m.run.rounds} rounds (${m.scaleRun.rounds} for scaling). ` +
      "A figure is the median of its rounds; a ratio is the median of the per-round ratios, which cancels most of what other processes do to the machine. " +
      "**Noise** is half the interquartile range of the rounds over their median; on this shared machine single rounds swing far more, which is why nothing here is a single measurement.",
  );
  L.push("- Inputs are fixed (bench/lib/fixtures.mjs): no clock, no randomness except the random-boundary row; the template's output is compared with dsnkit's before timing, and the other baselines are read back with mailparser.");
  L.push(
    "- Instruction counts come from `valgrind --tool=callgrind` (bench/callgrind.mjs): the difference between two runs of a scenario that differ only in the number of timed iterations, divided by that number. They do not depend on load, so they back the before/after figures in the commit messages where wall-clock time is too noisy.",
  );
  const took = m.seconds === undefined ? "a few minutes" : `${Math.max(1, Math.round(m.seconds / 60))} minutes for this run`;
  L.push(
    `- \`npm run bench\` builds first (\`npm run build\`, which bundles the command), then runs everything (${took}); \`node bench/run.mjs --quick\` is a short trial run; \`--only=render,validation,parse,scaling,memory,startup\` picks sections; \`--out=dir\` writes elsewhere.`,
  );
  L.push("");
  return L.join("\n");
}
