/**
 * What `dsnkit send-bounce` runs (its definition is commands/send-bounce.ts): `aws ses
 * send-bounce` with the same flags and meaning, plus local validation that reports every problem
 * at once, `--dry-run` (the DSN SES would send, rendered locally) and `--batch` (many bounces from
 * a JSON-lines file, paced, with a journal).
 *
 * @module
 */
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
