/**
 * Command-line scanning with the AWS CLI's rules (Python's argparse, as `aws` configures it), so
 * an argument list means the same to `dsnkit send-bounce` as to `aws ses send-bounce`:
 *
 * - a value is the next word, or follows `=` (`--explanation=-x`); a next word that looks like an
 *   option (starts with `-`, is not a negative number and has no space) is not taken as a value;
 * - a list option (`--bounced-recipient-info-list`) takes every following word up to the next
 *   option, one list item per word;
 * - an option whose value is optional (`--generate-cli-skeleton`) takes the next word only when it
 *   is not an option;
 * - a repeated option keeps its last value;
 * - option names are never abbreviated; `--` ends the options.
 *
 * @module
 */
import type { AwsClientOptions } from "./client.js";

/**
 * How an option takes values: `0` a switch, `1` one value, `"?"` an optional value (`const`
 * when absent), `"*"` every following word.
 *
 * @example
 * const spec: OptionSpec = { nargs: "?", const: "input", choices: ["input", "yaml-input", "output"] };
 */
export interface OptionSpec {
  nargs: 0 | 1 | "?" | "*";
  /** The allowed values, when the value is one of a fixed set. */
  choices?: readonly string[];
  /** The value of a `"?"` option given without one. */
  const?: string;
}

/**
 * The options a command takes, by name (`--bounce-sender`).
 *
 * @example
 * const table: OptionTable = { "--bounce-sender": { nargs: 1 }, "--dry-run": { nargs: 0 } };
 */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/**
 * What {@link scanArgs} found: each option given, with its value (`true` for a switch, an array
 * for a list option).
 *
 * @example
 * const args: ScannedArgs = new Map([["--bounce-sender", "mailer-daemon@example.com"]]);
 */
export type ScannedArgs = Map<string, string | string[] | true>;

/**
 * An argument list that does not fit the option table. `problems` lists every one found.
 *
 * @example
 * new ArgvError(["unknown option --foo"]).message;
 * //=> "unknown option --foo"
 */
export class ArgvError extends Error {
  override readonly name = "ArgvError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

type Word = { kind: "option"; name: string; value?: string } | { kind: "unknown"; text: string } | { kind: "positional"; text: string };

function classify(arg: string, table: OptionTable): Word {
  if (!arg.startsWith("-") || arg === "-") return { kind: "positional", text: arg };
  if (Object.prototype.hasOwnProperty.call(table, arg)) return { kind: "option", name: arg };
  const eq = arg.indexOf("=");
  if (eq > 0) {
    const name = arg.slice(0, eq);
    if (Object.prototype.hasOwnProperty.call(table, name)) return { kind: "option", name, value: arg.slice(eq + 1) };
  }
  if (NEGATIVE_NUMBER.test(arg) || arg.includes(" ")) return { kind: "positional", text: arg };
  return { kind: "unknown", text: arg };
}

/** The closest option name, for "did you mean". */
function suggest(text: string, table: OptionTable): string | undefined {
  const name = text.split("=")[0]!;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const option of Object.keys(table)) {
    if (option.startsWith(name) && name.length >= 4) return option;
    const d = distance(name, option);
    if (d < bestScore) {
      bestScore = d;
      best = option;
    }
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Scans `argv` against `table` with the AWS CLI's rules (see the module notes).
 *
 * @throws {ArgvError} listing every problem: unknown options (with a suggestion), missing
 *   values, values outside `choices`, words that belong to no option.
 * @example
 * const args = scanArgs(
 *   ["--bounce-sender", "a@example.com", "--bounced-recipient-info-list", "Recipient=b@example.com,BounceType=DoesNotExist", "Recipient=c@example.com,BounceType=Undefined"],
 *   { "--bounce-sender": { nargs: 1 }, "--bounced-recipient-info-list": { nargs: "*" } },
 * );
 * args.get("--bounced-recipient-info-list");
 * //=> ["Recipient=b@example.com,BounceType=DoesNotExist", "Recipient=c@example.com,BounceType=Undefined"]
 */
export function scanArgs(argv: readonly string[], table: OptionTable): ScannedArgs {
  const end = argv.indexOf("--");
  const words: Word[] = argv.map((arg, i) => (end >= 0 && i > end ? { kind: "positional", text: arg } : classify(arg, table)));
  if (end >= 0) words.splice(end, 1);
  const out: ScannedArgs = new Map();
  const problems: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.kind === "unknown") {
      const near = suggest(w.text, table);
      problems.push(`unknown option ${w.text}${near ? ` (did you mean ${near}?)` : ""}`);
      continue;
    }
    if (w.kind === "positional") {
      problems.push(
        `unexpected argument ${JSON.stringify(w.text)}: it follows no option that takes it (each option takes one value; quote a value that has spaces)`,
      );
      continue;
    }
    const spec = table[w.name]!;
    const next = words[i + 1];
    let value: string | string[] | true;
    if (spec.nargs === 0) {
      if (w.value !== undefined) {
        problems.push(`${w.name} takes no value (found ${JSON.stringify(`${w.name}=${w.value}`)})`);
        continue;
      }
      value = true;
    } else if (spec.nargs === 1) {
      if (w.value !== undefined) value = w.value;
      else if (next?.kind === "positional") {
        value = next.text;
        i++;
      } else {
        const found = next === undefined ? "nothing follows it" : `${next.kind === "option" ? next.name : next.text} follows it`;
        problems.push(`${w.name} needs a value, but ${found} (to give a value that starts with "-", write ${w.name}=VALUE)`);
        continue;
      }
    } else if (spec.nargs === "?") {
      if (w.value !== undefined) value = w.value;
      else if (next?.kind === "positional") {
        value = next.text;
        i++;
      } else value = spec.const ?? "";
    } else {
      if (w.value !== undefined) value = [w.value];
      else {
        const items: string[] = [];
        while (words[i + 1]?.kind === "positional") items.push((words[++i] as { text: string }).text);
        value = items;
      }
    }
    if (spec.choices !== undefined && typeof value === "string" && !spec.choices.includes(value)) {
      problems.push(`${w.name}: ${JSON.stringify(value)} is not one of ${spec.choices.join(", ")}`);
      continue;
    }
    out.set(w.name, value);
  }
  if (problems.length > 0) throw new ArgvError(problems);
  return out;
}

/**
 * The value of a one-value option, or `undefined` when it was not given.
 *
 * @example
 * argString(new Map([["--region", "eu-west-1"]]), "--region");
 * //=> "eu-west-1"
 */
export function argString(args: ScannedArgs, flag: string): string | undefined {
  const v = args.get(flag);
  return typeof v === "string" ? v : undefined;
}

/**
 * The AWS connection flags (`--region`, `--endpoint-url`, `--profile`) as client options.
 *
 * @example
 * clientOptions(new Map([["--region", "eu-west-1"]]));
 * //=> { region: "eu-west-1" }
 */
export function clientOptions(args: ScannedArgs): AwsClientOptions {
  const options: AwsClientOptions = {};
  const region = argString(args, "--region");
  const endpointUrl = argString(args, "--endpoint-url");
  const profile = argString(args, "--profile");
  if (region !== undefined) options.region = region;
  if (endpointUrl !== undefined) options.endpointUrl = endpointUrl;
  if (profile !== undefined) options.profile = profile;
  return options;
}
