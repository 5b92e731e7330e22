/**
 * The outbox: each accepted bounce as `<MessageId>.eml` in one directory, written atomically (a
 * temporary file, flushed to disk, renamed into place), so a reader never sees half a file.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";

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
  const tmp = join(path, "..", `.${randomBytes(6).toString("hex")}.tmp`);
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
  private constructor(readonly dir: string) {}

  /**
   * Opens the outbox, creating the directory when missing.
   *
   * @throws {Error} when the directory cannot be created or written.
   * @example
   * await Outbox.open("/tmp/ses-local/outbox");
   */
  static async open(dir: string): Promise<Outbox> {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return new Outbox(dir);
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
