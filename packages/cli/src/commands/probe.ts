/**
 * `dsnkit probe`: property-based conformance testing of a running MTA's bounces over SMTP.
 *
 * The command's definition only: what it runs (run/probe.ts) loads when it runs (see main.ts).
 */
import { Command } from "commander";
import type { Io } from "../io.js";
import type { ProbeFlags } from "../run/probe.js";

/** The default ports of the probe's servers on the command line (an MTA's routing names them). */
export const DEFAULT_REMOTE_PORT = 2601;
export const DEFAULT_RETURN_PORT = 2602;

/** Registers `dsnkit probe`. */
export function probeCommand(io: Io, done: (code: number) => void): Command {
  return new Command("probe")
    .summary("property-test a running MTA's bounces over SMTP")
    .description(
      "Submits generated scenarios to the MTA at --submit and checks the DSNs it sends back. The probe runs two SMTP servers: a remote\n" +
        "server the MTA relays --domain to (it answers each recipient as the scenario says) and a return server the MTA sends\n" +
        "--return-domain's mail to (the DSNs). Route both domains first: --print-config postfix|haraka|exim prints the lines.\n" +
        "Each failure is shrunk to a minimal scenario, printed as an SMTP transcript with the DSN received. The same --seed gives\n" +
        "the same report.\n\n" +
        "Exit status: 0 no finding (or only the target's known ones); 1 a finding, or the MTA could not be reached; 2 bad flags.",
    )
    .option("--submit <url>", "the MTA to probe: smtp://HOST:PORT")
    .option("--print-config <mta>", "print the lines that route the probe's domains in postfix, haraka or exim, and exit")
    .option("--target <mta>", "postfix, haraka, exim or generic: masks the MTA's ids in the report and marks its known findings")
    .option("--domain <domain>", "the test domain the MTA relays to the remote server (default probe.test)")
    .option("--return-domain <domain>", "the envelope senders' domain, routed to the return server (default return.<domain>)")
    .option("--host <address>", "the address the probe's servers listen on (default 127.0.0.1)")
    .option("--remote-port <port>", "the remote server's port; 0 picks a free one", String(DEFAULT_REMOTE_PORT))
    .option("--return-port <port>", "the return server's port; 0 picks a free one", String(DEFAULT_RETURN_PORT))
    .option("--seed <n>", "seed of the scenarios", "1")
    .option("--runs <n>", "scenarios to run", "100")
    .option("--max-recipients <n>", "most recipients in a scenario, 1 to 20", "20")
    .option("--temp-failures", "let the remote server answer 4xx: only for an MTA set to bounce at the first one (see --print-config ... --temp-failures)")
    .option("--timeout <duration>", "how long one scenario waits for its DSNs", "30s")
    .option("--settle <duration>", "how long nothing must happen before a scenario is judged", "1s")
    .option("--budget <duration>", "time budget of the whole probe, shrinking included", "10m")
    .option("--shrink-runs <n>", "most scenarios run to shrink one finding", "30")
    .option("--concurrency <n>", "scenarios submitted at once before shrinking", "4")
    .option("--json", "write the report as JSON")
    .option("--out <file>", "write the report to FILE instead of stdout")
    .option("-q, --quiet", "no progress on stderr")
    .action(async (flags: ProbeFlags) => {
      const { runProbe } = await import("../run/probe.js");
      done(await runProbe(flags, io));
    });
}
