/**
 * `probeMta`: property-based conformance testing of a running MTA's bounces. The probe starts a
 * remote SMTP server (the MTA relays the test domain to it) and a return server (the MTA sends
 * DSNs there), submits generated scenarios to the MTA, waits for what comes back, checks it, and
 * shrinks each failure to a minimal scenario.
 *
 * @module
 */
import fc from "fast-check";
import { checkScenarioRun, exercisedProperties, expectedFailures, PROBE_PROPERTIES, reportedFailures } from "../probe/properties.js";
import type { ProbeFinding } from "../probe/properties.js";
import { createMasker, dsnExcerpt, findingKey, runTranscript } from "../probe/report.js";
import type { Masker, ProbeExample, ProbeReport, ProbeReportFinding } from "../probe/report.js";
import type { ReceivedMail, ScenarioRun, TranscriptLine } from "../probe/run.js";
import { materializeScenario, probeScenario } from "../probe/scenario.js";
import type { ProbeCapabilities, ProbeScenario, ReplySpec } from "../probe/scenario.js";
import { PROBE_TARGETS } from "../probe/targets.js";
import type { ProbeRouting, ProbeTarget } from "../probe/targets.js";
import { SmtpClient, SmtpClientError, startSmtpServer } from "./smtp.js";
import type { ServerTransaction, SmtpServer } from "./smtp.js";

/**
 * Something the probe did, for a progress display.
 *
 * @example
 * const e: ProbeProgress = { phase: "run", done: 12, total: 100, findings: 2 };
 */
export interface ProbeProgress {
  phase: "run" | "shrink";
  /** Runs done in this phase (for `shrink`: of the finding being shrunk). */
  done: number;
  total: number;
  /** Distinct findings so far. */
  findings: number;
  /** The finding being shrunk. */
  key?: string;
}

/**
 * Options of {@link probeMta} and {@link startProbe}.
 *
 * @example
 * const options: ProbeOptions = { submit: "smtp://127.0.0.1:2725", target: "postfix", seed: 1, numRuns: 100, tempFailures: true };
 */
export interface ProbeOptions {
  /** Where to submit: `smtp://HOST:PORT`, or `{ host, port }`. */
  submit: string | { host: string; port: number };
  /** A target of {@link PROBE_TARGETS} by name, or a target of your own. Default `generic`. */
  target?: string | ProbeTarget;
  /** The domain the MTA routes to the remote server. Default `probe.test`. */
  domain?: string;
  /** The domain of the envelope sender, routed to the return server. Default `return.<domain>`. */
  returnDomain?: string;
  /** Address the probe's two servers listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port of the remote server; 0 (the default) picks a free one. */
  remotePort?: number;
  /** Port of the return server; 0 (the default) picks a free one. */
  returnPort?: number;
  /** The seed of the scenarios. Default 1: the same seed gives the same scenarios and report. */
  seed?: number;
  /** Scenarios to run. Default 100. */
  numRuns?: number;
  /** Most recipients in a scenario, 1 to 20. Default 20. */
  maxRecipients?: number;
  /** Let the remote server answer 4xx (for an MTA set to bounce at the first one). Default `false`. */
  tempFailures?: boolean;
  /** How long one scenario may wait for its DSNs, in ms. Default 30,000. */
  scenarioTimeout?: number;
  /** How long nothing must happen before a run is judged, in ms. Default 1,000. */
  settle?: number;
  /** Time budget of the whole probe, shrinking included, in ms. Default 600,000. */
  budget?: number;
  /** Most new runs spent shrinking one finding. Default 30. */
  shrinkRuns?: number;
  /** Scenarios run at once before shrinking (shrinking runs one at a time). Default 4. */
  concurrency?: number;
  /** Called once the servers listen: configure the MTA's routing here (tests do). */
  onListening?: (routing: ProbeRouting) => void | Promise<void>;
  /** Called as runs complete. */
  onProgress?: (progress: ProbeProgress) => void;
  /** Stops the probe early (the report is then incomplete). */
  signal?: AbortSignal;
}

/**
 * A started probe: its servers listen (see `routing`); `run()` probes the MTA once and resolves
 * to the report; `close()` stops the servers.
 *
 * @example
 * const probe = await startProbe({ submit: "smtp://127.0.0.1:2725" });
 * try {
 *   configureMta(probe.routing);
 *   console.log(formatProbeReport(await probe.run()));
 * } finally {
 *   await probe.close();
 * }
 */
export interface Probe {
  readonly routing: ProbeRouting;
  run(): Promise<ProbeReport>;
  close(): Promise<void>;
}

/** A run being carried out: the record, and what the servers attach to it. */
interface LiveRun {
  run: ScenarioRun;
  judged: boolean;
  lastEvent: number;
  remote: ServerTransaction[];
  returned: { mail: ReceivedMail; t: ServerTransaction }[];
}

interface Evaluated {
  run: ScenarioRun;
  findings: ProbeFinding[];
  keys: Set<string>;
}

function readSubmit(submit: ProbeOptions["submit"]): { host: string; port: number } {
  if (typeof submit !== "string") return submit;
  const m = /^smtp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(submit);
  if (m === null || Number(m[2]) > 65535) throw new RangeError(`submit: ${JSON.stringify(submit)} is not smtp://HOST:PORT`);
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port: Number(m[2]) };
}

function readTarget(target: ProbeOptions["target"]): ProbeTarget {
  if (target === undefined) return PROBE_TARGETS.generic!;
  if (typeof target !== "string") return target;
  const t = PROBE_TARGETS[target];
  if (t === undefined) throw new RangeError(`target: ${JSON.stringify(target)} is not one of ${Object.keys(PROBE_TARGETS).join(", ")}`);
  return t;
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer of at least ${min}, not ${String(value)}`);
  return value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The run tag in a local part: `t12.` (sender), `t12r3.` (recipient), quoted or not. */
function tagOf(address: string): string | undefined {
  return /^"?(t\d+)(?:r\d+)?\./.exec(address)?.[1];
}

/** An address as a lookup key: the domain in lower case, a quoted local part unquoted. */
function addressKey(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 0) return address;
  let local = address.slice(0, at);
  if (local.length >= 2 && local.startsWith('"') && local.endsWith('"')) local = local.slice(1, -1).replace(/\\(.)/g, "$1");
  return `${local}@${address.slice(at + 1).toLowerCase()}`;
}

/** Reads the MTA's greeting and EHLO reply. */
async function capabilitiesOf(host: string, port: number, timeout: number): Promise<{ greeting: string; capabilities: ProbeCapabilities }> {
  const c = await SmtpClient.connect(host, port, timeout);
  try {
    c.recording = false;
    const greeting = await c.reply();
    if (greeting.code !== 220) throw new SmtpClientError(`the MTA at ${host}:${port} greets with ${JSON.stringify(greeting.lines.join(" / "))}, not 220`);
    const ehlo = await c.command("EHLO probe-client.dsnkit.test");
    if (ehlo.code !== 250) throw new SmtpClientError(`the MTA at ${host}:${port} answers EHLO with ${JSON.stringify(ehlo.lines.join(" / "))}`);
    const keywords = ehlo.lines.slice(1).map((l) => l.slice(4).trim().toUpperCase());
    const size = keywords.find((k) => /^SIZE \d+$/.test(k));
    const capabilities: ProbeCapabilities = {
      dsn: keywords.includes("DSN"),
      smtputf8: keywords.includes("SMTPUTF8"),
      eightBitMime: keywords.includes("8BITMIME"),
    };
    if (size !== undefined && Number(size.slice(5)) > 0) capabilities.size = Number(size.slice(5));
    return { greeting: greeting.lines.join(" / "), capabilities };
  } finally {
    await c.close();
  }
}

/** The message for the submission transcript: its first lines, then how much more. */
function messageSummary(message: string): TranscriptLine[] {
  const lines = message.split("\r\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const shown = lines.slice(0, 24).map((l) => ({ dir: "C" as const, text: `| ${l}` }));
  if (lines.length > 24) shown.push({ dir: "C", text: `| … ${lines.length - 24} more lines (${message.length} characters in all)` });
  return shown;
}

/**
 * Starts the probe's remote and return servers, without probing yet: use it when the MTA's
 * routing has to be set to the servers' ports before the probe runs.
 *
 * @param options - See {@link ProbeOptions}.
 * @returns the probe.
 * @throws {RangeError} for bad options; the servers' listen errors (a port in use).
 * @example
 * const probe = await startProbe({ submit: "smtp://127.0.0.1:2725", target: "postfix" });
 * probe.routing.remotePort;
 * //=> 40123
 */
export async function startProbe(options: ProbeOptions): Promise<Probe> {
  const submit = readSubmit(options.submit);
  const target = readTarget(options.target);
  const domain = options.domain ?? "probe.test";
  const returnDomain = options.returnDomain ?? `return.${domain}`;
  const host = options.host ?? "127.0.0.1";
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, not ${String(seed)}`);
  const numRuns = positive("numRuns", options.numRuns, 100);
  const scenarioTimeout = positive("scenarioTimeout", options.scenarioTimeout, 30_000);
  const settle = positive("settle", options.settle, 1_000, 0);
  const budget = positive("budget", options.budget, 600_000);
  const shrinkRuns = positive("shrinkRuns", options.shrinkRuns, 30, 0);
  const concurrency = positive("concurrency", options.concurrency, 4);
  const maxRecipients = positive("maxRecipients", options.maxRecipients, 20);
  if (maxRecipients > 20) throw new RangeError(`maxRecipients must be from 1 to 20, not ${maxRecipients}`);

  const live = new Map<string, LiveRun>();
  const owners = new Map<string, { tag: string; index: number }>();
  let late = 0;
  let stray = 0;
  const unknownRecipient: ReplySpec = { code: 550, enhanced: "5.1.1", lines: ["dsnkit probe: not a recipient of this probe"] };

  // Both servers take what any MTA may send: 8-bit, UTF-8, up to 50 MB.
  const server = { host, extensions: ["8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "SIZE 52428800"], maxMessage: 52428800, idleTimeout: 60_000 };
  const remote: SmtpServer = await startSmtpServer({
    ...server,
    port: options.remotePort ?? 0,
    name: "remote.dsnkit-probe.test",
    handlers: {
      rcpt(address, _params, t) {
        const owner = owners.get(addressKey(address));
        const l = owner === undefined ? undefined : live.get(owner.tag);
        if (owner === undefined || l === undefined) return unknownRecipient;
        if (!l.remote.includes(t)) l.remote.push(t);
        const reply = l.run.sent.recipients[owner.index]!.reply;
        if (!l.judged) {
          l.run.remote.replies.push({ address, stage: "rcpt", reply });
          l.lastEvent = Date.now();
        }
        return reply;
      },
      data(_raw, t) {
        const owner = t.rcptTo.map((a) => owners.get(addressKey(a))).find((o) => o !== undefined);
        const l = owner === undefined ? undefined : live.get(owner.tag);
        if (l === undefined) return { code: 250, lines: ["OK"] };
        const reply = l.run.scenario.dataReply;
        if (!l.judged) {
          for (const address of t.rcptTo) l.run.remote.replies.push({ address, stage: "data", reply });
          l.lastEvent = Date.now();
        }
        return reply;
      },
    },
  });
  let back: SmtpServer;
  try {
    back = await startSmtpServer({
      ...server,
      port: options.returnPort ?? 0,
      name: "return.dsnkit-probe.test",
      handlers: {
        rcpt: () => ({ code: 250, enhanced: "2.1.5", lines: ["OK"] }),
        data(raw, t) {
          let tag = t.rcptTo.map(tagOf).find((x) => x !== undefined);
          const text = Buffer.from(raw).toString("latin1");
          tag ??= /^X-Dsnkit-Probe: (t\d+)\r?$/m.exec(text)?.[1] ?? /\b(t\d+)r\d+\./.exec(text)?.[1];
          const l = tag === undefined ? undefined : live.get(tag);
          if (l === undefined) stray++;
          else if (l.judged) late++;
          else {
            l.returned.push({ mail: { mailFrom: t.mailFrom, rcptTo: [...t.rcptTo], raw, transcript: [] }, t });
            l.run.dsns.push(l.returned[l.returned.length - 1]!.mail);
            l.lastEvent = Date.now();
          }
          return { code: 250, enhanced: "2.0.0", lines: ["OK"] };
        },
      },
    });
  } catch (e) {
    await remote.close();
    throw e;
  }
  const routing: ProbeRouting = { domain, returnDomain, remoteHost: host, remotePort: remote.port, returnHost: host, returnPort: back.port };
  const mask: Masker = createMasker({ volatile: target.volatile, ports: { [remote.port]: "remote-port", [back.port]: "return-port" } });

  async function execute(scenario: ProbeScenario, tag: string, caps: ProbeCapabilities): Promise<Evaluated> {
    const sent = materializeScenario(scenario, tag, routing, caps.size);
    const run: ScenarioRun = {
      tag,
      scenario,
      sent,
      submission: { transcript: [], mail: false, accepted: sent.recipients.map(() => false), data: false },
      remote: { transcript: [], replies: [] },
      dsns: [],
      timedOut: false,
    };
    const l: LiveRun = { run, judged: false, lastEvent: Date.now(), remote: [], returned: [] };
    live.set(tag, l);
    sent.recipients.forEach((r, index) => owners.set(addressKey(r.address), { tag, index }));

    // Submit.
    let client: SmtpClient | undefined;
    try {
      client = await SmtpClient.connect(submit.host, submit.port, Math.min(scenarioTimeout, 30_000));
      client.recording = false;
      await client.reply();
      await client.command("EHLO probe-client.dsnkit.test");
      client.recording = true;
      run.submission.mail = (await client.command(sent.mailFrom)).code < 300;
      if (run.submission.mail) {
        for (let i = 0; i < sent.recipients.length; i++) run.submission.accepted[i] = (await client.command(sent.recipients[i]!.rcptTo)).code < 300;
        if (run.submission.accepted.some((a) => a)) {
          if ((await client.command("DATA")).code === 354) run.submission.data = (await client.message(sent.message, messageSummary(sent.message))).code < 300;
        }
      }
      await client.close();
    } catch (e) {
      if (!(e instanceof SmtpClientError)) throw e;
      run.submission.error = e.message;
      await client?.close();
    }
    if (client !== undefined) run.submission.transcript = client.transcript;
    l.lastEvent = Date.now();

    // Wait for what is due: a failure DSN for each recipient that failed; a success DSN for a
    // recipient that asked for one (not required, waited for a while); then quiet.
    const start = Date.now();
    let metAt: number | undefined;
    let seen = -1;
    let reported: number[] = [];
    const successWanted = sent.recipients.map((r) => caps.dsn && r.notify !== undefined && r.notify !== "NEVER" && r.notify.includes("SUCCESS"));
    for (;;) {
      const now = Date.now();
      if (run.dsns.length !== seen) {
        seen = run.dsns.length;
        reported = reportedFailures(run);
      }
      const offered = sent.recipients.every((r, i) => !run.submission.data || !run.submission.accepted[i] || run.remote.replies.some((e) => addressKey(e.address) === addressKey(r.address)) || reported.includes(i));
      const met = offered && expectedFailures(run).every((i) => reported.includes(i));
      if (met) metAt ??= now;
      const successPending = met && successWanted.some((w, i) => w && run.remote.replies.some((e) => addressKey(e.address) === addressKey(sent.recipients[i]!.address) && e.reply.code < 300)) && run.dsns.length === 0;
      if (met && now - l.lastEvent >= settle && !(successPending && now - metAt! < 3 * settle + 1000)) break;
      if (now - start >= scenarioTimeout) {
        run.timedOut = !met;
        break;
      }
      await sleep(50);
    }
    l.judged = true;
    // An MTA may send a scenario's DSNs in either order (two queue entries delivered at once):
    // they are judged and reported in the order of what they say, masked, then of their size, so
    // that the same scenario gives the same report.
    if (l.returned.length > 1) {
      const keyed = l.returned.map((r) => ({ r, key: dsnExcerpt(r.mail.raw, mask, 0).join("\n"), size: r.mail.raw.length }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.size - b.size));
      l.returned = keyed.map((k) => k.r);
      run.dsns.splice(0, run.dsns.length, ...l.returned.map((r) => r.mail));
    }
    run.remote.transcript = l.remote.flatMap((t) => [...t.transcript]);
    for (const r of l.returned) r.mail.transcript = [...r.t.transcript];
    const findings = checkScenarioRun(run);
    return { run, findings, keys: new Set(findings.filter((f) => f.severity === "error").map(findingKey)) };
  }

  let closed = false;
  return {
    routing,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([remote.close(), back.close()]);
    },
    async run(): Promise<ProbeReport> {
      const deadline = Date.now() + budget;
      const over = () => Date.now() >= deadline || options.signal?.aborted === true;
      let complete = true;
      const { greeting, capabilities } = await capabilitiesOf(submit.host, submit.port, Math.min(scenarioTimeout, 30_000));
      const arb = probeScenario({ capabilities, maxRecipients, tempFailures: options.tempFailures ?? false });
      let counter = 0;
      const nextTag = () => `t${++counter}`;
      const cache = new Map<string, Evaluated>();
      const evaluate = async (s: ProbeScenario, tag: string) => {
        const e = await execute(s, tag, capabilities);
        cache.set(JSON.stringify(s), e);
        return e;
      };

      // Phase 1: the scenarios of the seed, a few at once.
      const samples = fc.sample(arb, { seed, numRuns });
      const results: (Evaluated | undefined)[] = samples.map(() => undefined);
      const keys = new Set<string>();
      let next = 0;
      let done = 0;
      const worker = async () => {
        while (next < samples.length) {
          if (over()) {
            complete = false;
            return;
          }
          const i = next++;
          const key = JSON.stringify(samples[i]);
          const e = cache.get(key) ?? (await evaluate(samples[i]!, `t${i + 1}`));
          results[i] = e;
          for (const k of e.keys) keys.add(k);
          options.onProgress?.({ phase: "run", done: ++done, total: samples.length, findings: keys.size });
        }
      };
      counter = samples.length;
      await Promise.all(Array.from({ length: Math.min(concurrency, samples.length) }, worker));
      const ran = results.filter((e): e is Evaluated => e !== undefined);

      // Count, per finding and per property.
      const order = new Map(PROBE_PROPERTIES.map((p, i) => [p.id, i]));
      const byKey = new Map<string, { first: ProbeFinding; runs: number; firstRun: Evaluated }>();
      for (const e of ran) {
        const seenHere = new Set<string>();
        for (const f of e.findings) {
          const k = findingKey(f) + (f.severity === "warning" ? " (warning)" : "");
          if (seenHere.has(k)) continue;
          seenHere.add(k);
          const entry = byKey.get(k);
          if (entry === undefined) byKey.set(k, { first: f, runs: 1, firstRun: e });
          else entry.runs++;
        }
      }
      const properties = PROBE_PROPERTIES.map((p) => ({
        id: p.id,
        rfc: p.rfc,
        description: p.description,
        exercised: ran.filter((e) => exercisedProperties(e.run).includes(p.id) || e.findings.some((f) => f.property === p.id)).length,
        failed: ran.filter((e) => e.findings.some((f) => f.property === p.id && f.severity === "error")).length,
      }));

      // Phase 2: shrink each error finding, one new run at a time.
      let shrinkTotal = 0;
      const findings: ProbeReportFinding[] = [];
      const sorted = [...byKey.entries()].sort(
        ([a, x], [b, y]) => order.get(x.first.property)! - order.get(y.first.property)! || (x.first.severity === y.first.severity ? 0 : x.first.severity === "error" ? -1 : 1) || (a < b ? -1 : a > b ? 1 : 0),
      );
      for (const [k, entry] of sorted) {
        let example = entry.firstRun;
        let shrinks = 0;
        if (entry.first.severity === "error") {
          let spent = 0;
          const details = await fc.check(
            fc.asyncProperty(arb, async (s) => {
              let e = cache.get(JSON.stringify(s));
              if (e === undefined) {
                if (spent >= shrinkRuns || over()) {
                  if (over()) complete = false;
                  return true;
                }
                spent++;
                shrinkTotal++;
                e = await evaluate(s, nextTag());
                options.onProgress?.({ phase: "shrink", done: spent, total: shrinkRuns, findings: byKey.size, key: k });
              }
              return !e.keys.has(k);
            }),
            { seed, numRuns },
          );
          const shrunk = details.counterexample === null ? undefined : cache.get(JSON.stringify(details.counterexample[0]));
          if (shrunk !== undefined && shrunk.keys.has(k)) {
            example = shrunk;
            shrinks = details.numShrinks;
          }
        }
        const matching = example.findings.filter((f) => findingKey(f) + (f.severity === "warning" ? " (warning)" : "") === k);
        const first = matching[0] ?? entry.first;
        const ex: ProbeExample = {
          tag: example.run.tag,
          scenario: example.run.scenario,
          shrinks,
          messages: [...new Set(matching.map((f) => mask(f.message)))],
          transcript: runTranscript(example.run, mask),
        };
        const dsn = first.dsn === undefined ? undefined : example.run.dsns[first.dsn];
        if (dsn !== undefined) ex.dsn = dsnExcerpt(dsn.raw, mask, first.line);
        const f: ProbeReportFinding = { property: first.property, rule: first.rule, rfc: first.rfc, severity: first.severity, runs: entry.runs, example: ex };
        const known = target.known.find((x) => x.property === first.property && (x.rule === undefined || x.rule === first.rule));
        if (known !== undefined) f.known = known;
        findings.push(f);
      }
      return {
        target: target.name,
        title: target.title,
        submit: `smtp://${submit.host.includes(":") ? `[${submit.host}]` : submit.host}:${submit.port}`,
        greeting: mask(greeting),
        capabilities,
        seed,
        numRuns,
        runs: ran.length,
        shrinkRuns: shrinkTotal,
        complete,
        lateDsns: late,
        strayDsns: stray,
        properties,
        findings,
      };
    },
  };
}

/**
 * Probes a running MTA: starts the remote and return servers, calls `onListening` with their
 * routing (configure the MTA there, or beforehand with fixed ports), runs the scenarios, shrinks
 * each finding, stops the servers, and resolves to the report (`formatProbeReport` prints it).
 *
 * @param options - See {@link ProbeOptions}.
 * @returns the report.
 * @throws {RangeError} for bad options; {@link SmtpClientError} when the MTA cannot be reached
 *   or does not greet.
 * @example
 * const report = await probeMta({ submit: "smtp://127.0.0.1:2725", target: "postfix", remotePort: 2601, returnPort: 2602, tempFailures: true });
 * report.findings.map((f) => f.property);
 * //=> ["probe.original-recipient"]
 */
export async function probeMta(options: ProbeOptions): Promise<ProbeReport> {
  const probe = await startProbe(options);
  try {
    await options.onListening?.(probe.routing);
    return await probe.run();
  } finally {
    await probe.close();
  }
}
