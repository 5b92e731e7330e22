/**
 * What `dsnkit render` runs (its definition is commands/render.ts): a SendBounce request (JSON)
 * in, the DSN SES would send out. No AWS access.
 */
import { stat } from "node:fs/promises";
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

/** The options of `dsnkit render`, as commander reads them. */
export interface RenderFlags {
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

/** Runs `dsnkit render` and resolves to its exit code; errors meant for the user are thrown as CliError. */
export async function runRender(requestSpec: string | undefined, flags: RenderFlags, io: Io): Promise<number> {
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
