/**
 * `dsnkit send-bounce --batch requests.jsonl`: many bounces, safely.
 *
 * 1. Every line is read and validated first; any bad line stops the batch before a call, and
 *    every bad line is reported with its number and path.
 * 2. The journal (`<file>.journal`, or `--journal`) says what earlier runs did: bounces already
 *    sent are skipped; bounces whose outcome is unknown (in flight when a run died, or no answer
 *    came) are skipped too unless `--resend-unknown`, since SES may have sent them. A journal with
 *    a damaged line stops the run before anything is sent (exit 2), unless
 *    `--damaged-journal-unknown`: then every bounce the damage may have recorded has an unknown
 *    outcome. A last line cut short by a crash is not damage: it is dropped.
 * 3. A bounce whose `MessageDsn.ArrivalDate` says SES's 24-hour window has closed (by the
 *    command's clock) is not sent, since SES would refuse it: it is journalled as `expired` and
 *    counted in the summary. `--send-expired` sends it anyway.
 * 4. The rest go through `@dsnkit/ses`'s `BounceQueue` at `--rate` calls per second (default 1,
 *    SES's limit), which retries throttling and server errors and never sends a bounce twice.
 *    Each request is journalled (`sending`) before it goes on the wire, and its outcome after.
 * 5. Ctrl-C (or SIGTERM) stops taking new work, lets the calls in flight finish, journals them and
 *    prints the summary; a second Ctrl-C exits at once.
 *
 * @module
 */
import type { SESClient, SendBounceCommandInput } from "@aws-sdk/client-ses";
import type { SendBounceRequest } from "@dsnkit/core";
import { CliError, EXIT, maxInputSize, write } from "../io.js";
import type { Io } from "../io.js";
import { argString, clientOptions } from "../aws/argv.js";
import type { ScannedArgs } from "../aws/argv.js";
import { Journal } from "./journal.js";
import type { JournalEntry } from "./journal.js";
import { createProgress } from "./progress.js";
import type { ProgressCounts } from "./progress.js";
import { readBatchFile } from "./requests.js";
import type { BatchItem } from "./requests.js";
import { nowOf } from "../clock.js";
import { windowWarning } from "../window.js";

/**
 * Exit codes of `--batch` beyond {@link EXIT}: 1 means some bounce was not sent (it failed, or
 * its outcome is unknown); 130 means Ctrl-C stopped the run (run it again to go on).
 *
 * @example
 * BATCH_EXIT.INTERRUPTED;
 * //=> 130
 */
export const BATCH_EXIT = Object.freeze({ INTERRUPTED: 130 });

/** What the summary reports about one bounce that was not sent. */
interface Unsent {
  line: number;
  /**
   * `failed`; `unknown` (SES may have sent it); `stopped` (never started: interrupted); `pending`
   * (a dry run would send it); `expired` (SES's 24-hour window has closed; `--send-expired` sends it).
   */
  status: "failed" | "unknown" | "stopped" | "pending" | "expired";
  error?: string;
  message?: string;
}

/**
 * The outcome of a batch run, printed as text or (`--output json`) as this JSON.
 *
 * @example
 * const summary: BatchSummary = { file: "requests.jsonl", journal: "requests.jsonl.journal", total: 50, sentNow: 30, sentBefore: 20, unsent: [], interrupted: false, dryRun: false };
 */
export interface BatchSummary {
  file: string;
  journal: string;
  /** Requests in the file. */
  total: number;
  /** Sent by this run. */
  sentNow: number;
  /** Sent by an earlier run (in the journal). */
  sentBefore: number;
  /** Every bounce not sent, by line. */
  unsent: Unsent[];
  interrupted: boolean;
  dryRun: boolean;
}

/** `--rate`: calls per second, a positive number. */
function parseRate(value: string | undefined): number {
  if (value === undefined) return 1;
  const rate = Number(value);
  if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || !(rate > 0) || !Number.isFinite(rate))
    throw new CliError(`--rate: ${JSON.stringify(value)} is not a positive number of calls per second`);
  return rate;
}

function formatSummary(s: BatchSummary): string {
  const lines = [
    `${s.dryRun ? "dry run of" : "batch"} ${s.file}: ${s.total} bounce${s.total === 1 ? "" : "s"}`,
    `  sent now:        ${s.dryRun ? "0 (dry run)" : s.sentNow}`,
    `  sent before:     ${s.sentBefore} (journal ${s.journal})`,
  ];
  const by = (status: Unsent["status"]) => s.unsent.filter((u) => u.status === status);
  const failed = by("failed");
  const unknown = by("unknown");
  const expired = by("expired");
  const stopped = s.dryRun ? by("pending") : by("stopped");
  lines.push(`  failed:          ${failed.length}`);
  lines.push(`  outcome unknown: ${unknown.length}`);
  lines.push(`  expired:         ${expired.length}${expired.length > 0 ? " (not sent: SES's 24-hour window has closed; --send-expired sends them anyway)" : ""}`);
  lines.push(`  ${s.dryRun ? "would send:     " : "not started:    "} ${stopped.length}`);
  for (const u of failed) lines.push(`  line ${u.line}: failed: ${u.error}: ${u.message}`);
  for (const u of expired) lines.push(`  line ${u.line}: expired: ${u.message}`);
  for (const u of unknown)
    lines.push(`  line ${u.line}: outcome unknown${u.message ? `: ${u.message}` : " (a call was in flight when a run stopped)"}; not resent: check SES, then rerun with --resend-unknown to send it again`);
  if (s.interrupted && stopped.length > 0) lines.push(`  interrupted: run the same command again to send the ${stopped.length} not started`);
  return `${lines.join("\n")}\n`;
}

/**
 * Runs `--batch FILE` with the other scanned arguments (`--journal`, `--rate`, `--dry-run`,
 * `--resend-unknown`, `--send-expired`, `--output`, and the AWS flags).
 *
 * @returns the exit code: 0 when every bounce of the file is sent (now or before), 1 when some
 *   failed, have an unknown outcome or were not sent for SES's 24-hour window, 2 for a bad file (nothing sent), 130 when interrupted.
 * @example
 * const code = await runBatch("requests.jsonl", scanArgs(["--batch", "requests.jsonl", "--rate", "1"], SEND_BOUNCE_OPTIONS), io);
 */
export async function runBatch(file: string, args: ScannedArgs, io: Io): Promise<number> {
  const journalPath = argString(args, "--journal") ?? `${file}.journal`;
  const rate = parseRate(argString(args, "--rate"));
  const dryRun = args.get("--dry-run") === true;
  const resendUnknown = args.get("--resend-unknown") === true;
  const sendExpired = args.get("--send-expired") === true;
  const damagedUnknown = args.get("--damaged-journal-unknown") === true;
  const json = argString(args, "--output") === "json";
  const { bounceKey, BounceQueue } = await import("@dsnkit/ses");

  let read;
  try {
    read = await readBatchFile(file, file, bounceKey, maxInputSize(argString(args, "--max-input-size")));
  } catch (e) {
    throw new CliError(`--batch: ${(e as Error).message}`);
  }
  if (read.problems.length > 0) {
    const bad = new Set(read.problems.map((p) => /^.*?:(\d+)[:]/.exec(p)?.[1]).filter(Boolean)).size;
    throw new CliError(
      `--batch: ${bad > 0 ? `${bad} of ${read.lines} lines have problems` : "the file has problems"}; nothing was sent:\n  ${read.problems.join("\n  ")}`,
    );
  }

  let journal: Journal;
  try {
    journal = Journal.open(journalPath, 16 * maxInputSize(argString(args, "--max-input-size")));
  } catch (e) {
    throw new CliError(`--journal: ${(e as Error).message}`, EXIT.FAILED);
  }
  const progress = createProgress(io.stderr, io.isTTY === true);
  const summary: BatchSummary = { file, journal: journalPath, total: read.items.length, sentNow: 0, sentBefore: 0, unsent: [], interrupted: false, dryRun };
  const cleanups: (() => void)[] = [];
  try {
    if (journal.torn !== undefined)
      progress.note(`the journal's last line (${journal.torn}) was cut short by a crash while it was written: dropped; the record before it stands`);
    const suspect = damageSuspects(journal, read.items, damagedUnknown);
    const pending: BatchItem[] = [];
    const now = nowOf(io);
    for (const item of read.items) {
      const last = journal.last(item.key);
      if (last?.event === "sent") summary.sentBefore++;
      else if (suspect.has(item.key) && !resendUnknown)
        summary.unsent.push({ line: item.line, status: "unknown", error: "JournalDamaged", message: "a damaged line of the journal may have recorded it" });
      else if ((last?.event === "sending" || last?.event === "unknown") && !resendUnknown) summary.unsent.push(unknownOf(item, last));
      else {
        const late = sendExpired ? undefined : await windowWarning(item.request, () => now);
        if (late === undefined) pending.push(item);
        else {
          summary.unsent.push({ line: item.line, status: "expired", error: "BounceWindowExpiredError", message: late });
          if (!dryRun) journal.append({ event: "expired", key: item.key, line: item.line, error: "BounceWindowExpiredError", message: late });
        }
      }
    }

    if (dryRun || pending.length === 0) {
      for (const item of pending) summary.unsent.push({ line: item.line, status: dryRun ? "pending" : "stopped" });
      summary.unsent.sort((a, b) => a.line - b.line);
      await write(io.stdout, json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      return exitCode(summary, dryRun);
    }

    const { createSesClient, resolveRegion } = await import("../aws/client.js");
    const options = clientOptions(args);
    const client: SESClient = createSesClient(options);
    cleanups.push(() => client.destroy());
    await resolveRegion(client, options.profile);

    const byKey = new Map(pending.map((item) => [item.key, item]));
    // Journal each request before it goes on the wire: if this process dies with the request in
    // flight, the next run knows its outcome is unknown instead of sending it again.
    client.middlewareStack.add(
      (next) => async (middlewareArgs) => {
        const input = middlewareArgs.input as SendBounceCommandInput;
        if (input?.OriginalMessageId !== undefined && Array.isArray(input.BouncedRecipientInfoList)) {
          const key = bounceKey(input as Pick<SendBounceRequest, "OriginalMessageId" | "BouncedRecipientInfoList">);
          const item = byKey.get(key);
          if (item !== undefined) journal.append({ event: "sending", key, line: item.line });
        }
        return next(middlewareArgs);
      },
      { step: "initialize", name: "dsnkitBatchJournal" },
    );

    const queue = new BounceQueue(client, { rate, ...(io.now !== undefined ? { now: io.now } : {}) });
    const counts: ProgressCounts = { done: 0, total: pending.length, sent: 0, failed: 0 };
    const settled = new Set<string>();
    const record = (item: BatchItem, entry: Omit<JournalEntry, "v" | "at" | "key" | "line">) => {
      if (settled.has(item.key)) return;
      settled.add(item.key);
      journal.append({ ...entry, key: item.key, line: item.line });
      counts.done++;
      if (entry.event === "sent") {
        counts.sent++;
        summary.sentNow++;
        progress.step({ line: item.line, outcome: "sent", detail: entry.messageId ?? "" }, counts);
      } else {
        counts.failed++;
        const status = entry.event === "unknown" ? "unknown" : entry.event === "expired" ? "expired" : "failed";
        summary.unsent.push({ line: item.line, status, ...(entry.error ? { error: entry.error } : {}), ...(entry.message ? { message: entry.message } : {}) });
        progress.step({ line: item.line, outcome: status, detail: `${entry.error}: ${entry.message}` }, counts);
      }
    };
    const failure = (item: BatchItem, error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      // A window that closed while the bounce waited for its turn: expired, like those found at the start.
      const event = err.name === "BounceOutcomeUnknownError" ? "unknown" : err.name === "BounceWindowExpiredError" ? "expired" : "failed";
      record(item, { event, error: err.name, message: err.message });
    };
    queue.on("sent", (e) => {
      const item = byKey.get(e.key);
      if (item) record(item, { event: "sent", messageId: e.messageId });
    });
    queue.on("failed", (e) => {
      const item = byKey.get(e.key);
      if (item) failure(item, e.error);
    });
    queue.on("retry", (e) => {
      const item = byKey.get(e.key);
      if (item === undefined) return;
      // Throttled, a server error, or no connection: SES did not send it; the queue tries again.
      journal.append({ event: "not-sent", key: item.key, line: item.line, error: e.reason });
      progress.step({ line: item.line, outcome: "retry", detail: `${e.reason}; next try in ${(e.delayMs / 1000).toFixed(1)} s` }, counts);
    });
    queue.on("cancelled", (e) => {
      // Interrupted while waiting for its turn or a retry: nothing of it is on the wire.
      const item = byKey.get(e.key);
      if (item !== undefined && journal.last(item.key)?.event === "sending")
        journal.append({ event: "not-sent", key: item.key, line: item.line, error: "interrupted" });
    });

    const stop = new AbortController();
    const interrupted = new Error("interrupted");
    let signals = 0;
    const onSignal = () => {
      signals++;
      if (signals === 1) {
        summary.interrupted = true;
        const inFlight = queue.counts.inFlight;
        progress.note(`interrupted: no new bounces start; waiting for ${inFlight} call${inFlight === 1 ? "" : "s"} in flight (Ctrl-C again to quit at once)`);
        stop.abort(interrupted);
      } else {
        progress.stop();
        io.stderr.write("dsnkit: quitting now; calls in flight have an unknown outcome (the journal says which)\n");
        journal.close();
        process.exit(BATCH_EXIT.INTERRUPTED);
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    cleanups.push(() => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    });

    progress.start(counts);
    const calls = pending.map((item) =>
      queue.enqueue(item.request, { signal: stop.signal, ignoreWindow: sendExpired }).then(
        () => undefined,
        (error: unknown) => {
          // The queue's events report what it sent or failed; this catches what it refused at
          // once (a window that closed since the start). An interrupted bounce was never started.
          if (error !== interrupted) failure(item, error);
        },
      ),
    );
    await Promise.all(calls);
    await queue.drain();
    progress.stop();
    for (const item of pending) if (!settled.has(item.key)) summary.unsent.push({ line: item.line, status: "stopped" });
    summary.unsent.sort((a, b) => a.line - b.line);
    await write(io.stdout, json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
    return exitCode(summary, false);
  } finally {
    progress.stop();
    for (const cleanup of cleanups.reverse()) cleanup();
    journal.close();
  }
}

/**
 * The bounces of the file that the journal's damaged lines may have recorded (a `sent` among
 * them), when the user said to go on (`--damaged-journal-unknown`): those named by a damaged line
 * that still shows its key, and all of them when a damaged line shows none. A bounce the intact
 * records show sent is not among them: nothing follows a `sent`.
 *
 * @throws {CliError} (exit 2) naming the damaged lines and what to do, without the flag.
 */
function damageSuspects(journal: Journal, items: readonly BatchItem[], goOn: boolean): Set<string> {
  const damaged = journal.damaged;
  if (damaged.length === 0) return new Set();
  if (!goOn) {
    const shown = damaged.slice(0, 5).map((d) => `  line ${d.line}: ${d.reason}`);
    if (damaged.length > 5) shown.push(`  and ${damaged.length - 5} more`);
    throw new CliError(
      `--journal: the journal ${journal.path} cannot be read completely; nothing was sent:\n${shown.join("\n")}\n` +
        "A damaged line may have recorded a bounce as sent, and sending it again would send it twice. Restore the journal " +
        "from a copy, or run again with --damaged-journal-unknown: the bounces the damaged lines may have recorded then have " +
        "an unknown outcome and are not sent (check SES; --resend-unknown sends them).",
      EXIT.INVALID_INPUT,
    );
  }
  const keys = new Set(damaged.map((d) => d.key));
  const all = keys.has(undefined);
  return new Set(items.filter((i) => (all || keys.has(i.key)) && journal.last(i.key)?.event !== "sent").map((i) => i.key));
}

function unknownOf(item: BatchItem, last: JournalEntry): Unsent {
  return { line: item.line, status: "unknown", ...(last.error ? { error: last.error } : {}), ...(last.message ? { message: last.message } : {}) };
}

function exitCode(summary: BatchSummary, dryRun: boolean): number {
  if (dryRun) return EXIT.OK;
  if (summary.unsent.length === 0) return EXIT.OK;
  if (summary.interrupted) return BATCH_EXIT.INTERRUPTED;
  return EXIT.FAILED;
}
