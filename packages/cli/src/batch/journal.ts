/**
 * The batch journal: JSON lines appended, and flushed to disk (fsync), as a batch runs, so a
 * rerun after a crash or Ctrl-C knows what was sent. One line per event, each ending in its
 * checksum (the first 8 hex digits of the SHA-256 of the line without it):
 *
 * ```json
 * {"v":2,"at":"2026-11-26T10:00:00.000Z","event":"sending","key":"[\"0100019abc\",[\"a@example.com\"]]","line":3,"sum":"5d41402a"}
 * {"v":2,"at":"2026-11-26T10:00:00.210Z","event":"sent","key":"[\"0100019abc\",[\"a@example.com\"]]","line":3,"messageId":"0100019b...","sum":"7d793037"}
 * ```
 *
 * `sending` is written before each request goes on the wire; then `sent`, `failed`, `unknown` (no
 * answer came) or `not-sent` (the attempt failed in a way that leaves the bounce unsent: it is
 * retried, or the run stopped first). `expired` records a bounce not sent because SES's 24-hour
 * window had closed (a rerun judges it again; `--send-expired` sends it). A key whose last event
 * is `sending` was in flight when the run died: its outcome is unknown. A lock file
 * (`<journal>.lock`) keeps two runs off one journal.
 *
 * Damage is told from a crash. Each record is one write that ends with its newline, flushed before
 * the run goes on, so only the last write of a run that died can be cut short: a last line
 * without its newline, in what that run appended. The lock file says which run that was: it holds
 * the run's process id and the journal's size when the run began, flushed to disk, and a run that
 * ends removes it; a lock left by a process that is gone is the mark of a run that died. Such a
 * torn write is forgiven (dropped, and cut from the file): it recorded a step that never
 * completed, and the record before it stands (a `sent` cut short leaves its `sending`: an unknown
 * outcome, not resent). Anything else that is not a record is damage: a line of garbage, a wrong
 * checksum, a wrong version, a last line cut short when no run died writing it, a journal shorter
 * than when the run that died began. Damage may have held a `sent`, so {@link Journal.damaged}
 * lists it and the run stops before sending anything, unless the user decides how to go on.
 * Version 1 records (no checksum) from earlier dsnkit are still read.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { describeFsError } from "../io.js";

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
 * One journal record (its checksum aside).
 *
 * @example
 * const entry: JournalEntry = { v: 2, at: "2026-11-26T10:00:00.000Z", event: "sent", key: '["m1",["a@example.com"]]', line: 3, messageId: "0100-x" };
 */
export interface JournalEntry {
  /** 2; 1 in journals of earlier dsnkit, whose records have no checksum. */
  v: 1 | 2;
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
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && (e.v === 1 || e.v === 2) && typeof e.key === "string" && EVENTS.has(e.event) &&
    Number.isInteger(e.line) && typeof e.at === "string"
  );
}

/** The checksum of a record's text: the first 8 hex digits of its SHA-256. */
function checksum(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 8);
}

/** The end of a version 2 record: its checksum, the last member. */
const SUM = /,"sum":"([0-9a-f]{8})"\}$/;

/** A record as one line of the journal, its checksum last, without the newline. */
function recordLine(entry: JournalEntry): string {
  const text = JSON.stringify(entry);
  return `${text.slice(0, -1)},"sum":"${checksum(text)}"}`;
}

/**
 * A line of the journal that is not a record, and not a torn last write: damage.
 *
 * @example
 * const d: JournalDamage = { line: 7, reason: "its checksum does not match its text", key: '["m1",["a@example.com"]]' };
 */
export interface JournalDamage {
  /** 1-based. */
  line: number;
  reason: string;
  /** The bounce it was about, when that can still be read from it. */
  key?: string;
}

/**
 * What a journal holds: its records in order, its damaged lines, and a torn last write.
 *
 * @example
 * const c: JournalContents = { entries: [], damaged: [], intact: 0 };
 */
export interface JournalContents {
  entries: JournalEntry[];
  damaged: JournalDamage[];
  /** The line cut short by a crash while it was written (the last, without its newline). */
  torn?: number;
  /** Octets of the journal up to the torn line: what stays when it is cut. */
  intact: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** One complete line read: the record, or why it is not one and what key it names if any. */
function readRecord(text: string): { entry: JournalEntry } | { reason: string; key?: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { reason: "it is not a journal record (not JSON)" };
  }
  const key = typeof (v as JournalEntry | null)?.key === "string" ? (v as JournalEntry).key : undefined;
  const damage = (reason: string) => (key === undefined ? { reason } : { reason, key });
  if (!isEntry(v)) return damage((v as JournalEntry | null)?.v !== 1 && (v as JournalEntry | null)?.v !== 2 ? "it is not a record of a journal version this dsnkit reads" : "it is not a complete journal record");
  if (v.v === 1) return "sum" in v ? damage("a version 1 record has no checksum") : { entry: v };
  const m = SUM.exec(text);
  if (m === null) return damage("it has no checksum");
  if (checksum(`${text.slice(0, m.index)}}`) !== m[1]) return damage("its checksum does not match its text");
  const { sum: _sum, ...entry } = v as JournalEntry & { sum: string };
  return { entry };
}

/**
 * Reads a journal's octets: every record, every damaged line, and a torn last write. Blank lines
 * hold nothing and are passed over.
 *
 * @param data - the journal.
 * @param diedAt - when the last run died (its lock was left): the journal's size when it began.
 *   Only a last line in what that run appended can be a torn write; without it, a last line cut
 *   short is damage.
 * @example
 * readJournal(new TextEncoder().encode('{"v":2,"at":"2026-11-26T10:00:00.000Z","ev'), 0).torn;
 * //=> 1
 */
export function readJournal(data: Uint8Array, diedAt?: number): JournalContents {
  const out: JournalContents = { entries: [], damaged: [], intact: data.length };
  let pos = 0;
  let line = 1;
  for (; pos < data.length; line++) {
    const nl = data.indexOf(0x0a, pos);
    if (nl < 0) {
      if (diedAt !== undefined && pos >= diedAt) {
        // The last write of the run that died, cut short before its newline.
        out.torn = line;
        out.intact = pos;
      } else
        out.damaged.push({
          line,
          reason: diedAt === undefined ? "it is cut short, and no run died while writing it: the journal was cut or damaged" : "it is cut short before what the run that died wrote: the journal was cut or damaged",
        });
      break;
    }
    const bytes = data.subarray(pos, nl);
    pos = nl + 1;
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      out.damaged.push({ line, reason: "it is not UTF-8 text" });
      continue;
    }
    if (text.trim() === "") continue;
    const r = readRecord(text);
    if ("entry" in r) out.entries.push(r.entry);
    else out.damaged.push({ line, ...r });
  }
  if (diedAt !== undefined && data.length < diedAt)
    out.damaged.push({ line, reason: `the journal ends before the ${diedAt} octets it had when the run that died began: its last records were cut` });
  return out;
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
  /** Lines that are not records and not a torn last write (see the module's description). */
  readonly damaged: readonly JournalDamage[];
  /** The line a crash cut short while it was written, dropped from the file when it was opened. */
  readonly torn: number | undefined;
  #closed = false;

  private constructor(
    readonly path: string,
    fd: number,
    lockPath: string,
    contents: JournalContents,
  ) {
    this.#fd = fd;
    this.#lockPath = lockPath;
    for (const e of contents.entries) this.#last.set(e.key, e);
    this.damaged = contents.damaged;
    this.torn = contents.torn;
  }

  /**
   * Opens (or creates) the journal at `path` and takes its lock. A torn last write is cut from the
   * file (so that the next record starts a line of its own); damaged lines are left as they are
   * and listed in {@link Journal.damaged}.
   *
   * @param maxSize - the most octets a journal may hold.
   * @throws {Error} when the journal cannot be opened, is not a regular file or is over `maxSize`,
   *   or another run holds its lock.
   * @example
   * const journal = Journal.open("requests.jsonl.journal");
   */
  static open(path: string, maxSize = 256 * 1024 * 1024): Journal {
    const lockPath = `${path}.lock`;
    const diedAt = takeLock(lockPath);
    try {
      let fd: number;
      try {
        fd = openSync(path, "a+");
      } catch (e) {
        throw new Error(`cannot open the journal ${path}: ${describeFsError(e)}`);
      }
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) throw new Error(`the journal ${path} is not a regular file`);
        if (st.size > maxSize) throw new Error(`the journal ${path} is ${st.size} octets, over the ${maxSize} a journal may hold`);
        const data = Buffer.allocUnsafe(st.size);
        let done = 0;
        while (done < data.length) {
          const n = readSync(fd, data, done, data.length - done, done);
          if (n === 0) break;
          done += n;
        }
        const contents = readJournal(data.subarray(0, done), diedAt);
        if (contents.torn !== undefined) {
          ftruncateSync(fd, contents.intact);
          fsyncSync(fd);
        }
        // From here on this run may append: say where it began, durably, before it does.
        markStart(lockPath, contents.torn !== undefined ? contents.intact : done);
        return new Journal(path, fd, lockPath, contents);
      } catch (e) {
        closeSync(fd);
        throw e;
      }
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
    const full: JournalEntry = { v: 2, at: new Date().toISOString(), ...entry };
    this.#write(`${recordLine(full)}\n`);
    this.#last.set(full.key, full);
    return full;
  }

  #write(data: string): void {
    if (this.#closed) throw new Error(`the journal ${this.path} is closed`);
    const bytes = Buffer.from(data, "utf8");
    const before = fstatSync(this.#fd).size;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done);
      fsyncSync(this.#fd);
    } catch (e) {
      // A write that failed part way (a full disk): take back what it wrote, so that the journal
      // does not end in a torn line while this run goes on and ends cleanly.
      try {
        ftruncateSync(this.#fd, before);
      } catch {
        // The next run finds the torn line and stops on it: safe, if not convenient.
      }
      throw e;
    }
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

/**
 * Creates the lock file; a lock left by a process that is gone is taken over. Returns, when it
 * took one over, the journal's size when that run began (a torn write can only lie past it), if
 * the lock says.
 */
function takeLock(lockPath: string): number | undefined {
  let diedAt: number | undefined;
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return diedAt;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot lock the journal (${lockPath}): ${describeFsError(e)}`);
      let pid = NaN;
      let start: number | undefined;
      try {
        const [first, second] = readLock(lockPath).split("\n");
        pid = Number.parseInt(first!, 10);
        if (second !== undefined && /^\d{1,15}$/.test(second)) start = Number(second);
      } catch {
        // Unreadable: treat as stale.
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
        throw new Error(`another run (process ${pid}) is using this journal; wait for it, or remove ${lockPath} if it is gone`);
      diedAt = start;
      try {
        unlinkSync(lockPath);
      } catch {
        // Someone else took it over meanwhile: try again.
      }
    }
  }
  throw new Error(`cannot lock the journal (${lockPath})`);
}

/**
 * Writes the lock file again with the journal's size at the start of this run, and flushes it and
 * its directory, so that the lock of a run that dies (even in a power cut) says where its records
 * began.
 */
function markStart(lockPath: string, size: number): void {
  const fd = openSync(lockPath, "w");
  try {
    writeSync(fd, `${process.pid}\n${size}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    const dir = openSync(dirname(lockPath), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // A directory that cannot be flushed (some file systems): the lock file itself is.
  }
}

/** The lock file's text: a process id and a size (a few octets; more is not read). */
function readLock(lockPath: string): string {
  const fd = openSync(lockPath, "r");
  try {
    const b = Buffer.alloc(64);
    return b.toString("utf8", 0, readSync(fd, b, 0, b.length, 0));
  } finally {
    closeSync(fd);
  }
}

function releaseLock(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // Already gone.
  }
}
