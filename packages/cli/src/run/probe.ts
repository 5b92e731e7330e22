/**
 * What `dsnkit probe` runs (its definition is commands/probe.ts): property-based conformance
 * testing of a running MTA's bounces over SMTP (`probeMta` of `@dsnkit/testing/probe`), and
 * `--print-config` for the lines that route the probe's domains in Postfix, Haraka or Exim.
 */
import type { ProbeReport } from "@dsnkit/testing";
import { CliError, EXIT, write, writeFileAtomic } from "../io.js";
import type { Io } from "../io.js";

/** The options of `dsnkit probe`, as commander reads them. */
export interface ProbeFlags {
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

/** Runs `dsnkit probe` and resolves to its exit code; errors meant for the user are thrown as CliError. */
export async function runProbe(flags: ProbeFlags, io: Io): Promise<number> {
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
