/**
 * The probe's report, as data and as text: what was probed, each property with how often it was
 * exercised and broken, and each finding with a shrunk scenario as an SMTP transcript and the DSN
 * that came back. Values that change from run to run (dates, queue ids, boundaries, the probe's
 * ports) are masked, so that the same seed gives the same report.
 *
 * @module
 */
import type { Severity } from "@dsnkit/core";
import { parseDsn } from "@dsnkit/core";
import { decoder, showLine } from "../internal/show.js";
import type { ProbeFinding } from "./properties.js";
import type { ScenarioRun, TranscriptLine } from "./run.js";
import type { ProbeCapabilities, ProbeScenario } from "./scenario.js";
import type { KnownFinding } from "./targets.js";

/**
 * One property in a report: how many runs exercised it and how many broke it.
 *
 * @example
 * const p: ProbeReportProperty = { id: "probe.status", rfc: "RFC 3464 §2.3.4", description: "…", exercised: 61, failed: 0 };
 */
export interface ProbeReportProperty {
  id: string;
  rfc: string;
  description: string;
  /** Runs in which the property had something to check. */
  exercised: number;
  /** Runs in which it was broken (errors only). */
  failed: number;
}

/**
 * The shrunk example of a finding: the scenario, how many shrinking steps found it, the SMTP
 * transcript, the findings of that run for this rule, and the DSN it is about (masked lines).
 *
 * @example
 * const e: ProbeExample = { tag: "t7", scenario, shrinks: 4, messages: ["…"], transcript: ["C: MAIL FROM:<…>"], dsn: ["Return-Path: <>"] };
 */
export interface ProbeExample {
  tag: string;
  scenario: ProbeScenario;
  shrinks: number;
  /** The messages of this rule's findings in the example run. */
  messages: string[];
  transcript: string[];
  /** The DSN the first finding is about, masked, with `>` before the finding's line. */
  dsn?: string[];
}

/**
 * One finding of a report: a property and rule broken, in how many runs, its verdict when the
 * target lists it as known, and a shrunk example.
 *
 * @example
 * const f: ProbeReportFinding = { property: "probe.original-recipient", rule: "probe.original-recipient", rfc: "RFC 3461 §4.2", severity: "error", runs: 40, example };
 */
export interface ProbeReportFinding {
  property: string;
  rule: string;
  rfc: string;
  severity: Severity;
  /** Runs that broke it. */
  runs: number;
  known?: KnownFinding;
  example: ProbeExample;
}

/**
 * What {@link formatProbeReport} prints and `dsnkit probe --json` writes.
 *
 * @example
 * const r: ProbeReport = { target: "postfix", title: "Postfix", submit: "smtp://127.0.0.1:2725", greeting: "220 …", capabilities, seed: 1, numRuns: 100, runs: 100, shrinkRuns: 20, complete: true, lateDsns: 0, strayDsns: 0, properties: [], findings: [] };
 */
export interface ProbeReport {
  target: string;
  title: string;
  submit: string;
  greeting: string;
  capabilities: ProbeCapabilities;
  seed: number;
  numRuns: number;
  /** Scenarios run (before shrinking). */
  runs: number;
  /** More runs made while shrinking. */
  shrinkRuns: number;
  /** False when the time budget ran out: the report may then differ from run to run. */
  complete: boolean;
  /** DSNs that came after their run had been judged (they are not in the findings). */
  lateDsns: number;
  /** DSNs the probe could not tie to any run. */
  strayDsns: number;
  properties: ProbeReportProperty[];
  findings: ProbeReportFinding[];
}

// ---- masking ----

const MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
const GENERIC_VOLATILE = [
  // RFC 5322 date-times, with the weekday and a zone comment when present.
  `(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s*)?\\d{1,2}\\s+(?:${MONTHS})\\s+\\d{4}\\s+\\d{2}:\\d{2}(?::\\d{2})?(?:\\s*[+-]\\d{4}|\\s+[A-Z]{1,5})?(?:\\s*\\([A-Za-z0-9 +:-]*\\))?`,
  // ISO 8601 date-times.
  "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?",
];

/**
 * Masks what changes from run to run in the text of replies and DSNs.
 *
 * @example
 * const mask: Masker = createMasker({ volatile: ["\\b[0-9A-F]{10}\\b"], ports: { 40123: "remote-port" } });
 */
export type Masker = (text: string) => string;

/**
 * Builds a {@link Masker}: dates (RFC 5322 and ISO 8601) become `<date>`, matches of the
 * target's `volatile` patterns `<id>`, and the given port numbers their names.
 *
 * @param o - The target's patterns and the ports to name.
 * @returns the masker.
 * @example
 * createMasker({ volatile: ["\\b[0-9A-F]{10}\\b"], ports: {} })("250 2.0.0 Ok: queued as 4F1A2B3C4D");
 * //=> "250 2.0.0 Ok: queued as <id>"
 */
export function createMasker(o: { volatile: readonly string[]; ports: Readonly<Record<number, string>> }): Masker {
  const dates = new RegExp(GENERIC_VOLATILE.join("|"), "g");
  const ids = o.volatile.length > 0 ? new RegExp(o.volatile.map((v) => `(?:${v})`).join("|"), "g") : undefined;
  const portList = Object.keys(o.ports).filter((p) => Number(p) >= 1024);
  const ports = portList.length > 0 ? new RegExp(`(?<![\\d.])(?:${portList.join("|")})(?!\\d)`, "g") : undefined;
  return (text) => {
    let s = text.replace(dates, "<date>");
    if (ids !== undefined) s = s.replace(ids, "<id>");
    if (ports !== undefined) s = s.replace(ports, (p) => `<${o.ports[Number(p)]}>`);
    return s;
  };
}

/** A DSN's lines, masked: its boundaries, its own Message-ID, then what `mask` masks. */
function maskedDsnLines(text: string, mask: Masker): string[] {
  const boundaries = new Set<string>();
  for (const m of text.matchAll(/boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))/gi)) boundaries.add(m[1] ?? m[2]!);
  let s = text;
  let n = 0;
  for (const b of [...boundaries].sort((a, c) => c.length - a.length)) s = s.split(b).join(`<boundary${boundaries.size > 1 ? ++n : ""}>`);
  const lines = s.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const headerEnd = lines.indexOf("");
  for (let i = 0; i < (headerEnd < 0 ? lines.length : headerEnd); i++) if (/^message-id\s*:/i.test(lines[i]!)) lines[i] = lines[i]!.replace(/:.*$/, ": <message-id>");
  return lines.map(mask);
}

/**
 * The DSN for the report: masked, controls made visible, `>` before `line`, and the returned
 * original cut after 12 lines.
 *
 * @param raw - The DSN.
 * @param mask - The masker.
 * @param line - A line to mark (1-based; 0 marks none).
 * @returns the lines.
 * @example
 * dsnExcerpt(raw, mask, 44)[43];
 * //=> "> 44 | Status: 5.0.0"
 */
export function dsnExcerpt(raw: Uint8Array, mask: Masker, line: number): string[] {
  const lines = maskedDsnLines(decoder.decode(raw), mask);
  let cutFrom = lines.length;
  try {
    const o = parseDsn(raw).original;
    if (o !== undefined) cutFrom = Math.max(o.line + 12, line + 3);
  } catch {
    // not a DSN: show it whole
  }
  const width = String(Math.min(lines.length, cutFrom)).length;
  const out = lines.slice(0, cutFrom).map((l, i) => `${i + 1 === line ? ">" : " "} ${String(i + 1).padStart(width)} | ${showLine(l)}`);
  if (cutFrom < lines.length) out.push(`  ${" ".repeat(width)} … (${lines.length - cutFrom} more lines of the returned message)`);
  return out;
}

function showTranscript(lines: readonly TranscriptLine[], client: string, server: string, mask: Masker): string[] {
  return lines.map((l) => `${l.dir === "C" ? client : server}: ${showLine(mask(l.text))}`);
}

/**
 * A run as an SMTP transcript: the submission (`C:` the probe, `S:` the MTA), what the MTA said
 * to the remote server (`M:` the MTA, `R:` the remote server), and each DSN's envelope as the
 * return server received it.
 *
 * @param run - The run.
 * @param mask - The masker.
 * @returns the lines.
 * @example
 * runTranscript(run, mask)[1];
 * //=> "  C: MAIL FROM:<t1.sender@return.probe.test> RET=HDRS"
 */
export function runTranscript(run: ScenarioRun, mask: Masker): string[] {
  const out = ["The probe submits to the MTA under test:", ...showTranscript(run.submission.transcript, "  C", "  S", mask)];
  if (run.submission.error !== undefined) out.push(`  (${run.submission.error})`);
  out.push("The MTA relays to the remote server:");
  if (run.remote.transcript.length === 0) out.push("  (nothing)");
  else out.push(...showTranscript(run.remote.transcript, "  M", "  R", mask));
  if (run.dsns.length === 0) out.push(`The return server received no DSN${run.timedOut ? " (the run waited its whole timeout)" : ""}.`);
  run.dsns.forEach((d, i) => {
    out.push(`The return server received DSN ${i + 1}:`);
    out.push(...showTranscript(d.transcript, "  M", "  R", mask));
  });
  return out;
}

// ---- the text report ----

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The key of a finding for counting and shrinking: the property, and checkDsn's rule for
 * `probe.dsn-conforms`.
 *
 * @example
 * findingKey({ property: "probe.dsn-conforms", rule: "rfc5322.bare-lf" });
 * //=> "probe.dsn-conforms rfc5322.bare-lf"
 */
export function findingKey(f: Pick<ProbeFinding, "property" | "rule">): string {
  return f.property === f.rule ? f.property : `${f.property} ${f.rule}`;
}

/**
 * Formats a report for a person: what was probed and how, one line per property (pass, FAIL,
 * or not exercised), then each finding with its rule, RFC section, verdict when known, the shrunk
 * scenario as an SMTP transcript and the DSN that came back.
 *
 * @param report - The report.
 * @returns the text, ending in a newline.
 * @example
 * formatProbeReport(report).split("\n")[0];
 * //=> "dsnkit probe: Postfix at smtp://127.0.0.1:2725"
 */
export function formatProbeReport(report: ProbeReport): string {
  const c = report.capabilities;
  const offers = [c.dsn ? "DSN" : undefined, c.smtputf8 ? "SMTPUTF8" : undefined, c.eightBitMime ? "8BITMIME" : undefined, c.size !== undefined ? `SIZE ${c.size}` : undefined].filter((x) => x !== undefined);
  const lines = [
    `dsnkit probe: ${report.title} at ${report.submit}`,
    `  greeting   ${report.greeting}`,
    `  offers     ${offers.length > 0 ? offers.join(", ") : "none of DSN, SMTPUTF8, 8BITMIME, SIZE"}${c.dsn ? "" : " (without DSN: no NOTIFY, ORCPT, RET or ENVID is tried)"}`,
    `  scenarios  ${report.runs} of ${report.numRuns} run with seed ${report.seed}; ${plural(report.shrinkRuns, "more run")} while shrinking`,
  ];
  if (!report.complete) lines.push("  budget     the time budget ran out: fewer scenarios or shrinking steps than asked, and the report may differ from run to run");
  if (report.lateDsns > 0 || report.strayDsns > 0) lines.push(`  DSNs       ${report.lateDsns} came after their run was judged, ${report.strayDsns} could not be tied to a run`);
  lines.push("", "Properties:");
  const width = Math.max(...report.properties.map((p) => p.id.length));
  for (const p of report.properties) {
    const state = p.failed > 0 ? "FAIL" : p.exercised > 0 ? "pass" : " -  ";
    const detail = p.failed > 0 ? `broken in ${p.failed} of ${plural(p.exercised, "run")}` : p.exercised > 0 ? `held in ${plural(p.exercised, "run")}` : "not exercised";
    lines.push(`  ${state}  ${p.id.padEnd(width)}  ${detail}`);
  }
  const errors = report.findings.filter((f) => f.severity === "error");
  const warnings = report.findings.filter((f) => f.severity === "warning");
  lines.push("", errors.length === 0 ? "No findings." : `${plural(errors.length, "finding")}:`);
  errors.forEach((f, n) => {
    const e = f.example;
    lines.push("");
    lines.push(`${n + 1}. ${findingKey(f)} (${f.rfc}) in ${plural(f.runs, "run")}${f.known !== undefined ? ` — known: ${f.known.verdict}` : ""}`);
    if (f.known !== undefined) lines.push(`   ${f.known.note}`);
    for (const m of e.messages) lines.push(`   ${m}`);
    lines.push(`   Scenario ${e.tag}${e.shrinks > 0 ? `, shrunk in ${plural(e.shrinks, "step")}` : ""}:`);
    for (const l of e.transcript) lines.push(`   ${l}`);
    if (e.dsn !== undefined) {
      lines.push("   The DSN:");
      for (const l of e.dsn) lines.push(`   ${l}`);
    }
  });
  if (warnings.length > 0) {
    lines.push("", `Warnings of checkDsn (${warnings.length}; they break no property):`);
    for (const f of warnings) lines.push(`  ${f.rule} (${f.rfc}) in ${plural(f.runs, "run")}: ${f.example.messages[0] ?? ""} (scenario ${f.example.tag})`);
  }
  return lines.join("\n") + "\n";
}
