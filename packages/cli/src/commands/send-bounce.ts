/**
 * `dsnkit send-bounce`: `aws ses send-bounce` with the same flags and meaning, plus local
 * validation that reports every problem at once, `--dry-run` (the DSN SES would send, rendered
 * locally) and `--batch` (many bounces from a JSON-lines file, paced, with a journal).
 *
 * @module
 */
import { Command } from "commander";
import { DsnValidationError, renderBounce } from "@dsnkit/core";
import type { RenderBounceOptions, SendBounceRequest } from "@dsnkit/core";
import { CliError, EXIT, formatIssuesFor, maxInputSize, readInput, write } from "../io.js";
import type { Io } from "../io.js";
import { cliIssues, flagFor } from "./render.js";
import { argString, ArgvError, clientOptions, scanArgs } from "../aws/argv.js";
import type { OptionTable, ScannedArgs } from "../aws/argv.js";
import { formatRequestIssues, readRequestArgs, validateParsedRequest } from "../aws/params.js";
import { jsonInputSkeleton, outputSkeleton, SKELETON_KINDS, yamlInputSkeleton } from "../aws/skeleton.js";
import type { SkeletonKind } from "../aws/skeleton.js";
import { runBatch } from "../batch/run.js";
import { nowOf } from "../clock.js";
import { windowWarning } from "../window.js";

/**
 * The options of `dsnkit send-bounce`: those of `aws ses send-bounce`, the AWS CLI's global
 * `--region`, `--endpoint-url`, `--profile` and `--output`, and dsnkit's own `--dry-run`,
 * `--original`, `--original-sender`, `--batch` (with `--journal`, `--rate`, `--resend-unknown`,
 * `--send-expired`, `--damaged-journal-unknown`) and `--max-input-size`.
 *
 * @example
 * SEND_BOUNCE_OPTIONS["--bounced-recipient-info-list"].nargs;
 * //=> "*"
 */
export const SEND_BOUNCE_OPTIONS: OptionTable = Object.freeze({
  "--original-message-id": { nargs: 1 },
  "--bounce-sender": { nargs: 1 },
  "--explanation": { nargs: 1 },
  "--message-dsn": { nargs: 1 },
  "--bounced-recipient-info-list": { nargs: "*" },
  "--bounce-sender-arn": { nargs: 1 },
  "--cli-input-json": { nargs: 1 },
  "--cli-input-yaml": { nargs: 1 },
  "--generate-cli-skeleton": { nargs: "?", const: "input", choices: SKELETON_KINDS },
  "--region": { nargs: 1 },
  "--endpoint-url": { nargs: 1 },
  "--profile": { nargs: 1 },
  "--output": { nargs: 1, choices: ["json", "text"] },
  "--dry-run": { nargs: 0 },
  "--original": { nargs: 1 },
  "--original-sender": { nargs: 1 },
  "--batch": { nargs: 1 },
  "--journal": { nargs: 1 },
  "--rate": { nargs: 1 },
  "--resend-unknown": { nargs: 0 },
  "--send-expired": { nargs: 0 },
  "--damaged-journal-unknown": { nargs: 0 },
  "--max-input-size": { nargs: 1 },
});

/** Flags of a single request, which `--batch` replaces with its file. */
const REQUEST_FLAGS = [
  "--original-message-id",
  "--bounce-sender",
  "--explanation",
  "--message-dsn",
  "--bounced-recipient-info-list",
  "--bounce-sender-arn",
  "--cli-input-json",
  "--cli-input-yaml",
  "--generate-cli-skeleton",
] as const;

/**
 * Who the dry run addresses the bounce to when neither `--original` nor `--original-sender` says
 * (SES finds the real sender from the original message id).
 *
 * @example
 * DRY_RUN_PLACEHOLDER_SENDER;
 * //=> "original-sender@example.invalid"
 */
export const DRY_RUN_PLACEHOLDER_SENDER = "original-sender@example.invalid";

const HELP = `
Arguments (those of aws ses send-bounce, with the same meaning):
  --original-message-id <id>          the SES message ID of the received message (required)
  --bounce-sender <address>           the bounce's From: a verified SES identity (required)
  --explanation <text>                human-readable text for the bounce
  --message-dsn <structure>           ReportingMta=string,ArrivalDate=timestamp,ExtensionFields=[{Name=string,Value=string},...]
  --bounced-recipient-info-list <recipient> [<recipient> ...]   (required; one shell word per recipient)
                                      Recipient=string,RecipientArn=string,BounceType=string,
                                      RecipientDsnFields={FinalRecipient=string,Action=string,RemoteMta=string,
                                      Status=string,DiagnosticCode=string,LastAttemptDate=timestamp,ExtensionFields=[...]}
  --bounce-sender-arn <arn>           for sending authorization
  --cli-input-json <json>             the whole request as JSON (text or file://path); flags override its keys
  --cli-input-yaml <yaml>             the whole request as YAML (text or file://path); flags override its keys
  --generate-cli-skeleton [input|yaml-input|output]   print a skeleton instead of sending
  --region <region>  --endpoint-url <url>  --profile <name>  --output json|text

dsnkit's own:
  --dry-run                           validate and print the DSN SES would send; no AWS call
  --original <file.eml>               (dry run) the original message: its sender and headers
  --original-sender <address>         (dry run) the original's sender, who receives the bounce
  --batch <requests.jsonl>            send one bounce per line (each a --cli-input-json object)
  --journal <file>                    (batch) the journal; default <requests.jsonl>.journal
  --rate <per-second>                 (batch) calls per second; default 1, SES's limit
  --resend-unknown                    (batch) send again bounces whose outcome is unknown
  --send-expired                      (batch) send bounces past SES's 24-hour window too (SES will refuse them)
  --damaged-journal-unknown           (batch) go on with a damaged journal: what its damaged lines may
                                      have recorded has an unknown outcome (not sent; see --resend-unknown)
  --max-input-size <octets>           most octets read of --original and --batch (default 16 MiB;
                                      file:// values are read up to 16 MiB)

Values: structures and lists take the AWS CLI's shorthand (Key=value,List=[a,b],Nested={K=v},
'quoted, value', \\, for a literal comma, Key@=file://path to read a value from a file) or JSON; any
value may be file://path. Timestamps: ISO-8601 (2026-11-26T10:00:00Z), a date, or epoch seconds.

SES's 24-hour window: when MessageDsn.ArrivalDate says the original arrived more than 24 hours ago,
send-bounce warns on stderr and sends anyway, as aws ses send-bounce does (SES answers
MessageRejected); --dry-run warns and prints the DSN; --batch does not send such a line unless
--send-expired. The clock is SOURCE_DATE_EPOCH (seconds since 1970) when set, else the system's.

Exit codes: 0 sent (or printed); 1 the call failed or SES refused; 2 bad arguments or an invalid
request (nothing sent); with --batch: 1 some bounces failed, 130 interrupted (run again to resume).

Example:
  dsnkit send-bounce --original-message-id 0100019abc --bounce-sender mailer-daemon@example.com \\
    --bounced-recipient-info-list Recipient=nobody@example.com,BounceType=DoesNotExist --dry-run
`;

/**
 * Formats SendBounce's response the way `--output` asks, as the AWS CLI prints it.
 *
 * @example
 * formatResponse("0100-x", "text");
 * //=> "0100-x\n"
 */
export function formatResponse(messageId: string, output: string | undefined): string {
  return output === "text" ? `${messageId}\n` : `${JSON.stringify({ MessageId: messageId }, null, 4)}\n`;
}

async function dryRun(request: SendBounceRequest, args: ScannedArgs, io: Io): Promise<number> {
  // SES's own layout: the preview shows what SES will send.
  const options: RenderBounceOptions = { profile: "ses" };
  const original = argString(args, "--original");
  const originalSender = argString(args, "--original-sender");
  if (original !== undefined) options.original = await readInput(original, io, "--original", maxInputSize(argString(args, "--max-input-size")));
  if (originalSender !== undefined) options.originalSender = originalSender;
  if (original === undefined && originalSender === undefined) {
    options.originalSender = DRY_RUN_PLACEHOLDER_SENDER;
    io.stderr.write(
      `dsnkit: --dry-run: SES sends the bounce to the original's sender, which it looks up from --original-message-id; ` +
        `the preview uses ${DRY_RUN_PLACEHOLDER_SENDER} (give --original-sender or --original to show the real one)\n`,
    );
  }
  // The AWS SDK loads only when a command needs it: it doubles the start-up time of the others.
  const { createSesClient, regionFromFlagsAndEnv } = await import("../aws/client.js");
  let region = regionFromFlagsAndEnv(argString(args, "--region"));
  if (region === undefined) {
    const profile = argString(args, "--profile");
    const client = createSesClient(profile !== undefined ? { profile } : {});
    try {
      region = await client.config.region();
    } catch {
      region = undefined;
    } finally {
      client.destroy();
    }
  }
  if (region !== undefined) options.region = region;
  const now = nowOf(io);
  const late = await windowWarning(request, () => now);
  if (late !== undefined) io.stderr.write(`dsnkit: warning: ${late}: SES will refuse this bounce (MessageRejected) if it is sent\n`);
  options.now = now;
  let raw: string;
  try {
    raw = renderBounce(request, options).raw;
  } catch (e) {
    if (!(e instanceof DsnValidationError)) throw e;
    throw new CliError(`cannot render the bounce:\n${formatIssuesFor(cliIssues(e.issues), "request", flagFor)}`);
  }
  await write(io.stdout, raw);
  return EXIT.OK;
}

async function send(request: SendBounceRequest, args: ScannedArgs, io: Io): Promise<number> {
  const options = clientOptions(args);
  const { createSesClient, describeSesError, resolveRegion } = await import("../aws/client.js");
  const { sendBounce } = await import("@dsnkit/ses");
  const late = await windowWarning(request, () => nowOf(io));
  const client = createSesClient(options);
  try {
    await resolveRegion(client, options.profile);
    if (late !== undefined) io.stderr.write(`dsnkit: warning: ${late}: sending anyway, as aws ses send-bounce does; SES decides\n`);
    let messageId: string;
    try {
      // The window was judged above: like the AWS CLI, send and let SES answer.
      ({ messageId } = await sendBounce(client, request, { ignoreWindow: true }));
    } catch (e) {
      throw describeSesError(e, options);
    }
    await write(io.stdout, formatResponse(messageId, argString(args, "--output")));
    return EXIT.OK;
  } finally {
    client.destroy();
  }
}

/**
 * Runs `dsnkit send-bounce` with its arguments (after the command name) and resolves to the exit
 * code. Errors meant for the user are thrown as {@link CliError}.
 *
 * @example
 * const code = await runSendBounce(["--generate-cli-skeleton", "input"], io);
 * //=> 0
 */
export async function runSendBounce(argv: readonly string[], io: Io): Promise<number> {
  let args: ScannedArgs;
  try {
    args = scanArgs(argv, SEND_BOUNCE_OPTIONS);
  } catch (e) {
    if (!(e instanceof ArgvError)) throw e;
    throw new CliError(`send-bounce: ${e.problems.length === 1 ? e.problems[0] : `\n  ${e.problems.join("\n  ")}`}`);
  }
  const dry = args.get("--dry-run") === true;
  if (!dry && args.get("--batch") === undefined)
    for (const flag of ["--original", "--original-sender"])
      if (args.has(flag))
        throw new CliError(`${flag}: only --dry-run uses it (SES finds the original from --original-message-id)`);

  const batch = argString(args, "--batch");
  if (batch !== undefined) {
    const stray = REQUEST_FLAGS.filter((f) => args.has(f));
    if (stray.length > 0) throw new CliError(`--batch: the requests come from ${batch}; ${stray.join(", ")} cannot be given with it`);
    return runBatch(batch, args, io);
  }
  for (const flag of ["--journal", "--rate", "--resend-unknown", "--send-expired", "--damaged-journal-unknown"])
    if (args.has(flag)) throw new CliError(`${flag}: only --batch uses it`);

  const skeleton = args.get("--generate-cli-skeleton") as SkeletonKind | undefined;
  const parsed = readRequestArgs(args);
  if (skeleton === "input") {
    await write(io.stdout, jsonInputSkeleton());
    return EXIT.OK;
  }
  if (skeleton === "yaml-input") {
    await write(io.stdout, yamlInputSkeleton());
    return EXIT.OK;
  }
  const result = validateParsedRequest(parsed);
  if (!result.ok) {
    const n = result.issues.length;
    throw new CliError(`the request has ${n} problem${n === 1 ? "" : "s"}; nothing was sent:\n  ${formatRequestIssues(result.issues, parsed).join("\n  ")}`);
  }
  if (skeleton === "output") {
    await write(io.stdout, outputSkeleton());
    return EXIT.OK;
  }
  if (dry) return dryRun(result.request, args, io);
  return send(result.request, args, io);
}

/**
 * Registers `dsnkit send-bounce`. Its arguments are scanned with the AWS CLI's rules (see
 * `aws/argv.ts`), not commander's, so the same argument list means the same thing to both.
 *
 * @example
 * program.addCommand(sendBounceCommand(io, (code) => (exitCode = code)));
 */
export function sendBounceCommand(io: Io, done: (code: number) => void): Command {
  return new Command("send-bounce")
    .summary("send a bounce through SES SendBounce, like aws ses send-bounce, with validation, --dry-run and --batch")
    .description(
      "Takes the arguments of `aws ses send-bounce` with the same meaning, checks the request locally (every " +
        "problem at once, each named by its flag and path), and sends it through SES; or previews the DSN " +
        "(--dry-run), or sends a JSON-lines file of requests at SES's rate with a journal (--batch).",
    )
    .usage("[options]")
    .helpOption("-h, --help", "show this help")
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument("[arguments...]")
    .addHelpText("after", HELP)
    .action(async (argv: string[]) => done(await runSendBounce(argv, io)));
}
