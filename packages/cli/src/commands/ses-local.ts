/**
 * `dsnkit ses-local`: runs the local SES emulator (`@dsnkit/ses-local`) until SIGINT or SIGTERM.
 *
 * The command's definition only: what it runs (run/ses-local.ts) loads when it runs (see main.ts).
 */
import { Command } from "commander";
import type { Io } from "../io.js";
import type { SesLocalCommandOptions, SesLocalFlags } from "../run/ses-local.js";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",")];
}

/** A repeatable flag whose values are not split at commas (a path may hold one). */
function repeat(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Registers `dsnkit ses-local`.
 *
 * @example
 * program.addCommand(sesLocalCommand(io, done));
 */
export function sesLocalCommand(io: Io, done: (code: number) => void, options: SesLocalCommandOptions = {}): Command {
  return new Command("ses-local")
    .summary("run a local Amazon SES: SMTP in, receipt rules, the SendBounce API, an outbox of bounces")
    .description(
      "Receives mail over SMTP (each message gets an SES message id, in the 250 reply) and answers the SES query API:\n" +
        "SendBounce with SES's rules and error codes, VerifyEmailIdentity, VerifyDomainIdentity, ListIdentities, and the\n" +
        "receipt rule set calls. The active rule set runs on each message received: Bounce, Lambda (--lambda), Stop,\n" +
        "AddHeader and S3 (a folder per bucket in <data-dir>/s3) actions.\n" +
        "Requests must be signed (SigV4) with the configured credentials. Each accepted bounce is written to the outbox\n" +
        "as <MessageId>.eml and, with --relay, sent on with MAIL FROM:<>. State is kept in --data-dir across restarts.\n" +
        "Settings: flags, then DSNKIT_SES_LOCAL_* environment variables, then the --config file, then the defaults.",
    )
    .option("--config <file>", "a JSON or YAML file of settings (or DSNKIT_SES_LOCAL_CONFIG)")
    .option("--host <address>", "address both listeners bind to (default 127.0.0.1)")
    .option("--smtp-port <port>", "SMTP port; 0 picks a free one (default 2525)")
    .option("--http-port <port>", "SES API port; 0 picks a free one (default 4579)")
    .option("--data-dir <dir>", "where the store lives (default ./.ses-local)")
    .option("--outbox <dir>", "where bounces are written as <MessageId>.eml (default <data-dir>/outbox)")
    .option("--domain <domain>", "receive mail for this domain (*, example.com, *.example.com); repeatable or comma-separated (default *)", collect)
    .option("--identity <identity>", "a verified identity (address or domain) from the start; repeatable or comma-separated", collect)
    .option("--access-key-id <id>", "access key id accepted in signatures (default AKIDSESLOCAL)")
    .option("--secret-access-key <secret>", "its secret (default ses-local-secret-access-key)")
    .option("--rate <calls>", "SendBounce calls per second per access key; 0 for no limit (default 1)")
    .option("--max-request-size <size>", "largest SES API request body, e.g. 1048576, 512k, 10M (default 10M)")
    .option("--max-message-size <size>", "largest SMTP message (default 40M)")
    .option("--region <region>", "region named in the Received field of stored messages (default us-east-1)")
    .option("--render-profile <profile>", "bounces as SES writes them (ses) or in dsnkit's RFC-clean layout (default) (default ses)")
    .option("--relay <url>", "relay each bounce to this SMTP server with MAIL FROM:<>, e.g. smtp://127.0.0.1:1025")
    .option("--lambda <arn=handler>", "run receipt rules' Lambda actions for this function ARN with a local JavaScript module exporting handler, or an http:// URL; repeatable", repeat)
    .option("--lambda-timeout <seconds>", "how long a Lambda invocation may run (default 30, SES's limit for RequestResponse)")
    .option("--lambda-retry-delays <seconds>", "seconds before each retry of a failed Event invocation, comma-separated, at most two; none for no retries (default 60,120, Lambda's)")
    .option("-q, --quiet", "no log line per message, bounce and relay")
    .action(async (flags: SesLocalFlags) => {
      const { runSesLocal } = await import("../run/ses-local.js");
      done(await runSesLocal(flags, io, options));
    });
}
