/**
 * The outbox: each accepted bounce as `<MessageId>.eml` in one directory, written atomically (a
 * temporary file, flushed to disk, renamed into place), so a reader never sees half a file. A
 * temporary file that a crash (`kill -9`, power loss) left behind is removed at the next start.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * The temporary files {@link writeFileAtomic} makes: `.<pid>-<12 hex digits>.tmp`, and
 * `.<12 hex digits>.tmp` from ses-local before the process id was in the name.
 */
const TEMPORARY = /^\.(?:(\d{1,10})-)?[0-9a-f]{12}\.tmp$/;

/**
 * A temporary file younger than this, of another process that is alive, may be a write in
 * progress (two ses-local processes can share an outbox): it is left alone.
 */
const IN_PROGRESS_MS = 60 * 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The outbox file name of a bounce.
 *
 * @example
 * outboxFileName("010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000");
 * //=> "010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000.eml"
 */
export function outboxFileName(bounceId: string): string {
  if (!/^[0-9A-Za-z-]+$/.test(bounceId)) throw new RangeError(`outbox: ${JSON.stringify(bounceId)} cannot be a file name`);
  return `${bounceId}.eml`;
}

/**
 * Writes `data` to `path` atomically: to a temporary file in the same directory, flushed to disk,
 * then renamed over `path`. On failure the temporary file is removed and `path` is untouched.
 *
 * @example
 * await writeFileAtomic("/tmp/outbox/x.eml", Buffer.from("From: a@example.com\r\n\r\n"));
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(path, "..", `.${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(tmp, "wx", 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/**
 * The outbox directory.
 *
 * @example
 * const outbox = await Outbox.open("/tmp/ses-local/outbox");
 * const path = await outbox.write(bounceId, raw);
 */
export class Outbox {
  private constructor(
    readonly dir: string,
    /** The temporary files a crash had left, removed when the outbox was opened. */
    readonly removedTemporaryFiles: readonly string[],
  ) {}

  /**
   * Opens the outbox, creating the directory when missing, and removes the temporary files that
   * a crash left in it: every one but those of another live process made in the last hour.
   *
   * @throws {Error} when the directory cannot be created or written.
   * @example
   * (await Outbox.open("/tmp/ses-local/outbox")).removedTemporaryFiles;
   * //=> [".41327-9f86d081884c.tmp"]
   */
  static async open(dir: string): Promise<Outbox> {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const removed: string[] = [];
    const now = Date.now();
    for (const name of await readdir(dir)) {
      const m = TEMPORARY.exec(name);
      if (m === null) continue;
      const path = join(dir, name);
      const pid = m[1] === undefined ? undefined : Number(m[1]);
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
        const s = await stat(path).catch(() => undefined);
        if (s === undefined || now - s.mtimeMs < IN_PROGRESS_MS) continue;
      }
      await unlink(path).then(
        () => removed.push(name),
        (e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e;
        },
      );
    }
    return new Outbox(dir, removed);
  }

  /**
   * The path of a bounce's file.
   *
   * @example
   * outbox.pathOf("0100-x-000000");
   * //=> "/tmp/ses-local/outbox/0100-x-000000.eml"
   */
  pathOf(bounceId: string): string {
    return join(this.dir, outboxFileName(bounceId));
  }

  /**
   * Writes a bounce's file atomically and returns its path.
   *
   * @example
   * await outbox.write(bounceId, raw);
   */
  async write(bounceId: string, raw: Uint8Array): Promise<string> {
    const path = this.pathOf(bounceId);
    await writeFileAtomic(path, raw);
    return path;
  }

  /**
   * True when a bounce's file exists.
   *
   * @example
   * await outbox.has(bounceId);
   * //=> true
   */
  async has(bounceId: string): Promise<boolean> {
    try {
      await access(this.pathOf(bounceId));
      return true;
    } catch {
      return false;
    }
  }
}
