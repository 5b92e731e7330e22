/**
 * The batch journal: JSON lines appended, and flushed to disk (fsync), as a batch runs, so a
 * rerun after a crash or Ctrl-C knows what was sent. One line per event:
 *
 * ```json
 * {"v":1,"at":"2026-11-26T10:00:00.000Z","event":"sending","key":"[\"0100019abc\",[\"a@example.com\"]]","line":3}
 * {"v":1,"at":"2026-11-26T10:00:00.210Z","event":"sent","key":"[\"0100019abc\",[\"a@example.com\"]]","line":3,"messageId":"0100019b..."}
 * ```
 *
 * `sending` is written before each request goes on the wire; then `sent`, `failed`, `unknown` (no
 * answer came) or `not-sent` (the attempt failed in a way that leaves the bounce unsent: it is
 * retried, or the run stopped first). `expired` records a bounce not sent because SES's 24-hour
 * window had closed (a rerun judges it again; `--send-expired` sends it). A key whose last event is `sending` was in flight when the
 * run died: its outcome is unknown. A lock file (`<journal>.lock`) keeps two runs off one journal.
 *
 * @module
 */
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { describeFsError } from "../aws/paramfile.js";

/**
 * The events of a bounce in the journal: `sending` before a request goes out, then `sent`,
 * `failed`, `unknown` (it went out and no answer came), or `not-sent` (SES did not send it: the
 * attempt will be retried, or the run stopped before the retry); `expired` when it was not sent
 * because SES's 24-hour window had closed.
 *
 * @example
 * const event: JournalEvent = "sent";
 */
export type JournalEvent = "sending" | "sent" | "failed" | "unknown" | "not-sent" | "expired";

/**
 * One journal line.
 *
 * @example
 * const entry: JournalEntry = { v: 1, at: "2026-11-26T10:00:00.000Z", event: "sent", key: '["m1",["a@example.com"]]', line: 3, messageId: "0100-x" };
 */
export interface JournalEntry {
  v: 1;
  at: string;
  event: JournalEvent;
  /** The bounce's key (its OriginalMessageId and recipients). */
  key: string;
  /** Its line in the requests file, when written. */
  line: number;
  /** SES's id of the bounce (`sent`). */
  messageId?: string;
  /** The error's name (`failed`, `unknown`, `expired`): `BounceRejectedError`, `BounceWindowExpiredError`, .... */
  error?: string;
  /** The error's message. */
  message?: string;
}

const EVENTS: ReadonlySet<string> = new Set(["sending", "sent", "failed", "unknown", "not-sent", "expired"]);

function isEntry(v: unknown): v is JournalEntry {
  const e = v as JournalEntry;
  return typeof v === "object" && v !== null && e.v === 1 && typeof e.key === "string" && EVENTS.has(e.event) && typeof e.line === "number";
}

/**
 * An open journal: what earlier runs recorded, and appending with fsync.
 *
 * @example
 * const journal = Journal.open("requests.jsonl.journal");
 * journal.last(key)?.event;
 * //=> "sent"
 * journal.append({ event: "sending", key, line: 4 });
 * journal.close();
 */
export class Journal {
  readonly #fd: number;
  readonly #lockPath: string;
  readonly #last = new Map<string, JournalEntry>();
  /** Lines of the file that could not be read (a torn last line after a crash, or damage). */
  readonly skipped: number[] = [];
  #closed = false;

  private constructor(
    readonly path: string,
    fd: number,
    lockPath: string,
    text: string,
  ) {
    this.#fd = fd;
    this.#lockPath = lockPath;
    const rows = text.split("\n");
    rows.forEach((row, i) => {
      if (row.trim() === "") return;
      let v: unknown;
      try {
        v = JSON.parse(row);
      } catch {
        this.skipped.push(i + 1);
        return;
      }
      if (isEntry(v)) this.#last.set(v.key, v);
      else this.skipped.push(i + 1);
    });
    // A torn last line (no newline at the end): end it, so the next entry starts a line of its own.
    if (text.length > 0 && !text.endsWith("\n")) this.#write("\n");
  }

  /**
   * Opens (or creates) the journal at `path` and takes its lock.
   *
   * @throws {Error} when the journal cannot be opened or another run holds its lock.
   * @example
   * const journal = Journal.open("requests.jsonl.journal");
   */
  static open(path: string): Journal {
    const lockPath = `${path}.lock`;
    takeLock(lockPath);
    try {
      let text = "";
      try {
        text = readFileSync(path, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read the journal ${path}: ${describeFsError(e)}`);
      }
      let fd: number;
      try {
        fd = openSync(path, "a");
      } catch (e) {
        throw new Error(`cannot write the journal ${path}: ${describeFsError(e)}`);
      }
      return new Journal(path, fd, lockPath, text);
    } catch (e) {
      releaseLock(lockPath);
      throw e;
    }
  }

  /**
   * The last entry recorded for `key`, by this run or an earlier one.
   *
   * @example
   * journal.last('["m1",["a@example.com"]]')?.messageId;
   * //=> "0100-x"
   */
  last(key: string): JournalEntry | undefined {
    return this.#last.get(key);
  }

  /**
   * Appends one entry and flushes it to disk before returning.
   *
   * @example
   * journal.append({ event: "sent", key, line: 4, messageId: "0100-x" });
   */
  append(entry: Omit<JournalEntry, "v" | "at">): JournalEntry {
    const full: JournalEntry = { v: 1, at: new Date().toISOString(), ...entry };
    this.#write(`${JSON.stringify(full)}\n`);
    this.#last.set(full.key, full);
    return full;
  }

  #write(data: string): void {
    if (this.#closed) throw new Error(`the journal ${this.path} is closed`);
    const bytes = Buffer.from(data, "utf8");
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done);
    fsyncSync(this.#fd);
  }

  /**
   * Closes the journal and releases its lock.
   *
   * @example
   * journal.close();
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
    releaseLock(this.#lockPath);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates the lock file; a lock left by a process that is gone is taken over. */
function takeLock(lockPath: string): void {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot lock the journal (${lockPath}): ${describeFsError(e)}`);
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
      } catch {
        // Unreadable: treat as stale.
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
        throw new Error(`another run (process ${pid}) is using this journal; wait for it, or remove ${lockPath} if it is gone`);
      try {
        unlinkSync(lockPath);
      } catch {
        // Someone else took it over meanwhile: try again.
      }
    }
  }
  throw new Error(`cannot lock the journal (${lockPath})`);
}

function releaseLock(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // Already gone.
  }
}
