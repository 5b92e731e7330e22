/**
 * `dsnkit probe`: property-based conformance testing of a running MTA's bounces over SMTP
 * (`probeMta` of `@dsnkit/testing/probe`), and `--print-config` for the lines that route the
 * probe's domains in Postfix, Haraka or Exim.
 */
import { Command } from "commander";
import type { ProbeReport } from "@dsnkit/testing";
import { CliError, EXIT, write, writeFileAtomic } from "../io.js";
import type { Io } from "../io.js";

interface ProbeFlags {
  submit?: string;
  printConfig?: string;
  target?: string;
  domain?: string;
  returnDomain?: string;
  host?: string;
  remotePort: string;
  returnPort: string;
  seed: string;
  runs: string;
  maxRecipients: string;
  tempFailures?: boolean;
  timeout: string;
  settle: string;
  budget: string;
  shrinkRuns: string;
  concurrency: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

/** The default ports of the probe's servers on the command line (an MTA's routing names them). */
export const DEFAULT_REMOTE_PORT = 2601;
export const DEFAULT_RETURN_PORT = 2602;

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new CliError(`${flag}: ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return Number(value);
}

/** A duration: `500ms`, `30s`, `10m`, or a number of seconds. Returns milliseconds. */
export function duration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (m === null || Number(m[1]) <= 0) throw new CliError(`${flag}: ${JSON.stringify(value)} is not a duration like 500ms, 30s or 10m`);
  const n = Number(m[1]);
  return Math.round(m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000);
}

function domainFlag(flag: string, value: string): string {
  if (!/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(value))
    throw new CliError(`${flag}: ${JSON.stringify(value)} is not a domain name with at least two labels`);
  return value.toLowerCase();
}

async function run(flags: ProbeFlags, io: Io): Promise<number> {
  const { PROBE_TARGETS, formatProbeReport, renderTargetConfig } = await import("@dsnkit/testing");
  const names = Object.keys(PROBE_TARGETS).filter((n) => n !== "generic");
  const domain = flags.domain === undefined ? "probe.test" : domainFlag("--domain", flags.domain);
  const returnDomain = flags.returnDomain === undefined ? `return.${domain}` : domainFlag("--return-domain", flags.returnDomain);
  if (returnDomain === domain) throw new CliError("--return-domain: it must differ from --domain (the MTA routes them to different servers)");
  const host = flags.host ?? "127.0.0.1";
  const remotePort = integer("--remote-port", flags.remotePort, 0, 65535);
  const returnPort = integer("--return-port", flags.returnPort, 0, 65535);

  if (flags.printConfig !== undefined) {
    if (flags.submit !== undefined) throw new CliError("--print-config and --submit do not go together: print the lines, add them, then probe");
    const target = PROBE_TARGETS[flags.printConfig];
    if (target === undefined || flags.printConfig === "generic") throw new CliError(`--print-config: ${JSON.stringify(flags.printConfig)} is not one of ${names.join(", ")}`);
    if (remotePort === 0 || returnPort === 0) throw new CliError("--print-config: the MTA needs fixed ports; give --remote-port and --return-port other than 0");
    const text = renderTargetConfig(target, { domain, returnDomain, remoteHost: host, remotePort, returnHost: host, returnPort }, { tempFailures: flags.tempFailures === true });
    await write(io.stdout, text);
    return EXIT.OK;
  }
  if (flags.submit === undefined) throw new CliError("give --submit smtp://HOST:PORT (the MTA to probe), or --print-config " + names.join("|"));
  if (!/^smtp:\/\/(\[[^\]]+\]|[^:/\s]+):\d{1,5}\/?$/.test(flags.submit)) throw new CliError(`--submit: ${JSON.stringify(flags.submit)} is not smtp://HOST:PORT`);
  const targetName = flags.target ?? "generic";
  if (PROBE_TARGETS[targetName] === undefined) throw new CliError(`--target: ${JSON.stringify(targetName)} is not one of ${Object.keys(PROBE_TARGETS).join(", ")}`);
  const options = {
    submit: flags.submit,
    target: targetName,
    domain,
    returnDomain,
    host,
    remotePort,
    returnPort,
    seed: integer("--seed", flags.seed, 0, 2 ** 31 - 1),
    numRuns: integer("--runs", flags.runs, 1, 100_000),
    maxRecipients: integer("--max-recipients", flags.maxRecipients, 1, 20),
    tempFailures: flags.tempFailures === true,
    scenarioTimeout: duration("--timeout", flags.timeout),
    settle: duration("--settle", flags.settle),
    budget: duration("--budget", flags.budget),
    shrinkRuns: integer("--shrink-runs", flags.shrinkRuns, 0, 10_000),
    concurrency: integer("--concurrency", flags.concurrency, 1, 64),
  };
  const { probeMta, SmtpClientError } = await import("@dsnkit/testing/probe");
  const say = (line: string) => {
    if (!flags.quiet) io.stderr.write(`probe: ${line}\n`);
  };
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let report: ProbeReport;
  try {
    report = await probeMta({
      ...options,
      signal: stop.signal,
      onListening: (r) => {
        say(`remote server smtp://${r.remoteHost}:${r.remotePort} (the MTA relays ${r.domain} to it)`);
        say(`return server smtp://${r.returnHost}:${r.returnPort} (the MTA sends ${r.returnDomain}'s mail, the DSNs, to it)`);
      },
      onProgress: (p) => {
        if (p.phase === "run" && (p.done % 10 === 0 || p.done === p.total)) say(`${p.done} of ${p.total} scenarios run, ${p.findings} finding(s) so far`);
        if (p.phase === "shrink" && p.done === 1) say(`shrinking ${p.key}`);
      },
    });
  } catch (e) {
    if (e instanceof SmtpClientError) throw new CliError(`--submit: ${e.message}`, EXIT.FAILED);
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE" || err.code === "EACCES")
      throw new CliError(`cannot listen on ${host}: ${err.message}; choose other ports with --remote-port and --return-port (0 picks free ones)`, EXIT.FAILED);
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const text = flags.json ? JSON.stringify(report, null, 2) + "\n" : formatProbeReport(report);
  if (flags.out !== undefined) {
    try {
      await writeFileAtomic(flags.out, text);
    } catch (e) {
      throw new CliError(`--out: cannot write ${flags.out}: ${(e as Error).message}`, EXIT.FAILED);
    }
    say(`report written to ${flags.out}`);
  } else await write(io.stdout, text);
  const unknown = report.findings.filter((f) => f.severity === "error" && f.known === undefined);
  return unknown.length > 0 ? EXIT.FAILED : EXIT.OK;
}

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
    .action(async (flags: ProbeFlags) => done(await run(flags, io)));
}
