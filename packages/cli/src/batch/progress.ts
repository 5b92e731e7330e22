/**
 * Batch progress on stderr: a progress bar on a terminal, plain lines otherwise (a log file, CI,
 * a pipe), one per finished bounce and per retry.
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { Writable } from "node:stream";

/**
 * What happened to one bounce, for the progress display.
 *
 * @example
 * const step: ProgressStep = { line: 12, outcome: "sent", detail: "0100019b-..." };
 */
export interface ProgressStep {
  line: number;
  outcome: "sent" | "failed" | "unknown" | "expired" | "retry";
  /** The message id, the error, or the retry's reason and wait. */
  detail: string;
}

/**
 * The counters shown with the progress.
 *
 * @example
 * const counts: ProgressCounts = { done: 20, total: 50, sent: 19, failed: 1 };
 */
export interface ProgressCounts {
  /** Bounces finished in this run (sent, failed, or outcome unknown). */
  done: number;
  /** Bounces this run sends. */
  total: number;
  sent: number;
  failed: number;
}

/**
 * A progress display.
 *
 * @example
 * const progress = createProgress(io.stderr, Boolean(io.isTTY));
 * progress.start({ done: 0, total: 50, sent: 0, failed: 0 });
 */
export interface BatchProgress {
  start(counts: ProgressCounts): void;
  step(step: ProgressStep, counts: ProgressCounts): void;
  /** A message that must not be lost under the bar. */
  note(message: string): void;
  stop(): void;
}

class BarProgress implements BatchProgress {
  readonly #bar: cliProgress.SingleBar;
  #running = false;

  constructor(private readonly stream: Writable) {
    this.#bar = new cliProgress.SingleBar({
      stream: stream as unknown as NodeJS.WritableStream,
      format: "sending {bar} {value}/{total} | sent {sent} | failed {failed} | {eta_formatted} left",
      barCompleteChar: "█",
      barIncompleteChar: "░",
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
      etaBuffer: 20,
    });
  }

  start(counts: ProgressCounts): void {
    this.#bar.start(counts.total, counts.done, { sent: counts.sent, failed: counts.failed });
    this.#running = true;
  }

  step(step: ProgressStep, counts: ProgressCounts): void {
    if (step.outcome !== "sent" && step.outcome !== "retry") this.note(`line ${step.line}: ${step.outcome === "unknown" ? "outcome unknown" : step.outcome}: ${step.detail}`);
    this.#bar.update(counts.done, { sent: counts.sent, failed: counts.failed });
  }

  note(message: string): void {
    // Clear the bar's line, print, and let the bar draw itself again below.
    if (this.#running) this.stream.write("\r\x1b[2K");
    this.stream.write(`dsnkit: ${message}\n`);
    if (this.#running) this.#bar.render();
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#bar.stop();
  }
}

class LineProgress implements BatchProgress {
  constructor(private readonly stream: Writable) {}

  start(counts: ProgressCounts): void {
    this.stream.write(`dsnkit: sending ${counts.total} bounce${counts.total === 1 ? "" : "s"}\n`);
  }

  step(step: ProgressStep, counts: ProgressCounts): void {
    const at = step.outcome === "retry" ? "" : `[${counts.done}/${counts.total}] `;
    const what = step.outcome === "unknown" ? "outcome unknown" : step.outcome === "retry" ? "will retry" : step.outcome;
    this.stream.write(`dsnkit: ${at}line ${step.line}: ${what}: ${step.detail}\n`);
  }

  note(message: string): void {
    this.stream.write(`dsnkit: ${message}\n`);
  }

  stop(): void {}
}

/**
 * A progress bar on a terminal, plain lines otherwise.
 *
 * @param stream - where progress goes (stderr).
 * @param tty - whether `stream` is a terminal.
 * @example
 * const progress = createProgress(process.stderr, process.stderr.isTTY === true);
 */
export function createProgress(stream: Writable, tty: boolean): BatchProgress {
  return tty ? new BarProgress(stream) : new LineProgress(stream);
}
