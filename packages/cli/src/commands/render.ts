/**
 * `dsnkit render`: a SendBounce request (JSON) in, the DSN SES would send out. No AWS access.
 */
import { stat } from "node:fs/promises";
import { Command, Option } from "commander";
import { DsnValidationError, parseTimestamp, renderBounce } from "@dsnkit/core";
import type { Issue, RenderBounceOptions, ReturnOriginal } from "@dsnkit/core";
import { CliError, EXIT, formatIssuesFor, maxInputSize, parseJson, readInput, write, writeFileAtomic } from "../io.js";
import type { Io } from "../io.js";
import { nowOf } from "../clock.js";

/** Which flag sets each context or render option, for error messages. */
const FLAGS: Record<string, string> = {
  original: "--original",
  originalSender: "--original-sender",
  region: "--region",
  messageId: "--message-id",
  subject: "--subject",
  now: "--date",
  arrivalDate: "--arrival-date",
  boundary: "--boundary",
  returnOriginal: "--return-original",
  maxOriginalSize: "--max-original-size",
  profile: "--profile",
};

/** The flag behind an issue about an option (`context.originalSender` → `--original-sender`). */
export function flagFor(issue: Issue): string | undefined {
  const [head, key] = issue.path;
  if ((head === "context" || head === "options") && typeof key === "string") return FLAGS[key] ?? `(${key})`;
  if (head === "context" && key === undefined) return "--original or --original-sender";
  return undefined;
}

/**
 * The issues as a command-line user reads them: core's messages about the render context name its
 * options (`pass originalSender`); here they name the flags (`pass --original-sender`).
 */
export function cliIssues(issues: readonly Issue[]): Issue[] {
  return issues.map((i) =>
    i.path[0] === "context" ? { ...i, message: i.message.replace(/\b(pass|or) originalSender\b/g, "$1 --original-sender").replace(/\bgive the original message\b/g, "give --original") } : i,
  );
}

interface RenderFlags {
  original?: string;
  originalSender?: string;
  region?: string;
  out?: string;
  returnOriginal?: ReturnOriginal;
  maxOriginalSize?: string;
  global?: boolean;
  date?: string;
  arrivalDate?: string;
  messageId?: string;
  subject?: string;
  boundary?: string;
  profile?: "ses" | "default";
  maxInputSize?: string;
}

/** Refuses an --out that names a directory, before any work is done. */
async function checkOutPath(path: string): Promise<void> {
  const s = await stat(path).catch(() => undefined);
  if (s?.isDirectory()) throw new CliError(`--out: ${path} is a directory; give the path of the file to write`);
}

/** Parses a timestamp flag the way the request's timestamps are read. */
function dateFlag(value: string, flag: string): Date {
  try {
    return parseTimestamp(value);
  } catch (e) {
    throw new CliError(`${flag}: ${(e as Error).message}`);
  }
}

async function run(requestSpec: string | undefined, flags: RenderFlags, io: Io): Promise<number> {
  const spec = requestSpec ?? "-";
  const source = spec === "-" ? "(stdin)" : spec.replace(/^file:\/\//, "");
  const limit = maxInputSize(flags.maxInputSize);
  const text = (await readInput(spec, io, "request", limit)).toString("utf8");
  const request = parseJson(text, source);
  if (flags.original === undefined && flags.originalSender === undefined)
    throw new CliError("render needs the original message (--original msg.eml) or its sender (--original-sender ADDRESS) to address the bounce to");
  if (flags.out !== undefined && flags.out !== "-") await checkOutPath(flags.out);

  const options: RenderBounceOptions = {};
  if (flags.original !== undefined) options.original = await readInput(flags.original, io, "--original", limit);
  if (flags.originalSender !== undefined) options.originalSender = flags.originalSender;
  if (flags.region !== undefined) options.region = flags.region;
  if (flags.messageId !== undefined) options.messageId = flags.messageId;
  if (flags.subject !== undefined) options.subject = flags.subject;
  if (flags.boundary !== undefined) options.boundary = flags.boundary;
  if (flags.global) options.global = true;
  if (flags.profile !== undefined) options.profile = flags.profile;
  if (flags.returnOriginal !== undefined) options.returnOriginal = flags.returnOriginal;
  options.now = flags.date !== undefined ? dateFlag(flags.date, "--date") : nowOf(io);
  if (flags.arrivalDate !== undefined) options.arrivalDate = flags.arrivalDate;
  if (flags.maxOriginalSize !== undefined) {
    if (!/^\d+$/.test(flags.maxOriginalSize)) throw new CliError(`--max-original-size: ${JSON.stringify(flags.maxOriginalSize)} is not a whole number of octets`);
    options.maxOriginalSize = Number(flags.maxOriginalSize);
  }

  let raw: string;
  try {
    raw = renderBounce(request as never, options).raw;
  } catch (e) {
    if (!(e instanceof DsnValidationError)) throw e;
    const n = e.issues.length;
    throw new CliError(`the request has ${n} problem${n === 1 ? "" : "s"}:\n${formatIssuesFor(cliIssues(e.issues), source, flagFor)}`);
  }
  if (flags.out !== undefined && flags.out !== "-") {
    try {
      await writeFileAtomic(flags.out, raw);
    } catch (e) {
      throw new CliError(`--out: cannot write ${flags.out}: ${(e as Error).message}`, EXIT.FAILED);
    }
  } else await write(io.stdout, raw);
  return EXIT.OK;
}

/** Registers `dsnkit render`. */
export function renderCommand(io: Io, done: (code: number) => void): Command {
  return new Command("render")
    .summary("render the DSN an SES SendBounce request produces, with no AWS access")
    .description(
      "Reads a SendBounce request as JSON (the shape `aws ses send-bounce --cli-input-json` takes) from REQUEST\n" +
        "(a path, file://path, or - for stdin; stdin when omitted), and writes the bounce to stdout or --out.\n" +
        "The bounce goes to the original's sender: give --original (its Return-Path, else From) or --original-sender.",
    )
    .argument("[request]", "the request JSON: a path, file://path, or - for stdin")
    .option("--original <file>", "the original message (.eml): its sender receives the bounce and its headers are returned")
    .option("--original-sender <address>", "the original's envelope sender (when there is no --original, or to override it)")
    .option("--region <region>", "AWS region for the default Reporting-MTA (dns; inbound-smtp.<region>.amazonaws.com)", undefined)
    .option("-o, --out <file>", "write the DSN to this file instead of stdout")
    .addOption(new Option("--return-original <what>", "what to return of the original").choices(["headers", "message", "none"]))
    .option("--max-original-size <octets>", "most octets of the original to return (default 50000)")
    .option("--global", "write message/global-delivery-status (RFC 6533) with raw UTF-8")
    .addOption(new Option("--profile <profile>", "the layout: default (RFC-clean) or ses (what Amazon SES sends; see docs/rendering.md)").choices(["default", "ses"]))
    .option("--date <timestamp>", "the bounce's Date (ISO-8601 or epoch seconds; default now: SOURCE_DATE_EPOCH when set, else the system clock)")
    .option("--arrival-date <timestamp>", "when the original arrived, if the request does not say")
    .option("--message-id <id>", "the bounce's Message-ID (default: random, at the BounceSender's domain or, --profile ses, <region>.amazonses.com)")
    .option("--subject <text>", "the bounce's Subject")
    .option("--boundary <boundary>", "the MIME boundary (default: random)")
    .option("--max-input-size <octets>", "most octets to read of the request and of --original (default 16 MiB; at most 128 MiB)")
    .action(async (request: string | undefined, flags: RenderFlags) => done(await run(request, flags, io)));
}
