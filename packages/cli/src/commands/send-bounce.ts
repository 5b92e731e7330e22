/**
 * `dsnkit send-bounce`: `aws ses send-bounce` with the same flags and meaning, plus local
 * validation that reports every problem at once, `--dry-run` (the DSN SES would send, rendered
 * locally) and `--batch` (many bounces from a JSON-lines file, paced, with a journal).
 *
 * The command's definition only: what it runs (run/send-bounce.ts) loads when it runs (see
 * main.ts). Its arguments are scanned there, with the AWS CLI's rules.
 *
 * @module
 */
import { Command } from "commander";
import type { Io } from "../io.js";

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
    .action(async (argv: string[]) => {
      const { runSendBounce } = await import("../run/send-bounce.js");
      done(await runSendBounce(argv, io));
    });
}
