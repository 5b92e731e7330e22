/**
 * Conformance properties: point them at any DSN generator and they check, over generated
 * bounces, that its output breaks no RFC rule, parses, and reports every recipient with the right
 * Action and Status.
 *
 * @module
 */
import fc from "fast-check";
import { DsnParseError, RULES, checkDsn, parseDsn, parseTimestamp, resolveBounce } from "@dsnkit/core";
import type { Bounce, Finding, ParsedDsn, Rule, SendBounceRequest, Severity, Timestamp } from "@dsnkit/core";
import type { Frequency } from "./frequency.js";
import { optional, readFrequency } from "./frequency.js";
import { toALabel } from "./internal/punycode.js";
import { dsnLines, showLine } from "./internal/show.js";
import { mailbox } from "./mailbox.js";
import { receivedMessage } from "./original-message.js";
import type { DeliveryStatusConstraints } from "./resolved-bounce.js";
import { resolvedBounce } from "./resolved-bounce.js";
import type { SendBounceRequestConstraints } from "./send-bounce-request.js";
import { sendBounceRequest } from "./send-bounce-request.js";

/**
 * What a mail system knows when it bounces a message, besides the failure itself.
 *
 * @example
 * const context: DsnContext = {
 *   originalSender: "sender@example.org",
 *   now: new Date("2026-11-26T10:00:00Z"),
 *   messageId: "<bounce-1@mx.example.com>",
 * };
 */
export interface DsnContext {
  /** The original message as received (CRLF line ends), when there is one to return. */
  original?: string;
  /** The envelope sender of the original (SMTP `MAIL FROM`): where the bounce goes. */
  originalSender: string;
  /** The time of the bounce (its Date). */
  now: Date;
  /** A Message-ID for the bounce, `<left@right>`. */
  messageId: string;
}

/**
 * What a DSN generator returns: the whole message, as text or octets (sync or in a Promise).
 *
 * @example
 * const out: DsnOutput = "From: mailer-daemon@example.com\r\n...";
 */
export type DsnOutput = string | Uint8Array;

/**
 * A DSN generator driven by SES SendBounce requests: what `renderBounce` is, and what an adapter
 * around another generator looks like.
 *
 * @example
 * const generator: RequestDsnGenerator = (request, context) => renderBounce(request, context).raw;
 */
export type RequestDsnGenerator = (request: SendBounceRequest, context: DsnContext) => DsnOutput | Promise<DsnOutput>;

/**
 * A DSN generator driven by the RFC 3464 model (`@dsnkit/core`'s {@link Bounce}): what
 * `renderDsn` is, and what an adapter around an MTA's bounce builder looks like.
 *
 * @example
 * const generator: ModelDsnGenerator = (bounce) => renderDsn(bounce).raw;
 */
export type ModelDsnGenerator = (bounce: Bounce) => DsnOutput | Promise<DsnOutput>;

/**
 * One generated input of a conformance property: the bounce to report, as the RFC 3464 model
 * (what the DSN must say), the context, and for request-driven properties the SES request it
 * was resolved from.
 *
 * @example
 * const c: DsnCase = {
 *   bounce,
 *   context: { originalSender: bounce.to, now: bounce.date, messageId: bounce.messageId },
 * };
 */
export interface DsnCase {
  /** The SES request (request-driven properties only). */
  request?: SendBounceRequest;
  /** What the DSN must report: `resolveBounce(request, context)`, or a generated model. */
  bounce: Bounce;
  context: DsnContext;
}

/**
 * A finding of a conformance property: a rule of {@link checkDsn} or of
 * {@link CONFORMANCE_RULES}, with its RFC section, severity, message and the 1-based line of the
 * DSN (0 when there is no DSN to point into).
 *
 * @example
 * const f: ConformanceFinding = {
 *   rule: "conformance.status",
 *   rfc: "RFC 3464 §2.3.4",
 *   severity: "error",
 *   message: "nobody@example.com: Status is 5.0.0, expected 5.1.1",
 *   line: 41,
 * };
 */
export type ConformanceFinding = Finding;

/**
 * The rules the conformance properties add to {@link checkDsn}'s: what a DSN must say about the
 * bounce it was asked to report, beyond being well formed.
 *
 * @example
 * CONFORMANCE_RULES.map((r) => r.id);
 * //=> ["conformance.generator-error", "conformance.unparseable", "conformance.recipient-missing",
 * //    "conformance.recipient-unexpected", "conformance.action", "conformance.status"]
 */
export const CONFORMANCE_RULES: readonly Rule[] = Object.freeze([
  {
    id: "conformance.generator-error",
    rfc: "—",
    severity: "error",
    description: "The generator returns a DSN (a string or a Uint8Array) for every valid input, instead of throwing or returning something else.",
  },
  {
    id: "conformance.unparseable",
    rfc: "RFC 3464 §2; RFC 6522 §3",
    severity: "error",
    description: "The DSN can be read: it has a delivery-status part with at least one recipient block.",
  },
  {
    id: "conformance.recipient-missing",
    rfc: "RFC 3464 §2.3",
    severity: "error",
    description: "Every recipient of the bounce has a per-recipient block whose Final-Recipient is its address.",
  },
  {
    id: "conformance.recipient-unexpected",
    rfc: "RFC 3464 §2.3",
    severity: "error",
    description: "No per-recipient block reports an address the bounce is not about.",
  },
  {
    id: "conformance.action",
    rfc: "RFC 3464 §2.3.3",
    severity: "error",
    description: "Each recipient's Action is the one the bounce gives it.",
  },
  {
    id: "conformance.status",
    rfc: "RFC 3464 §2.3.4",
    severity: "error",
    description: "Each recipient's Status is the one the bounce gives it (the BounceType's, or the explicit one).",
  },
] satisfies Rule[]);

const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map([...RULES, ...CONFORMANCE_RULES].map((r) => [r.id, r]));

function finding(rule: string, message: string, line: number): ConformanceFinding {
  const r = RULE_BY_ID.get(rule)!;
  return { rule, rfc: r.rfc, severity: r.severity, message, line };
}

/** The same mailbox: equal, or equal but for the case of the domain or its A-label/U-label form. */
function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const i = a.lastIndexOf("@");
  const j = b.lastIndexOf("@");
  if (i < 0 || j < 0 || a.slice(0, i) !== b.slice(0, j)) return false;
  const norm = (d: string) => d.toLowerCase().split(".").map(toALabel).join(".");
  return norm(a.slice(i + 1)) === norm(b.slice(j + 1));
}

/** An Action or Status as the reader found it: the value, the unrecognized text written, or that none was. */
function asRead(value: string | undefined, unrecognized: string | undefined): string {
  return value ?? (unrecognized !== undefined ? `${JSON.stringify(unrecognized)} (not recognized)` : "not stated");
}

function recipientFindings(parsed: ParsedDsn, bounce: Bounce): ConformanceFinding[] {
  const out: ConformanceFinding[] = [];
  const got = parsed.deliveryStatus.recipients;
  const used = new Set<number>();
  bounce.deliveryStatus.recipients.forEach((want, i) => {
    const address = want.finalRecipient.address;
    let j = got[i] !== undefined && sameAddress(got[i].finalRecipient.address, address) ? i : -1;
    if (j < 0 || used.has(j)) j = got.findIndex((g, k) => !used.has(k) && sameAddress(g.finalRecipient.address, address));
    if (j < 0) {
      out.push(
        finding(
          "conformance.recipient-missing",
          `no recipient block reports ${address} (Action ${want.action}, Status ${want.status})`,
          parsed.details.recipients[0]?.line ?? parsed.details.line,
        ),
      );
      return;
    }
    used.add(j);
    const g = got[j]!;
    const line = parsed.details.recipients[j]?.line ?? parsed.details.line;
    if (g.action !== want.action) out.push(finding("conformance.action", `${address}: Action is ${asRead(g.action, g.unrecognized?.action)}, expected ${want.action}`, line));
    if (g.status !== want.status) out.push(finding("conformance.status", `${address}: Status is ${asRead(g.status, g.unrecognized?.status)}, expected ${want.status}`, line));
  });
  got.forEach((g, k) => {
    if (!used.has(k))
      out.push(
        finding(
          "conformance.recipient-unexpected",
          `the block for ${g.finalRecipient.address} reports a recipient the bounce is not about`,
          parsed.details.recipients[k]?.line ?? parsed.details.line,
        ),
      );
  });
  return out;
}

/**
 * Checks one DSN against the bounce it was meant to report: every {@link checkDsn} finding,
 * then — when it parses — whether each recipient of `bounce` has a block with the right Action
 * and Status (see {@link CONFORMANCE_RULES}). This is the check the conformance properties run on
 * each generated input.
 *
 * @param raw - The DSN a generator wrote.
 * @param bounce - What it had to report.
 * @returns Every finding, warnings included, in line order; empty for a conforming DSN.
 * @example
 * checkConformance(renderDsn(bounce).raw, bounce);
 * //=> []
 * checkConformance(renderDsn(bounce).raw.replace("Status: 5.1.1", "Status: 5.0.0"), bounce).map((f) => f.rule);
 * //=> ["conformance.status"]
 */
export function checkConformance(raw: DsnOutput, bounce: Bounce): ConformanceFinding[] {
  const found: ConformanceFinding[] = checkDsn(raw);
  let parsed: ParsedDsn | undefined;
  try {
    parsed = parseDsn(raw);
  } catch (e) {
    if (!(e instanceof DsnParseError)) throw e;
    found.push(finding("conformance.unparseable", `parseDsn cannot read it: ${e.message} [${e.code}]`, e.line));
  }
  if (parsed !== undefined) found.push(...recipientFindings(parsed, bounce));
  return found.map((f, i) => ({ f, i })).sort((a, b) => a.f.line - b.f.line || a.i - b.i).map((x) => x.f);
}

/**
 * Options of the conformance properties ({@link dsnConformance}, {@link assertDsnConformance},
 * {@link surveyDsnConformance}).
 *
 * @example
 * const options: DsnConformanceOptions = {
 *   request: { maxRecipients: 1, explicitDsnFields: "never" },
 *   original: "always",
 *   ignore: ["rfc3834.auto-submitted-missing"],
 * };
 */
export interface DsnConformanceOptions {
  /** Constraints of the generated requests (request-driven generators). */
  request?: SendBounceRequestConstraints;
  /** Constraints of the generated models (model-driven generators). */
  model?: DeliveryStatusConstraints;
  /** How often the bounce has an original message to return. Default `"sometimes"`. */
  original?: boolean | Frequency;
  /** The lowest severity that fails the property: `"error"` (the default) or `"warning"`. */
  failOn?: Severity;
  /** Rule ids that do not fail the property (known findings you have decided to accept). */
  ignore?: readonly string[];
}

/** Options of {@link dsnConformance} for a model-driven generator. */
interface ModelOptions extends DsnConformanceOptions {
  source: "model";
}

function readOptions(o: DsnConformanceOptions) {
  const failOn = o.failOn ?? "error";
  if (failOn !== "error" && failOn !== "warning") throw new TypeError(`failOn must be "error" or "warning", not ${JSON.stringify(failOn)}`);
  const ignore = new Set(o.ignore ?? []);
  for (const id of ignore) if (!RULE_BY_ID.has(id)) throw new RangeError(`ignore: ${JSON.stringify(id)} is not a rule id (see RULES and CONFORMANCE_RULES)`);
  return { failOn, ignore, original: readFrequency("original", o.original, "sometimes") };
}

const caseDate = fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }).map((s) => new Date(s * 1000));

/**
 * Generates the inputs of a conformance property: valid SES requests (see
 * {@link sendBounceRequest}) resolved with a context, or generated models (see
 * {@link resolvedBounce}), each sometimes with an original message.
 *
 * @param source - `"request"` or `"model"`.
 * @param options - constraints of the requests or models, and how often there is an original.
 * @returns an arbitrary of {@link DsnCase}.
 * @example
 * fc.sample(dsnCase("request", { request: { maxRecipients: 1 } }), { numRuns: 1 })[0].bounce.deliveryStatus.recipients.length;
 * //=> 1
 */
export function dsnCase(source: "request" | "model", options: DsnConformanceOptions = {}): fc.Arbitrary<DsnCase> {
  const { original } = readOptions(options);
  if (source === "model") {
    return resolvedBounce({ ...options.model, original }).map((bounce) => {
      const context: DsnContext = { originalSender: bounce.to, now: bounce.date, messageId: bounce.messageId };
      if (typeof bounce.original === "string") context.original = bounce.original;
      return { bounce, context };
    });
  }
  if (source !== "request") throw new TypeError(`source must be "request" or "model", not ${JSON.stringify(source)}`);
  const unicode = options.request?.unicode ?? true;
  return fc
    .record({
      request: sendBounceRequest(options.request),
      received: optional(original, receivedMessage({ unicode })),
      sender: mailbox({ unicode }),
      now: caseDate,
      id: fc.nat(),
    })
    .map(({ request, received, sender, now, id }) => {
      const domain = request.BounceSender.replace(/^.*@/, "").replace(/>$/, "");
      const context: DsnContext = {
        originalSender: received?.envelopeSender ?? sender,
        now: after(now, requestDates(request)),
        messageId: `<dsn-${id.toString(36)}@${/^[\x21-\x7e]+$/.test(domain) && !domain.startsWith("[") ? domain : "bounces.example.com"}>`,
      };
      if (received !== undefined) context.original = received.raw;
      return { request, bounce: resolveBounce(request, context), context };
    });
}

/** The dates a request gives (arrival and last attempts). */
function requestDates(r: SendBounceRequest): Date[] {
  const out: Date[] = [];
  const add = (t: Timestamp | undefined) => {
    if (t !== undefined) out.push(parseTimestamp(t));
  };
  add(r.MessageDsn?.ArrivalDate);
  for (const i of r.BouncedRecipientInfoList) add(i.RecipientDsnFields?.LastAttemptDate);
  return out;
}

/** `now`, or a minute after the latest of `dates` when that is later: a bounce is written after the attempts it reports. */
function after(now: Date, dates: readonly Date[]): Date {
  let t = now.getTime();
  for (const d of dates) if (d.getTime() + 60_000 > t) t = Math.min(d.getTime() + 60_000, MAX_DATE);
  return new Date(t);
}

const MAX_DATE = 253402300799000;

/** Thrown inside the property: the findings of one input, for the report. */
class ConformanceFailure extends Error {
  constructor(
    readonly findings: ConformanceFinding[],
    readonly dsn: DsnOutput | undefined,
    readonly input: DsnCase,
  ) {
    super(formatConformanceReport(findings, dsn, input));
    this.name = "ConformanceFailure";
  }
}

async function run(generator: RequestDsnGenerator | ModelDsnGenerator, source: "request" | "model", c: DsnCase): Promise<{ dsn?: DsnOutput; findings: ConformanceFinding[] }> {
  let dsn: unknown;
  try {
    dsn = source === "model" ? await (generator as ModelDsnGenerator)(c.bounce) : await (generator as RequestDsnGenerator)(c.request!, { ...c.context });
  } catch (e) {
    return { findings: [finding("conformance.generator-error", `the generator threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, 0)] };
  }
  if (typeof dsn !== "string" && !(dsn instanceof Uint8Array))
    return { findings: [finding("conformance.generator-error", `the generator returned ${dsn === null ? "null" : typeof dsn}, not a string or a Uint8Array`, 0)] };
  return { dsn, findings: checkConformance(dsn, c.bounce) };
}

/**
 * A ready fast-check property that a DSN generator conforms: for every generated bounce (valid by
 * construction) the generator's output has no {@link checkDsn} error, parses, and reports each
 * recipient with the right Action and Status. On failure fast-check shrinks the input, and the
 * error names the broken rules, their lines, the shrunk input and the offending DSN text (see
 * {@link formatConformanceReport}).
 *
 * Request-driven generators (the default) get an SES request and a {@link DsnContext};
 * model-driven ones (`source: "model"`) get the RFC 3464 model.
 *
 * @param generator - The DSN generator under test (sync or async).
 * @param options - Constraints of the inputs, the failing severity, rules to ignore.
 * @returns an async property for `fc.assert` (or `@fast-check/vitest`).
 * @throws {TypeError | RangeError} for bad options (an unknown rule id in `ignore`).
 * @example
 * await fc.assert(dsnConformance((request, context) => renderBounce(request, context).raw), { numRuns: 200 });
 * await fc.assert(dsnConformance((bounce) => renderDsn(bounce).raw, { source: "model" }));
 */
export function dsnConformance(generator: RequestDsnGenerator, options?: DsnConformanceOptions & { source?: "request" }): fc.IAsyncPropertyWithHooks<[DsnCase]>;
export function dsnConformance(generator: ModelDsnGenerator, options: ModelOptions): fc.IAsyncPropertyWithHooks<[DsnCase]>;
export function dsnConformance(
  generator: RequestDsnGenerator | ModelDsnGenerator,
  options: DsnConformanceOptions & { source?: "request" | "model" } = {},
): fc.IAsyncPropertyWithHooks<[DsnCase]> {
  if (typeof generator !== "function") throw new TypeError("dsnConformance: the generator must be a function");
  const source = options.source ?? "request";
  const { failOn, ignore } = readOptions(options);
  return fc.asyncProperty(dsnCase(source, options), async (c) => {
    const { dsn, findings } = await run(generator, source, c);
    const failing = findings.filter((f) => !ignore.has(f.rule) && (f.severity === "error" || failOn === "warning"));
    if (failing.length > 0) throw new ConformanceFailure(findings, dsn, c);
  });
}

/**
 * The error {@link assertDsnConformance} throws: a readable report (the message), and the same
 * as data — the findings, the shrunk input, the DSN, and the seed and path that replay it.
 *
 * @example
 * try {
 *   await assertDsnConformance(myGenerator);
 * } catch (e) {
 *   if (e instanceof DsnConformanceError) console.log(e.findings.map((f) => f.rule));
 * }
 */
export class DsnConformanceError extends Error {
  override readonly name = "DsnConformanceError";
  /** Every finding for the shrunk input (the failing ones and the rest). */
  readonly findings: ConformanceFinding[];
  /** The shrunk input. */
  readonly input: DsnCase;
  /** The DSN the generator wrote for it (absent when it threw). */
  readonly dsn: DsnOutput | undefined;
  /** `fc.assert` parameters that replay this failure: `{ seed, path }`. */
  readonly replay: { seed: number; path: string };

  constructor(failure: { findings: ConformanceFinding[]; input: DsnCase; dsn: DsnOutput | undefined }, details: { seed: number; path: string; numRuns: number; numShrinks: number }) {
    const rules = [...new Set(failure.findings.map((f) => f.rule))].join(", ");
    super(
      `the DSN generator breaks ${rules} (found after ${details.numRuns} input(s), shrunk ${details.numShrinks} time(s))\n\n` +
        formatConformanceReport(failure.findings, failure.dsn, failure.input) +
        `\nReplay this input with the options { seed: ${details.seed}, path: ${JSON.stringify(details.path)} }.\n`,
    );
    this.findings = failure.findings;
    this.input = failure.input;
    this.dsn = failure.dsn;
    this.replay = { seed: details.seed, path: details.path };
  }
}

/**
 * Options of {@link assertDsnConformance}: those of {@link dsnConformance}, the source, and the
 * fast-check run parameters.
 *
 * @example
 * const options: AssertDsnConformanceOptions = { source: "model", numRuns: 500, seed: 42 };
 */
export interface AssertDsnConformanceOptions extends DsnConformanceOptions {
  /** `"request"` (the default) or `"model"`: what the generator takes. */
  source?: "request" | "model";
  /** Inputs to try. Default 100. */
  numRuns?: number;
  /** Seed (default random; the error gives the one to replay). */
  seed?: number;
  /** Replay path, from a failure's `replay`. */
  path?: string;
}

/**
 * Runs {@link dsnConformance} and, when the generator fails it, throws a
 * {@link DsnConformanceError} whose message names the broken rules, their RFC sections and lines,
 * shows the shrunk input and the DSN text around each finding, and says how to replay it.
 *
 * @param generator - The DSN generator under test.
 * @param options - Source, input constraints, failing severity, ignored rules, numRuns and seed.
 * @returns when the generator conforms on every input tried.
 * @throws {DsnConformanceError} when it does not.
 * @example
 * await assertDsnConformance((request, context) => renderBounce(request, context).raw, { numRuns: 200 });
 * await assertDsnConformance(myModelGenerator, { source: "model", ignore: ["rfc5322.line-over-78"] });
 */
export function assertDsnConformance(generator: RequestDsnGenerator, options?: AssertDsnConformanceOptions & { source?: "request" }): Promise<void>;
export function assertDsnConformance(generator: ModelDsnGenerator, options: AssertDsnConformanceOptions & { source: "model" }): Promise<void>;
export function assertDsnConformance(generator: RequestDsnGenerator | ModelDsnGenerator, options?: AssertDsnConformanceOptions): Promise<void>;
export async function assertDsnConformance(generator: RequestDsnGenerator | ModelDsnGenerator, options: AssertDsnConformanceOptions = {}): Promise<void> {
  const { numRuns, seed, path, ...rest } = options;
  const property =
    rest.source === "model"
      ? dsnConformance(generator as ModelDsnGenerator, { ...rest, source: "model" })
      : dsnConformance(generator as RequestDsnGenerator, { ...rest, source: "request" });
  const params: fc.Parameters<[DsnCase]> = { numRuns: numRuns ?? 100 };
  if (seed !== undefined) params.seed = seed;
  if (path !== undefined) params.path = path;
  const details = await fc.check(property, params);
  if (!details.failed) return;
  const e = details.errorInstance;
  if (e instanceof ConformanceFailure)
    throw new DsnConformanceError(e, { seed: details.seed, path: details.counterexamplePath ?? "", numRuns: details.numRuns, numShrinks: details.numShrinks });
  throw e instanceof Error ? e : new Error(String(e));
}

/**
 * What {@link surveyDsnConformance} found: for each rule broken, on how many inputs, and the
 * smallest input that breaks it (shrunk by fast-check) with its report.
 *
 * @example
 * const survey: ConformanceSurvey = { runs: 200, rules: {} };
 */
export interface ConformanceSurvey {
  /** Inputs tried. */
  runs: number;
  /** Each rule broken at least once, by id. */
  rules: Record<
    string,
    {
      rfc: string;
      severity: Severity;
      /** Inputs on which it was broken. */
      count: number;
      /** The shrunk input that breaks it, its DSN and its report. */
      example: { input: DsnCase; dsn: DsnOutput | undefined; report: string };
    }
  >;
}

/**
 * Options of {@link surveyDsnConformance}.
 *
 * @example
 * const options: SurveyOptions = { numRuns: 300, seed: 1, request: { maxRecipients: 1 } };
 */
export interface SurveyOptions extends DsnConformanceOptions {
  source?: "request" | "model";
  /** Inputs to try. Default 200. */
  numRuns?: number;
  /** Seed. Default 1, so that a survey gives the same answer each time. */
  seed?: number;
}

/**
 * Runs a generator on many inputs and lists every rule it breaks — errors and warnings — with
 * how often and a shrunk example of each. Where {@link assertDsnConformance} stops at the first
 * failure, a survey describes a generator: use it to document a third party's findings and pin
 * them in a test (`expect(Object.keys(survey.rules))`).
 *
 * @param generator - The DSN generator under test.
 * @param options - Source, input constraints, numRuns and seed (`failOn` and `ignore` do not apply).
 * @returns the rules broken, with counts and examples.
 * @example
 * const survey = await surveyDsnConformance((request, context) => renderBounce(request, context).raw, { numRuns: 100 });
 * Object.keys(survey.rules);
 * //=> []
 */
export function surveyDsnConformance(generator: RequestDsnGenerator, options?: SurveyOptions & { source?: "request" }): Promise<ConformanceSurvey>;
export function surveyDsnConformance(generator: ModelDsnGenerator, options: SurveyOptions & { source: "model" }): Promise<ConformanceSurvey>;
export function surveyDsnConformance(generator: RequestDsnGenerator | ModelDsnGenerator, options?: SurveyOptions): Promise<ConformanceSurvey>;
export async function surveyDsnConformance(generator: RequestDsnGenerator | ModelDsnGenerator, options: SurveyOptions = {}): Promise<ConformanceSurvey> {
  const { numRuns = 200, seed = 1, source = "request", ...rest } = options;
  const cases = dsnCase(source, rest);
  const survey: ConformanceSurvey = { runs: numRuns, rules: {} };
  const counts = new Map<string, number>();
  for (const c of fc.sample(cases, { numRuns, seed })) {
    const { findings } = await run(generator, source, c);
    for (const rule of new Set(findings.map((f) => f.rule))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  for (const [rule, count] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    // Shrink an input that breaks this rule (and only look at this rule while shrinking).
    const details = await fc.check(
      fc.asyncProperty(cases, async (c) => {
        const r = await run(generator, source, c);
        if (r.findings.some((f) => f.rule === rule)) throw new ConformanceFailure(r.findings, r.dsn, c);
      }),
      { numRuns, seed },
    );
    const e = details.errorInstance;
    if (!(e instanceof ConformanceFailure)) continue;
    const r = RULE_BY_ID.get(rule)!;
    survey.rules[rule] = { rfc: r.rfc, severity: r.severity, count, example: { input: e.input, dsn: e.dsn, report: formatConformanceReport(e.findings.filter((f) => f.rule === rule), e.dsn, e.input) } };
  }
  return survey;
}

// ---- the report ----

/** A short, readable description of a value for the report (long strings and originals cut). */
function describe(value: unknown, indent = "  "): string {
  const json = JSON.stringify(
    value,
    (key, v: unknown) => {
      if (typeof v === "string" && v.length > 160) return `${v.slice(0, 160)}… (${v.length} characters)`;
      return v;
    },
    2,
  );
  return json.split("\n").map((l) => indent + l).join("\n");
}

/**
 * Formats findings for a person: one line per finding (severity, rule, RFC section, line,
 * message), the DSN text around each finding's line with line numbers (bare LF, controls and
 * tabs made visible), and the input that produced it. This is the message of a failing
 * conformance property.
 *
 * @param findings - The findings of one DSN.
 * @param dsn - The DSN they are about (absent when the generator threw).
 * @param input - The input it was generated from.
 * @returns the report, several lines.
 * @example
 * formatConformanceReport([{ rule: "rfc5322.bare-lf", rfc: "RFC 5322 §2.3", severity: "error", message: "an LF is not preceded by CR", line: 2 }], "A: 1\r\nB: 2\nC: 3\r\n").split("\n")[0];
 * //=> "1 finding (1 error, 0 warnings):"
 */
export function formatConformanceReport(findings: readonly ConformanceFinding[], dsn?: DsnOutput, input?: DsnCase): string {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  let out = `${findings.length} finding${findings.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}):\n`;
  for (const f of findings) out += `  ${f.severity} ${f.rule} (${f.rfc})${f.line > 0 ? ` at line ${f.line}` : ""}: ${f.message}\n`;
  if (dsn !== undefined) {
    const lines = dsnLines(dsn);
    const marked = new Set(findings.map((f) => f.line).filter((l) => l > 0));
    const shown = new Set<number>();
    for (const l of marked) for (let k = Math.max(1, l - 2); k <= Math.min(lines.length, l + 2); k++) shown.add(k);
    const width = String(lines.length).length;
    out += `\nThe DSN (${lines.length} lines${shown.size > 0 ? "; around the findings" : ""}):\n`;
    let last = 0;
    const numbers = shown.size > 0 ? [...shown].sort((a, b) => a - b) : lines.map((_, i) => i + 1).slice(0, 12);
    for (const k of numbers) {
      if (k > last + 1) out += `    ${" ".repeat(width)} ...\n`;
      const l = lines[k - 1]!;
      out += `  ${marked.has(k) ? ">" : " "} ${String(k).padStart(width)} | ${showLine(l.text)}${l.bareLf ? "  [bare LF]" : ""}\n`;
      last = k;
    }
  }
  if (input !== undefined) {
    const { original, ...context } = input.context;
    out += "\nThe input (shrunk):\n";
    if (input.request !== undefined) out += `  request:\n${describe(input.request, "    ")}\n`;
    else {
      const { original: _, ...bounce } = input.bounce;
      out += `  bounce:\n${describe(bounce, "    ")}\n`;
    }
    out += `  context:\n${describe(context, "    ")}\n`;
    if (original !== undefined) out += `  original: ${original.length} characters, starting ${JSON.stringify(original.slice(0, 80))}\n`;
  }
  return out;
}
