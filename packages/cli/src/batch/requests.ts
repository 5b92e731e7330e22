/**
 * The requests file of `dsnkit send-bounce --batch`: JSON lines, one SendBounce request per line
 * (the object `--cli-input-json` takes). Every line is read and validated before anything is
 * sent, and every bad line is reported with its number and the path at fault.
 *
 * @module
 */
import type { SendBounceRequest } from "@dsnkit/core";
import { DEFAULT_MAX_INPUT_SIZE, describeFsError, InputTooLargeError, lineColumn, readFileLimited } from "../io.js";
import { findJsonError } from "../json.js";
import { convertRequest, formatRequestIssues, validateParsedRequest } from "../aws/params.js";

/**
 * One request of a batch: its line number (1-based), the validated request and its key.
 *
 * @example
 * const item: BatchItem = { line: 3, key: '["0100019abc",["a@example.com"]]', request };
 */
export interface BatchItem {
  line: number;
  /** The bounce's identity: the same key means the same bounce (see `bounceKey`). */
  key: string;
  request: SendBounceRequest;
}

/**
 * What reading a batch file gave: the valid requests, and one message per problem (every bad
 * line, every problem of each).
 *
 * @example
 * const read: BatchFile = { items: [], problems: ["requests.jsonl:2:14: invalid JSON: ..."], lines: 2 };
 */
export interface BatchFile {
  items: BatchItem[];
  problems: string[];
  /** How many lines held a request (blank lines aside). */
  lines: number;
}

/**
 * Reads and validates a batch file. A line that is blank is skipped; any other line must be a
 * JSON object that is a valid SendBounce request. Two lines with the same key (the same
 * original message and recipients) are a problem too: each bounce is sent once.
 *
 * @param path - the file.
 * @param label - how messages name the file (default: `path`).
 * @param keyOf - the key of a valid request (`bounceKey` of `@dsnkit/ses`).
 * @param limit - the most octets to read (`--max-input-size`).
 * @throws {Error} when the file cannot be read or is over `limit`, with the reason.
 * @example
 * const { items, problems } = await readBatchFile("requests.jsonl", "requests.jsonl", bounceKey);
 * problems;
 * //=> ["requests.jsonl:7: BouncedRecipientInfoList[0].BounceType: BounceType \"Nope\" is not one of ... [invalid_enum]"]
 */
export async function readBatchFile(
  path: string,
  label: string,
  keyOf: (request: SendBounceRequest) => string,
  limit = DEFAULT_MAX_INPUT_SIZE,
): Promise<BatchFile> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileLimited(path, limit));
  } catch (e) {
    if (e instanceof InputTooLargeError)
      throw new Error(`${label} is larger than ${limit} octets, the most dsnkit reads; nothing was sent (--max-input-size raises the limit)`);
    throw new Error(e instanceof TypeError ? `${label} is not UTF-8 text` : `cannot read ${label}: ${describeFsError(e)}`);
  }
  const items: BatchItem[] = [];
  const problems: string[] = [];
  const firstLineOf = new Map<string, number>();
  const rows = text.split("\n");
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  let lines = 0;
  rows.forEach((raw, index) => {
    const n = index + 1;
    const row = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (row.trim() === "") return;
    lines++;
    const where = `${label}:${n}`;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (e) {
      const found = findJsonError(row);
      const column = found === undefined ? undefined : lineColumn(row, found.offset).column;
      problems.push(`${where}${column !== undefined ? `:${column}` : ""}: invalid JSON: ${found?.message ?? (e as Error).message}`);
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${where}: each line must be one JSON object (a SendBounce request, as --cli-input-json takes)`);
      return;
    }
    const parsed = convertRequest(value, where);
    const result = validateParsedRequest(parsed);
    if (!result.ok) {
      problems.push(...formatRequestIssues(result.issues, parsed));
      return;
    }
    const key = keyOf(result.request);
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      problems.push(`${where}: the same bounce as line ${first} (the same OriginalMessageId and recipients); each bounce is sent once`);
      return;
    }
    firstLineOf.set(key, n);
    items.push({ line: n, key, request: result.request });
  });
  if (lines === 0) problems.push(`${label}: no requests (the file is empty)`);
  return { items, problems, lines };
}
