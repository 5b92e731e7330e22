/**
 * `dsnkit render`: a SendBounce request (JSON) in, the DSN SES would send out. No AWS access.
 *
 * The command's definition only: what it runs (run/render.ts) loads when it runs (see main.ts).
 */
import { Command, Option } from "commander";
import type { Io } from "../io.js";
import type { RenderFlags } from "../run/render.js";

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
    .action(async (request: string | undefined, flags: RenderFlags) => {
      const { runRender } = await import("../run/render.js");
      done(await runRender(request, flags, io));
    });
}
