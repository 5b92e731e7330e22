/**
 * The properties the probe checks on what comes back from the MTA under test, as data, and the
 * one function that checks them on a run.
 *
 * @module
 */
import { DsnParseError, checkDsn, parseDsn } from "@dsnkit/core";
import type { ParsedDsn, ParsedRecipientFields, Severity } from "@dsnkit/core";
import { decoder } from "../internal/show.js";
import type { ReceivedMail, ScenarioRun } from "./run.js";
import type { NotifySpec, ReplySpec } from "./scenario.js";

/**
 * One property of the probe: a stable id, the RFC sections it comes from, and what it asks of
 * the MTA under test.
 *
 * @example
 * const p: ProbeProperty = { id: "probe.null-reverse-path", rfc: "RFC 5321 §4.5.5", description: "A DSN is sent with MAIL FROM:<>." };
 */
export interface ProbeProperty {
  id: string;
  rfc: string;
  description: string;
}

/**
 * Every property the probe checks. Ids never change meaning; new ones may be added.
 *
 * @example
 * PROBE_PROPERTIES.map((p) => p.id).includes("probe.original-envelope-id");
 * //=> true
 */
export const PROBE_PROPERTIES: readonly ProbeProperty[] = Object.freeze([
  { id: "probe.dsn-conforms", rfc: "RFC 3464; RFC 6522; RFC 5322 (each rule of checkDsn)", description: "Every DSN passes @dsnkit/core's checkDsn with no error (the rule is checkDsn's)." },
  { id: "probe.null-reverse-path", rfc: "RFC 5321 §4.5.5; RFC 3461 §6.2", description: "A DSN is sent with a null reverse path: MAIL FROM:<>." },
  { id: "probe.dsn-recipient", rfc: "RFC 3461 §6.2; RFC 5321 §4.5.5", description: "A DSN is sent to the original envelope sender, and to nobody else." },
  { id: "probe.final-recipient", rfc: "RFC 3464 §2.3.2", description: "Each recipient that failed has exactly one failed block, whose Final-Recipient is its RCPT address; no block reports a recipient that did not fail or was never sent." },
  { id: "probe.original-recipient", rfc: "RFC 3461 §4.2; RFC 3464 §2.3.1", description: "Original-Recipient is present exactly when RCPT had ORCPT, with ORCPT's type and its decoded address." },
  { id: "probe.original-envelope-id", rfc: "RFC 3461 §4.4; RFC 3464 §2.2.1", description: "Original-Envelope-Id is the decoded ENVID of MAIL FROM, and absent without one." },
  { id: "probe.notify-never", rfc: "RFC 3461 §4.1", description: "NOTIFY=NEVER: no DSN at all for that recipient." },
  { id: "probe.notify-failure", rfc: "RFC 3461 §4.1", description: "NOTIFY without FAILURE: no failure DSN for that recipient." },
  { id: "probe.ret-hdrs", rfc: "RFC 3461 §4.3; RFC 6522 §4", description: "RET=HDRS: the DSN returns the headers only (text/rfc822-headers), never the body." },
  { id: "probe.status", rfc: "RFC 3464 §2.3.4; RFC 3463 §2; RFC 2034", description: "Status is the remote server's enhanced code when it gave one (a 4xx may end as 5.x.x or x.4.7), otherwise of the class of its reply." },
  { id: "probe.diagnostic-code", rfc: "RFC 3464 §2.3.6", description: "Diagnostic-Code is `smtp;` with the remote server's reply: its code, its enhanced code, and the text of every line." },
  { id: "probe.no-injection", rfc: "RFC 3464 §2.1, §2.3.6; RFC 5322 §2.2.3", description: "A line of the remote server's reply never becomes a line of its own in the DSN (a field, a boundary, an empty line)." },
  { id: "probe.auto-submitted", rfc: "RFC 3834 §5; RFC 3461 §6.2", description: "The DSN has Auto-Submitted, not `no` (auto-replied is the value for DSNs)." },
  { id: "probe.dsn-missing", rfc: "RFC 5321 §6.1; RFC 3461 §4.1", description: "A recipient the MTA accepted and could not deliver gets a failure DSN (unless its NOTIFY says otherwise)." },
] satisfies ProbeProperty[]);

const PROPERTY_BY_ID: ReadonlyMap<string, ProbeProperty> = new Map(PROBE_PROPERTIES.map((p) => [p.id, p]));

/**
 * A finding of the probe: the property broken, the rule (checkDsn's rule id for
 * `probe.dsn-conforms`, the property's id otherwise), the RFC section, the severity, what is
 * wrong, and where: which DSN of the run (0-based) and which line of it (0 when none).
 *
 * @example
 * const f: ProbeFinding = {
 *   property: "probe.status", rule: "probe.status", rfc: "RFC 3464 §2.3.4", severity: "error",
 *   message: "t1r0.ann@probe.test: Status is 5.0.0; the remote server said 550 5.1.1", dsn: 0, line: 44,
 * };
 */
export interface ProbeFinding {
  property: string;
  rule: string;
  rfc: string;
  severity: Severity;
  message: string;
  dsn?: number;
  line: number;
}

function finding(property: string, message: string, dsn: number | undefined, line: number): ProbeFinding {
  const p = PROPERTY_BY_ID.get(property)!;
  const f: ProbeFinding = { property, rule: property, rfc: p.rfc, severity: "error", message, line };
  if (dsn !== undefined) f.dsn = dsn;
  return f;
}

/** The same mailbox: equal, or equal but for the case of the domain. */
function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const i = a.lastIndexOf("@");
  const j = b.lastIndexOf("@");
  return i >= 0 && j >= 0 && a.slice(0, i) === b.slice(0, j) && a.slice(i + 1).toLowerCase() === b.slice(j + 1).toLowerCase();
}

/** `"a b"@x` and `a b@x` name the same mailbox; DSNs write quoted local parts either way. */
function unquoted(address: string): string {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  if (at > 0 && local.length >= 2 && local.startsWith('"') && local.endsWith('"')) return local.slice(1, -1).replace(/\\(.)/g, "$1") + address.slice(at);
  return address;
}

function sameMailbox(a: string, b: string): boolean {
  return sameAddress(a, b) || sameAddress(unquoted(a), unquoted(b));
}

/** What became of one recipient, as the probe saw it. */
type Outcome =
  | { kind: "refused" } // the MTA refused RCPT: the client knows, no DSN is due
  | { kind: "failed"; reply: ReplySpec; stage: "rcpt" | "data" } // the remote server refused it
  | { kind: "delivered" } // the remote server took it
  | { kind: "unknown" }; // the MTA accepted it but never offered it to the remote server

function outcomes(run: ScenarioRun): Outcome[] {
  return run.sent.recipients.map((r, i) => {
    if (!run.submission.data || run.submission.accepted[i] !== true) return { kind: "refused" };
    const events = run.remote.replies.filter((e) => sameMailbox(e.address, r.address));
    const last = events[events.length - 1];
    if (last === undefined) return { kind: "unknown" };
    if (last.reply.code >= 400) return { kind: "failed", reply: last.reply, stage: last.stage };
    return { kind: "delivered" };
  });
}

function wantsFailure(notify: NotifySpec | undefined): boolean {
  return notify === undefined || (notify !== "NEVER" && notify.includes("FAILURE"));
}

/**
 * A block that reports a failure: Action failed, or no Action a reader can use (parseDsn leaves it
 * out rather than guess; checkDsn reports it). A bounce's blocks without Action are still about
 * the recipients that bounced, and the probe must not wait for another DSN for them.
 */
function reportsFailure(block: ParsedRecipientFields): boolean {
  return block.action === "failed" || block.action === undefined;
}

/** Whitespace removed: reply text is compared this way, as MTAs fold and join reply lines. */
function squeeze(s: string): string {
  return s.replace(/\s+/g, "");
}

/** The reply as the remote server sent it, one line per line: for messages. */
function showReply(reply: ReplySpec): string {
  return reply.lines.map((l, i) => `${reply.code}${i < reply.lines.length - 1 ? "-" : " "}${reply.enhanced !== undefined ? reply.enhanced + " " : ""}${l}`).join(" / ");
}

function statusProblem(status: string | undefined, reply: ReplySpec): string | undefined {
  const cls = Math.floor(reply.code / 100);
  if (status === undefined) return `no Status (or none a reader can use); the remote server's reply was ${reply.code}${reply.enhanced !== undefined ? ` with ${reply.enhanced}` : ""}`;
  if (reply.enhanced !== undefined) {
    if (status === reply.enhanced) return undefined;
    // A temporary failure the MTA gave up on may be reported as permanent, or as "delivery time expired".
    if (cls === 4 && (status === `5${reply.enhanced.slice(1)}` || /^[45]\.4\.7$/.test(status))) return undefined;
    return `Status is ${status}; the remote server's reply carried ${reply.enhanced} (${reply.code})`;
  }
  const got = Number(status.charAt(0));
  if (got === cls || (cls === 4 && got === 5)) return undefined;
  return `Status is ${status}, of class ${got}; the remote server's reply was ${reply.code} with no enhanced code`;
}

function diagnosticProblem(r: ParsedRecipientFields, reply: ReplySpec): string | undefined {
  const d = r.diagnosticCode;
  if (d === undefined) return `no Diagnostic-Code; the remote server said ${JSON.stringify(showReply(reply))}`;
  if (d.type.toLowerCase() !== "smtp") return `Diagnostic-Code is of type ${JSON.stringify(d.type)}, not smtp, for an SMTP reply`;
  const text = squeeze(d.text);
  const missing: string[] = [];
  if (!new RegExp(`(^|\\D)${reply.code}(\\D|$)`).test(d.text)) missing.push(`the code ${reply.code}`);
  if (reply.enhanced !== undefined && !d.text.includes(reply.enhanced)) missing.push(`the enhanced code ${reply.enhanced}`);
  reply.lines.forEach((l, i) => {
    if (squeeze(l) !== "" && !text.includes(squeeze(l))) missing.push(`line ${i + 1} of the reply (${JSON.stringify(l)})`);
  });
  if (missing.length === 0) return undefined;
  return `Diagnostic-Code "${d.text.length > 200 ? d.text.slice(0, 200) + "…" : d.text}" lacks ${missing.join(", ")}`;
}

/** Reply lines that would change a DSN if they became lines of their own (the probe marks them "injected"). */
function dangerousLines(reply: ReplySpec): string[] {
  return reply.lines.filter((l) => l.includes("injected") && (/^[A-Za-z][A-Za-z0-9-]*:/.test(l) || l.startsWith("--")));
}

interface ReadDsn {
  index: number;
  mail: ReceivedMail;
  text: string;
  lines: string[];
  parsed?: ParsedDsn;
}

/**
 * Checks one run against every {@link PROBE_PROPERTIES}: each DSN the return server received is
 * checked with `checkDsn`, parsed with `parseDsn`, and held against what was submitted and what
 * the remote server answered.
 *
 * @param run - What the run recorded.
 * @returns the findings, errors and warnings (warnings come from checkDsn only), DSN by DSN.
 * @example
 * checkScenarioRun(run).map((f) => f.property);
 * //=> ["probe.original-recipient"]
 */
export function checkScenarioRun(run: ScenarioRun): ProbeFinding[] {
  const out: ProbeFinding[] = [];
  const sent = run.sent;
  const fate = outcomes(run);
  const failedBlocks = sent.recipients.map(() => 0);
  const read: ReadDsn[] = run.dsns.map((mail, index) => {
    const text = decoder.decode(mail.raw);
    const r: ReadDsn = { index, mail, text, lines: text.split(/\r?\n/) };
    try {
      r.parsed = parseDsn(mail.raw);
    } catch (e) {
      if (!(e instanceof DsnParseError)) throw e;
    }
    return r;
  });

  for (const d of read) {
    const i = d.index;
    for (const f of checkDsn(d.mail.raw)) out.push({ property: "probe.dsn-conforms", rule: f.rule, rfc: f.rfc, severity: f.severity, message: f.message, dsn: i, line: f.line });
    if (d.mail.mailFrom !== "") out.push(finding("probe.null-reverse-path", `the DSN came with MAIL FROM:<${d.mail.mailFrom}>, not MAIL FROM:<>`, i, 0));
    if (d.mail.rcptTo.length !== 1 || !sameMailbox(d.mail.rcptTo[0]!, sent.sender))
      out.push(finding("probe.dsn-recipient", `the DSN went to ${d.mail.rcptTo.map((a) => `<${a}>`).join(", ")}; the envelope sender was <${sent.sender}>`, i, 0));
    const p = d.parsed;
    if (p === undefined) continue;
    const auto = p.headers.find((h) => h.name.toLowerCase() === "auto-submitted");
    if (auto === undefined) out.push(finding("probe.auto-submitted", "the DSN has no Auto-Submitted field", i, 1));
    else if (auto.value.trim().toLowerCase().startsWith("no")) out.push(finding("probe.auto-submitted", `Auto-Submitted is ${JSON.stringify(auto.value)}`, i, auto.line));

    const envidLine = p.details.perMessage.fields.find((f) => f.name.toLowerCase() === "original-envelope-id")?.line ?? p.details.perMessage.line;
    const oeid = p.deliveryStatus.perMessage.originalEnvelopeId;
    if (run.scenario.envid !== undefined && oeid !== run.scenario.envid)
      out.push(
        finding(
          "probe.original-envelope-id",
          oeid === undefined
            ? `no Original-Envelope-Id; MAIL FROM had ENVID for ${JSON.stringify(run.scenario.envid)}`
            : `Original-Envelope-Id is ${JSON.stringify(oeid)}; the decoded ENVID is ${JSON.stringify(run.scenario.envid)}`,
          i,
          envidLine,
        ),
      );
    if (run.scenario.envid === undefined && oeid !== undefined) out.push(finding("probe.original-envelope-id", `Original-Envelope-Id ${JSON.stringify(oeid)} without an ENVID in MAIL FROM`, i, envidLine));

    let failure = false;
    p.deliveryStatus.recipients.forEach((block, b) => {
      const line = p.details.recipients[b]?.line ?? p.details.line;
      const final = block.finalRecipient.address;
      let j = sent.recipients.findIndex((r) => sameMailbox(r.address, final));
      const exact = j >= 0;
      if (j < 0 && block.originalRecipient !== undefined) j = sent.recipients.findIndex((r) => sameMailbox(r.address, block.originalRecipient!.address));
      if (j < 0) {
        out.push(finding("probe.final-recipient", `a block reports ${final}, to which the probe sent nothing in this run`, i, line));
        return;
      }
      const want = sent.recipients[j]!;
      if (!exact) out.push(finding("probe.final-recipient", `Final-Recipient is ${final}; the RCPT address was ${want.address}`, i, line));
      // Original-Recipient: exactly when ORCPT was given, with its type and decoded address.
      const orig = block.originalRecipient;
      if (want.orcpt === undefined && orig !== undefined)
        out.push(finding("probe.original-recipient", `${want.address}: Original-Recipient ${orig.type}; ${orig.address} without ORCPT in RCPT`, i, line));
      else if (want.orcpt !== undefined && orig === undefined)
        out.push(finding("probe.original-recipient", `${want.address}: no Original-Recipient; RCPT had ORCPT=${want.orcpt.type};${want.orcpt.address} (decoded)`, i, line));
      else if (want.orcpt !== undefined && orig !== undefined && (orig.type.toLowerCase() !== want.orcpt.type || orig.address !== want.orcpt.address))
        out.push(finding("probe.original-recipient", `${want.address}: Original-Recipient is ${orig.type}; ${orig.address}, ORCPT was ${want.orcpt.type}; ${want.orcpt.address} (decoded)`, i, line));
      if (want.notify === "NEVER") out.push(finding("probe.notify-never", `${want.address} had NOTIFY=NEVER, yet a block reports it (Action ${block.action ?? "not stated"})`, i, line));
      if (!reportsFailure(block)) return;
      failure = true;
      failedBlocks[j]!++;
      if (want.notify !== undefined && want.notify !== "NEVER" && !want.notify.includes("FAILURE"))
        out.push(finding("probe.notify-failure", `${want.address} had NOTIFY=${want.notify.join(",")}, yet a block reports it failed`, i, line));
      const o = fate[j]!;
      if (o.kind === "refused") out.push(finding("probe.final-recipient", `${want.address} is reported failed, but the MTA refused it at RCPT (the client was told at once)`, i, line));
      else if (o.kind === "delivered") out.push(finding("probe.final-recipient", `${want.address} is reported failed, but the remote server accepted it`, i, line));
      else if (o.kind === "failed") {
        const s = statusProblem(block.status, o.reply);
        if (s !== undefined) out.push(finding("probe.status", `${want.address}: ${s}`, i, p.details.recipients[b]?.fields.find((f) => f.name.toLowerCase() === "status")?.line ?? line));
        const diagLine = p.details.recipients[b]?.fields.find((f) => f.name.toLowerCase() === "diagnostic-code")?.line ?? line;
        const dg = diagnosticProblem(block, o.reply);
        if (dg !== undefined) out.push(finding("probe.diagnostic-code", `${want.address}: ${dg}`, i, diagLine));
      }
    });

    // Reply lines that look like fields or boundaries must not start a line of the DSN.
    for (const o of fate) {
      if (o.kind !== "failed") continue;
      for (const l of dangerousLines(o.reply)) {
        const k = d.lines.findIndex((x) => x.startsWith(l));
        if (k >= 0) out.push(finding("probe.no-injection", `the remote server's reply line ${JSON.stringify(l)} is a line of its own in the DSN`, i, k + 1));
      }
    }

    if (failure && run.scenario.ret === "HDRS") {
      const o = p.original;
      if (o !== undefined && (o.type === "message/rfc822" || o.type === "message/global"))
        out.push(finding("probe.ret-hdrs", `RET=HDRS, yet the DSN returns the whole message as ${o.type}`, i, o.line));
      else {
        const k = d.lines.findIndex((x) => x.includes(sent.bodyMarker));
        if (k >= 0) out.push(finding("probe.ret-hdrs", "RET=HDRS, yet the DSN holds the first line of the message's body", i, k + 1));
      }
    }
  }

  sent.recipients.forEach((r, j) => {
    const o = fate[j]!;
    if (failedBlocks[j]! > 1) out.push(finding("probe.final-recipient", `${r.address} is reported failed ${failedBlocks[j]} times`, undefined, 0));
    if (failedBlocks[j]! > 0 || !wantsFailure(r.notify)) return;
    if (o.kind === "failed")
      out.push(
        finding(
          "probe.dsn-missing",
          `no failure DSN for ${r.address}${run.timedOut ? " within the time allowed" : ""}; the remote server answered its ${o.stage === "rcpt" ? "RCPT" : "DATA"} with ${JSON.stringify(showReply(o.reply))}`,
          undefined,
          0,
        ),
      );
    else if (o.kind === "unknown") out.push(finding("probe.dsn-missing", `the MTA accepted ${r.address} but neither offered it to the remote server nor sent a DSN${run.timedOut ? " within the time allowed" : ""}`, undefined, 0));
  });
  return out;
}

/**
 * The recipients of a run for which a failure DSN is due, by index: accepted by the MTA, and
 * refused by the remote server (or never offered to it), with a NOTIFY that asks for failures.
 * The probe waits for these before it judges a run.
 *
 * @param run - The run so far (its submission and the remote server's replies).
 * @returns indexes into `run.sent.recipients`.
 * @example
 * expectedFailures(run);
 * //=> [0, 2]
 */
export function expectedFailures(run: ScenarioRun): number[] {
  const fate = outcomes(run);
  const out: number[] = [];
  run.sent.recipients.forEach((r, j) => {
    const o = fate[j]!;
    if ((o.kind === "failed" || o.kind === "unknown") && wantsFailure(r.notify)) out.push(j);
  });
  return out;
}

/**
 * The recipients that a DSN of the run reports as failed, by index (matched on Final-Recipient
 * or Original-Recipient; DSNs that do not parse report nobody).
 *
 * @param run - The run so far.
 * @returns indexes into `run.sent.recipients`.
 * @example
 * reportedFailures(run);
 * //=> [0]
 */
export function reportedFailures(run: ScenarioRun): number[] {
  const seen = new Set<number>();
  for (const mail of run.dsns) {
    let p: ParsedDsn;
    try {
      p = parseDsn(mail.raw);
    } catch {
      continue;
    }
    for (const block of p.deliveryStatus.recipients) {
      if (!reportsFailure(block)) continue;
      const j = run.sent.recipients.findIndex((r) => sameMailbox(r.address, block.finalRecipient.address) || (block.originalRecipient !== undefined && sameMailbox(r.address, block.originalRecipient.address)));
      if (j >= 0) seen.add(j);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * The properties a run gave something to check: the DSN properties when a DSN came, the failure
 * properties when the remote server refused a recipient the MTA had accepted, the NOTIFY and RET
 * properties when the scenario used them. A report says how many runs exercised each property.
 *
 * @param run - The run.
 * @returns property ids.
 * @example
 * exercisedProperties(run).includes("probe.status");
 * //=> true
 */
export function exercisedProperties(run: ScenarioRun): string[] {
  const fate = outcomes(run);
  const failed = fate.some((o) => o.kind === "failed" || o.kind === "unknown");
  const out = new Set<string>();
  if (run.dsns.length > 0) for (const id of ["probe.dsn-conforms", "probe.null-reverse-path", "probe.dsn-recipient", "probe.auto-submitted", "probe.original-envelope-id", "probe.original-recipient"]) out.add(id);
  if (failed) out.add("probe.dsn-missing").add("probe.final-recipient");
  if (fate.some((o) => o.kind === "failed") && run.dsns.length > 0) out.add("probe.status").add("probe.diagnostic-code");
  if (fate.some((o) => o.kind === "failed" && dangerousLines(o.reply).length > 0)) out.add("probe.no-injection");
  run.sent.recipients.forEach((r, j) => {
    if (fate[j]!.kind === "refused") return;
    if (r.notify === "NEVER") out.add("probe.notify-never");
    else if (r.notify !== undefined && !r.notify.includes("FAILURE") && fate[j]!.kind === "failed") out.add("probe.notify-failure");
  });
  if (run.scenario.ret === "HDRS" && failed && run.dsns.length > 0) out.add("probe.ret-hdrs");
  return PROBE_PROPERTIES.map((p) => p.id).filter((id) => out.has(id));
}
