/**
 * `file://` and `fileb://` parameter values, read the way the AWS CLI reads them: `~` and
 * `$VAR` expanded in the path, `file://` read as UTF-8 text with universal newlines (CRLF and CR
 * become LF, as Python's text mode does), `fileb://` as bytes.
 *
 * @module
 */
import { homedir } from "node:os";
import { DEFAULT_MAX_INPUT_SIZE, describeFsError, InputTooLargeError, readFileLimited } from "../io.js";

/**
 * True when `value` names a file (`file://…` or `fileb://…`).
 *
 * @example
 * isParamFile("file://request.json");
 * //=> true
 */
export function isParamFile(value: string): boolean {
  return value.startsWith("file://") || value.startsWith("fileb://");
}

/**
 * The path behind a `file://` or `fileb://` value, with `~` and `$VAR`/`${VAR}` expanded like
 * Python's `os.path.expanduser` and `os.path.expandvars` (an unknown variable stays as written).
 *
 * @example
 * paramFilePath("file://~/bounce.json", { HOME: "/home/ann" });
 * //=> "/home/ann/bounce.json"
 */
export function paramFilePath(value: string, env: NodeJS.ProcessEnv = process.env): string {
  let path = value.slice(value.startsWith("fileb://") ? 8 : 7);
  if (path === "~" || path.startsWith("~/")) path = (env.HOME ?? homedir()) + path.slice(1);
  return path.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith("{") ? name.slice(1, -1) : name;
    return env[key] ?? whole;
  });
}

/**
 * Reads a `file://` value as text, or a `fileb://` value as bytes.
 *
 * @throws {Error} whose message says why: the file is missing, unreadable, or not UTF-8 text.
 * @example
 * readParamFile("file://explanation.txt");
 * //=> "Mailbox removed.\n"
 */
export function readParamFile(value: string): string | Uint8Array {
  const path = paramFilePath(value);
  let data: Buffer;
  try {
    // No SendBounce request comes near this size; the limit keeps `file:///dev/zero` finite.
    data = readFileLimited(path, DEFAULT_MAX_INPUT_SIZE);
  } catch (e) {
    if (e instanceof InputTooLargeError) throw new Error(`cannot read ${path}: it is larger than ${e.limit} octets, the most dsnkit reads`);
    throw new Error(`cannot read ${path}: ${describeFsError(e)}`);
  }
  if (value.startsWith("fileb://")) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new Error(`${path} is not UTF-8 text (a binary file would need fileb://, which no SendBounce parameter takes)`);
  }
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/**
 * Reads a `file://` value as text for a text parameter; `fileb://` is refused, since no
 * SendBounce parameter is binary.
 *
 * @throws {Error} saying why the file cannot be used.
 * @example
 * readTextParamFile("file://explanation.txt");
 * //=> "Mailbox removed.\n"
 */
export function readTextParamFile(value: string): string {
  if (value.startsWith("fileb://"))
    throw new Error(`${value}: fileb:// reads binary data, and SendBounce has no binary parameters; use file://`);
  return readParamFile(value) as string;
}
