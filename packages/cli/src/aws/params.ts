/**
 * From `aws ses send-bounce` arguments to a SendBounce request, with the AWS CLI's rules:
 *
 * 1. A value that starts with `file://` is replaced by the file's text (for the list flag, only
 *    when it is the flag's only word, as the AWS CLI does).
 * 2. `--message-dsn` is JSON when it starts with `{`, else shorthand.
 *    `--bounced-recipient-info-list` is one JSON array when its first word starts with `[`; JSON
 *    objects, one per word, when the first starts with `{`; else shorthand, one recipient per
 *    word. Shorthand gets the AWS CLI's model fix-up: a single value where a list belongs becomes
 *    a one-item list (`ExtensionFields={Name=a,Value=b}`).
 * 3. `--cli-input-json`/`--cli-input-yaml` supply every top-level member the flags leave out.
 * 4. Timestamps become `Date`s (ISO-8601, a date, epoch seconds), and every problem is reported
 *    with the flag or the input path it came from.
 *
 * @module
 */
import { formatPath, validateBounceRequest } from "@dsnkit/core";
import type { Issue, IssuePath, SendBounceRequest } from "@dsnkit/core";
import { CliError, parseJson } from "../io.js";
import { loadCliInput, YamlDate } from "./cli-input.js";
import { FLAG_MEMBERS, MEMBER_FLAGS, SEND_BOUNCE_INPUT } from "./model.js";
import type { Shape, StructureShape } from "./model.js";
import { isParamFile, readTextParamFile } from "./paramfile.js";
import { parseShorthand, ShorthandSyntaxError } from "./shorthand.js";
import type { ShorthandStructure } from "./shorthand.js";
import { parseAwsTimestamp } from "./timestamp.js";
import type { ScannedArgs } from "./argv.js";

/**
 * The two flags that take a whole request.
 *
 * @example
 * const flag: CliInputFlag = "--cli-input-yaml";
 */
export type CliInputFlag = "--cli-input-json" | "--cli-input-yaml";

/**
 * Where each top-level member of a request came from: its own flag (`--message-dsn`), an input
 * flag (`--cli-input-json`), or a label such as `requests.jsonl:12` for a batch line.
 *
 * @example
 * const sources: RequestSources = { BounceSender: "--bounce-sender", MessageDsn: "--cli-input-json" };
 */
export type RequestSources = Record<string, string>;

/**
 * A request read from arguments, before validation: the merged parameters (timestamps already
 * `Date`s), where each came from, and the problems the conversion found.
 *
 * @example
 * const parsed: ParsedRequest = { params: {}, sources: {}, issues: [], defaultSource: "--cli-input-json" };
 */
export interface ParsedRequest {
  params: Record<string, unknown>;
  sources: RequestSources;
  /** Problems found while converting (null values, timestamps that are not timestamps). */
  issues: Issue[];
  /** Where a missing or unknown top-level member is reported when no flag owns it. */
  defaultSource?: string;
}

/** Sets an own, enumerable property (a `__proto__` key stays a key). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof YamlDate);
}

/** The AWS CLI's shorthand fix-up: a non-list value where the model has a list becomes `[value]`. */
function wrapLists(value: unknown, shape: Shape): unknown {
  if (shape.type === "list") {
    if (value === undefined) return value;
    const list = Array.isArray(value) ? value : [value];
    return list.map((item) => wrapLists(item, shape.member));
  }
  if (shape.type === "structure" && isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const member = Object.prototype.hasOwnProperty.call(shape.members, key) ? shape.members[key] : undefined;
      if (member !== undefined) value[key] = wrapLists(value[key], member);
    }
  }
  return value;
}

function shorthandProblem(where: string, e: ShorthandSyntaxError): string {
  const pointer = e.pointer().split("\n").map((line) => `      ${line}`).join("\n");
  return `${where}: not valid shorthand: ${e.message}\n${pointer}`;
}

function parseShorthandFor(where: string, text: string, shape: Shape, problems: string[]): unknown {
  try {
    const parsed = parseShorthand(text, { loadFile: readTextParamFile });
    return wrapLists(parsed, shape);
  } catch (e) {
    if (!(e instanceof ShorthandSyntaxError)) throw e;
    problems.push(shorthandProblem(where, e));
    return undefined;
  }
}

function parseJsonFor(where: string, text: string, problems: string[]): unknown {
  try {
    return parseJson(text, where);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    problems.push(e.message);
    return undefined;
  }
}

/** The value of a flag after `file://` loading, or undefined after recording why not. */
function loadFileValue(flag: string, value: string, problems: string[]): string | undefined {
  if (!isParamFile(value)) return value;
  try {
    return readTextParamFile(value);
  } catch (e) {
    problems.push(`${flag}: ${(e as Error).message}`);
    return undefined;
  }
}

function startsWithJson(text: string, open: "{" | "["): boolean {
  return text.trimStart().startsWith(open);
}

/** `--message-dsn`: JSON when it starts with `{`, else shorthand. */
function readStructureFlag(flag: string, raw: string, shape: StructureShape, problems: string[]): unknown {
  const text = loadFileValue(flag, raw, problems);
  if (text === undefined) return undefined;
  if (startsWithJson(text, "{")) return parseJsonFor(flag, text, problems);
  if (startsWithJson(text, "["))
    return void problems.push(`${flag}: takes one structure (shorthand Key=value,... or a JSON object {...}), not a JSON array`);
  return parseShorthandFor(flag, text, shape, problems);
}

/** `--bounced-recipient-info-list`: one JSON array, JSON objects, or shorthand, one item per word. */
function readListFlag(flag: string, words: readonly string[], shape: Shape & { type: "list" }, problems: string[]): unknown {
  if (words.length === 0) return void problems.push(`${flag}: needs at least one item (one shell word per item)`);
  const first = words[0]!;
  if (words.length === 1 && isParamFile(first)) {
    // The AWS CLI reads a file only when it is the list's only word, and then needs a JSON array.
    const text = loadFileValue(flag, first, problems);
    if (text === undefined) return undefined;
    if (startsWithJson(text, "[")) return parseJsonFor(`${flag} ${first}`, text, problems);
    return void problems.push(
      `${flag}: ${first} must hold the whole list as a JSON array ([{...}, ...]); ` +
        `${startsWithJson(text, "{") ? "it holds one JSON object: put it in [ ]" : "shorthand is read from the command line only, one recipient per shell word"}`,
    );
  }
  if (startsWithJson(first, "[")) {
    if (words.length > 1)
      return void problems.push(`${flag}: a JSON array must be the only value; found ${words.length} words (put every item in the one array)`);
    return parseJsonFor(flag, first, problems);
  }
  const asJson = startsWithJson(first, "{");
  return words.map((word, i) => {
    const where = `${flag}[${i}]`;
    if (isParamFile(word))
      return void problems.push(`${where}: ${word}: a file is read only when it is the list's only value (a JSON array in the file)`);
    if (asJson) {
      if (!startsWithJson(word, "{"))
        return void problems.push(`${where}: is not a JSON object, but ${flag}[0] is: give every item in the same form (JSON, or shorthand)`);
      return parseJsonFor(where, word, problems);
    }
    if (startsWithJson(word, "{") || startsWithJson(word, "["))
      return void problems.push(`${where}: is JSON, but ${flag}[0] is shorthand: give every item in the same form (JSON, or shorthand)`);
    return parseShorthandFor(where, word, shape.member, problems);
  });
}

/**
 * Reads the SendBounce members from scanned `aws ses send-bounce` arguments and merges
 * `--cli-input-json`/`--cli-input-yaml` under them (a flag wins over the input's top-level key
 * of the same member). Timestamps are converted; nothing is validated yet (see
 * {@link validateParsedRequest}).
 *
 * @throws {CliError} listing every problem with the arguments' syntax: unreadable files, JSON
 *   and shorthand errors (with a caret under the spot), both input flags at once.
 * @example
 * const parsed = readRequestArgs(new Map([
 *   ["--original-message-id", "0100019abc"],
 *   ["--bounced-recipient-info-list", ["Recipient=a@example.com,BounceType=DoesNotExist"]],
 * ]));
 * parsed.params.BouncedRecipientInfoList;
 * //=> [{ Recipient: "a@example.com", BounceType: "DoesNotExist" }]
 */
export function readRequestArgs(args: ScannedArgs): ParsedRequest {
  const problems: string[] = [];
  const params: Record<string, unknown> = {};
  const sources: RequestSources = {};
  for (const [flag, member] of Object.entries(FLAG_MEMBERS)) {
    const raw = args.get(flag);
    if (raw === undefined || raw === true) continue;
    const shape = SEND_BOUNCE_INPUT.members[member]!;
    let value: unknown;
    if (shape.type === "list") value = readListFlag(flag, Array.isArray(raw) ? raw : [raw], shape, problems);
    else if (shape.type === "structure") value = readStructureFlag(flag, raw as string, shape, problems);
    else value = loadFileValue(flag, raw as string, problems);
    if (value !== undefined) {
      setOwn(params, member, value);
      sources[member] = flag;
    }
  }
  const json = args.get("--cli-input-json");
  const yaml = args.get("--cli-input-yaml");
  let defaultSource: string | undefined;
  if (typeof json === "string" && typeof yaml === "string")
    problems.push("--cli-input-json and --cli-input-yaml: give one of them, not both");
  else {
    const flag: CliInputFlag | undefined = typeof json === "string" ? "--cli-input-json" : typeof yaml === "string" ? "--cli-input-yaml" : undefined;
    if (flag !== undefined) {
      defaultSource = flag;
      try {
        const input = loadCliInput(flag, args.get(flag) as string);
        for (const key of Object.keys(input)) {
          if (Object.prototype.hasOwnProperty.call(params, key)) continue;
          setOwn(params, key, input[key]);
          sources[key] = flag;
        }
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        problems.push(e.message);
      }
    }
  }
  if (problems.length > 0) throw new CliError(problems.join("\n"));
  const issues: Issue[] = [];
  const converted = convertValue(params, SEND_BOUNCE_INPUT, [], issues) as Record<string, unknown>;
  const parsed: ParsedRequest = { params: converted, sources, issues };
  if (defaultSource !== undefined) parsed.defaultSource = defaultSource;
  return parsed;
}

/**
 * Converts a request read from JSON or YAML (a batch line, an input file) the way
 * {@link readRequestArgs} converts flags: timestamps to `Date`s, problems as issues.
 *
 * @param input - the parsed JSON or YAML value.
 * @param source - where it came from, for messages (`requests.jsonl:12`).
 * @example
 * const parsed = convertRequest({ MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: 1795687200 } }, "line 1");
 * (parsed.params.MessageDsn as { ArrivalDate: Date }).ArrivalDate.toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 */
export function convertRequest(input: unknown, source: string): ParsedRequest {
  const issues: Issue[] = [];
  const params = convertValue(input, SEND_BOUNCE_INPUT, [], issues) as Record<string, unknown>;
  const sources: RequestSources = {};
  if (isPlainObject(params)) for (const key of Object.keys(params)) sources[key] = source;
  return { params, sources, issues, defaultSource: source };
}

function memberName(path: IssuePath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return path[i] as string;
  return "value";
}

/**
 * Walks a value along the model: timestamp members become `Date`s; `null` members and YAML
 * values of the wrong kind become issues (the AWS CLI refuses them); everything else is copied
 * for validation to judge.
 */
function convertValue(value: unknown, shape: Shape | undefined, path: IssuePath, issues: Issue[]): unknown {
  if (shape === undefined) return value;
  const name = memberName(path);
  if (value === null) {
    issues.push({ code: "invalid_type", path, message: `${name} is null; leave the key out instead` });
    return undefined;
  }
  if (value instanceof YamlDate) {
    issues.push({
      code: shape.type === "timestamp" ? "invalid_date" : "invalid_type",
      path,
      message:
        shape.type === "timestamp"
          ? `${name} ${value.text} is a YAML date without a time, which the AWS CLI refuses; write ${value.text}T00:00:00Z, or quote it`
          : `${name} ${value.text} is read as a YAML date; quote it to make it a string`,
    });
    return undefined;
  }
  switch (shape.type) {
    case "timestamp": {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) issues.push({ code: "invalid_date", path, message: `${name} is not a valid date` });
        return value;
      }
      if (typeof value !== "string" && typeof value !== "number") return value;
      const d = parseAwsTimestamp(value);
      if (typeof d === "string") {
        issues.push({ code: "invalid_date", path, message: `${name} ${JSON.stringify(value)} is not a timestamp: ${d}` });
        return undefined;
      }
      return d;
    }
    case "string":
      if (value instanceof Date)
        issues.push({ code: "invalid_type", path, message: `${name} is read as a YAML timestamp; quote it to make it a string` });
      return value;
    case "list":
      return Array.isArray(value) ? value.map((item, i) => convertValue(item, shape.member, [...path, i], issues)) : value;
    case "structure": {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const member = Object.prototype.hasOwnProperty.call(shape.members, key) ? shape.members[key] : undefined;
        const converted = convertValue(value[key], member, [...path, key], issues);
        if (converted !== undefined || value[key] === undefined) setOwn(out, key, converted);
      }
      return out;
    }
  }
}

/** A path as positions in the model: each key's index among its structure's members, each list index. */
function pathRank(path: IssuePath): number[] {
  const rank: number[] = [];
  let shape: Shape | undefined = SEND_BOUNCE_INPUT;
  for (const part of path) {
    if (typeof part === "number") {
      rank.push(part);
      shape = shape?.type === "list" ? shape.member : undefined;
    } else {
      const names: string[] = shape?.type === "structure" ? Object.keys(shape.members) : [];
      const at = names.indexOf(part);
      rank.push(at < 0 ? names.length : at);
      shape = at < 0 || shape?.type !== "structure" ? undefined : shape.members[part];
    }
  }
  return rank;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function startsWith(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/**
 * Where an issue is, in the user's terms: the flag and the path below it
 * (`--bounced-recipient-info-list[1].BounceType`), or the input flag and the path in the input
 * (`--cli-input-json: MessageDsn.ArrivalDate`).
 *
 * @example
 * issueLocation(["BouncedRecipientInfoList", 1, "BounceType"], { BouncedRecipientInfoList: "--bounced-recipient-info-list" });
 * //=> "--bounced-recipient-info-list[1].BounceType"
 */
export function issueLocation(path: IssuePath, sources: RequestSources, defaultSource?: string): string {
  const top = path[0];
  const source = typeof top === "string" ? sources[top] : undefined;
  if (source !== undefined && Object.prototype.hasOwnProperty.call(FLAG_MEMBERS, source)) {
    const rest = path.length > 1 ? formatPath(path.slice(1)) : "";
    return rest === "" ? source : `${source}${rest.startsWith("[") ? "" : "."}${rest}`;
  }
  const flag = typeof top === "string" ? MEMBER_FLAGS[top] : undefined;
  if (source === undefined && flag !== undefined && path.length === 1 && (defaultSource === undefined || defaultSource.startsWith("--")))
    return flag;
  const where = source ?? defaultSource;
  return where === undefined ? formatPath(path) : `${where}: ${formatPath(path)}`;
}

/**
 * Every problem of a parsed request, each as one line that starts with where it is (see
 * {@link issueLocation}) and ends with the issue's code.
 *
 * @example
 * const lines = formatRequestIssues(
 *   [{ code: "required", path: ["BounceSender"], message: "BounceSender is required" }],
 *   { params: {}, sources: {}, issues: [] },
 * );
 * lines[0];
 * //=> "--bounce-sender: required: give --bounce-sender, or BounceSender in --cli-input-json or --cli-input-yaml [required]"
 */
export function formatRequestIssues(issues: readonly Issue[], parsed: ParsedRequest): string[] {
  return issues.map((issue) => {
    const where = issueLocation(issue.path, parsed.sources, parsed.defaultSource);
    const top = issue.path[0];
    const message =
      issue.code === "required" && issue.path.length === 1 && typeof top === "string" && where === MEMBER_FLAGS[top]
        ? `required: give ${where}, or ${top} in --cli-input-json or --cli-input-yaml`
        : issue.message;
    return `${where}: ${message} [${issue.code}]`;
  });
}

/**
 * Validates a parsed request with `@dsnkit/core` (every SES rule and the RFC rules dsnkit adds),
 * together with the conversion's own issues.
 *
 * @returns the typed request, or every issue (conversion issues first; core issues under a path
 *   the conversion already reported are dropped as repeats).
 * @example
 * const parsed = convertRequest({ OriginalMessageId: "x", BounceSender: "a@example.com", BouncedRecipientInfoList: [] }, "line 1");
 * const result = validateParsedRequest(parsed);
 * result.ok;
 * //=> false
 */
export function validateParsedRequest(parsed: ParsedRequest): { ok: true; request: SendBounceRequest } | { ok: false; issues: Issue[] } {
  const result = validateBounceRequest(parsed.params);
  const core = result.ok ? [] : result.issues;
  const issues = [...parsed.issues, ...core.filter((i) => !parsed.issues.some((p) => startsWith(i.path, p.path)))];
  // Report in the request's order: members in the model's order, list items by index (a stable
  // sort keeps the order found for one path).
  const ranks = new Map(issues.map((i) => [i, pathRank(i.path)]));
  issues.sort((a, b) => compareRanks(ranks.get(a)!, ranks.get(b)!));
  return issues.length === 0 ? { ok: true, request: parsed.params as unknown as SendBounceRequest } : { ok: false, issues };
}

