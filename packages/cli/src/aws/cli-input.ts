/**
 * `--cli-input-json` and `--cli-input-yaml`: a whole SendBounce input in one value (text,
 * `file://` or `fileb://`), read the way the AWS CLI reads it. YAML is read like the AWS CLI's
 * ruamel "safe" loader: YAML 1.2 core scalars, plus timestamps (`2026-11-26 10:00:00` is a
 * timestamp, `2026-11-26` alone a date, which the AWS CLI refuses where a timestamp belongs),
 * integers with `_` and `0b`; duplicate keys are an error.
 *
 * @module
 */
import { parseDocument } from "yaml";
import type { ScalarTag } from "yaml";
import { CliError, parseJson } from "../io.js";
import { isParamFile, readParamFile } from "./paramfile.js";

/**
 * An unquoted YAML date with no time (`2026-11-26`): the AWS CLI's YAML loader makes it a
 * `datetime.date`, which no SendBounce parameter takes. Kept apart from timestamps so errors can
 * say so.
 *
 * @example
 * new YamlDate("2026-11-26").text;
 * //=> "2026-11-26"
 */
export class YamlDate {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

// YAML 1.1 timestamp forms, as ruamel resolves them (a date needs two-digit month and day; a
// date-time needs seconds).
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?$/;

const YAML_TAGS: ScalarTag[] = [
  { tag: "tag:yaml.org,2002:timestamp", default: true, test: DATE_ONLY, resolve: (s) => new YamlDate(s), identify: (v) => v instanceof YamlDate },
  {
    tag: "tag:yaml.org,2002:timestamp",
    format: "datetime",
    default: true,
    test: DATE_TIME,
    identify: (v) => v instanceof Date,
    resolve: (s, onError) => {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|([-+])(\d{1,2})(?::(\d{2}))?))?$/.exec(s)!;
      const [, y, mo, d, h, mi, sec, frac, zone, sign, zh, zm] = m;
      let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
      if (zone !== undefined && zone !== "Z") ms -= (sign === "-" ? -1 : 1) * (Number(zh) * 60 + Number(zm ?? 0)) * 60_000;
      const date = new Date(ms);
      if (Number.isNaN(ms)) onError(`${s} is not a valid timestamp`);
      return date;
    },
  },
  { tag: "tag:yaml.org,2002:int", format: "underscored", default: true, test: /^[-+]?\d[\d_]*_[\d_]*$/, resolve: (s) => Number(s.replace(/_/g, "")) },
  { tag: "tag:yaml.org,2002:int", format: "BIN", default: true, test: /^0b[01_]+$/, resolve: (s) => Number.parseInt(s.slice(2).replace(/_/g, ""), 2) },
];

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof YamlDate);
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Date || v instanceof YamlDate) return "a timestamp";
  return `a ${typeof v}`;
}

/**
 * Reads the value of `--cli-input-json` or `--cli-input-yaml`: the text itself or a
 * `file://`/`fileb://` reference, parsed as JSON or YAML, which must give a map of SendBounce
 * parameters. Keys are kept as own properties (`__proto__` stays a key, for validation to refuse).
 *
 * @param flag - `--cli-input-json` or `--cli-input-yaml`.
 * @param value - what followed the flag.
 * @throws {CliError} naming the flag, and the line and column of a syntax error.
 * @example
 * loadCliInput("--cli-input-json", '{"OriginalMessageId": "0100019abc"}');
 * //=> { OriginalMessageId: "0100019abc" }
 */
export function loadCliInput(flag: "--cli-input-json" | "--cli-input-yaml", value: string): Record<string, unknown> {
  let text: string;
  let source = flag;
  if (isParamFile(value)) {
    let data: string | Uint8Array;
    try {
      data = readParamFile(value);
    } catch (e) {
      throw new CliError(`${flag}: ${(e as Error).message}`);
    }
    text = typeof data === "string" ? data : new TextDecoder().decode(data);
    source = `${flag} ${value}` as typeof flag;
  } else text = value;

  let loaded: unknown;
  if (flag === "--cli-input-json") loaded = parseJson(text, source);
  else {
    const doc = parseDocument(text, { schema: "core", customTags: YAML_TAGS, uniqueKeys: true, prettyErrors: true, strict: true });
    const error = doc.errors[0];
    if (error !== undefined) {
      const at = error.linePos?.[0];
      let reason = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      // The YAML library reads nested collections recursively: a deep enough nest overflows it.
      if (reason.includes("Maximum call stack size exceeded")) reason = "collections are nested too deeply to read (SendBounce's parameters nest at most 4 deep)";
      throw new CliError(`${source}${at ? `:${at.line}:${at.col}` : ""}: invalid YAML: ${reason}`);
    }
    try {
      loaded = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new CliError(`${source}: invalid YAML: ${(e as Error).message}`);
    }
  }
  if (!isMap(loaded))
    throw new CliError(`${source}: the input must be a ${flag === "--cli-input-json" ? "JSON object" : "YAML mapping"} of SendBounce parameters, not ${kindOf(loaded)}`);
  return loaded;
}
