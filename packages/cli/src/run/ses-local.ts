/**
 * What `dsnkit ses-local` runs (its definition is commands/ses-local.ts): the local SES emulator
 * (`@dsnkit/ses-local`), until SIGINT or SIGTERM.
 */
import type { ResolveSesLocalConfigInput, SesLocal, SesLocalConfig, SettingsInput } from "@dsnkit/ses-local";
import { CliError, EXIT, write } from "../io.js";
import type { Io } from "../io.js";

/** The options of `dsnkit ses-local`, as commander reads them. */
export interface SesLocalFlags {
  config?: string;
  host?: string;
  smtpPort?: string;
  httpPort?: string;
  dataDir?: string;
  outbox?: string;
  domain?: string[];
  identity?: string[];
  accessKeyId?: string;
  secretAccessKey?: string;
  rate?: string;
  maxRequestSize?: string;
  maxMessageSize?: string;
  region?: string;
  renderProfile?: string;
  relay?: string;
  lambda?: string[];
  lambdaTimeout?: string;
  lambdaRetryDelays?: string;
  quiet?: boolean;
}

/** The flag of each setting, for error messages. */
const FLAG: Record<keyof SettingsInput, string> = {
  host: "--host",
  smtpPort: "--smtp-port",
  httpPort: "--http-port",
  dataDir: "--data-dir",
  outbox: "--outbox",
  domains: "--domain",
  identities: "--identity",
  accessKeyId: "--access-key-id",
  secretAccessKey: "--secret-access-key",
  credentials: "--access-key-id",
  rate: "--rate",
  maxRequestSize: "--max-request-size",
  maxMessageSize: "--max-message-size",
  region: "--region",
  renderProfile: "--render-profile",
  relay: "--relay",
  lambdas: "--lambda",
  lambdaTimeout: "--lambda-timeout",
  lambdaRetryDelays: "--lambda-retry-delays",
};

function settingsFromFlags(f: SesLocalFlags): SettingsInput {
  const s: SettingsInput = {};
  if (f.host !== undefined) s.host = f.host;
  if (f.smtpPort !== undefined) s.smtpPort = f.smtpPort;
  if (f.httpPort !== undefined) s.httpPort = f.httpPort;
  if (f.dataDir !== undefined) s.dataDir = f.dataDir;
  if (f.outbox !== undefined) s.outbox = f.outbox;
  // Joined, so that an error names the flag rather than an index into a list.
  if (f.domain !== undefined) s.domains = f.domain.join(",");
  if (f.identity !== undefined) s.identities = f.identity.join(",");
  if (f.accessKeyId !== undefined) s.accessKeyId = f.accessKeyId;
  if (f.secretAccessKey !== undefined) s.secretAccessKey = f.secretAccessKey;
  if (f.rate !== undefined) s.rate = f.rate;
  if (f.maxRequestSize !== undefined) s.maxRequestSize = f.maxRequestSize;
  if (f.maxMessageSize !== undefined) s.maxMessageSize = f.maxMessageSize;
  if (f.region !== undefined) s.region = f.region;
  if (f.renderProfile !== undefined) s.renderProfile = f.renderProfile;
  if (f.relay !== undefined) s.relay = f.relay;
  if (f.lambda !== undefined) s.lambdas = f.lambda;
  if (f.lambdaTimeout !== undefined) s.lambdaTimeout = f.lambdaTimeout;
  if (f.lambdaRetryDelays !== undefined) s.lambdaRetryDelays = f.lambdaRetryDelays;
  return s;
}

function banner(ses: SesLocal, config: SesLocalConfig): string {
  const c = ses.config;
  const receives = c.domains.includes("*") ? "mail for any domain" : `mail for ${c.domains.join(", ")}`;
  const keys = c.credentials.map((k) => `AWS_ACCESS_KEY_ID=${k.accessKeyId} AWS_SECRET_ACCESS_KEY=${k.secretAccessKey}`);
  const verified = c.identities.length + c.domains.filter((d) => d !== "*" && !d.startsWith("*.")).length;
  const relay = config.relay === undefined ? "none (bounces stay in the outbox)" : `${config.relay.secure ? "smtps" : "smtp"}://${config.relay.host}:${config.relay.port} with MAIL FROM:<>`;
  const lines = [
    "dsnkit ses-local: a local Amazon SES that receives mail, runs receipt rules and answers SendBounce",
    `  SMTP         smtp://${ses.host.includes(":") ? `[${ses.host}]` : ses.host}:${ses.smtpPort}  (${receives})`,
    `  SES API      ${ses.endpoint}  (aws ses send-bounce --endpoint-url ${ses.endpoint} ...)`,
    `  credentials  ${keys[0]}  (any region; service ses)`,
    ...keys.slice(1).map((k) => `               ${k}`),
    `  identities   ${verified === 0 ? "none verified yet: call VerifyEmailIdentity for the BounceSender" : [...c.domains.filter((d) => d !== "*" && !d.startsWith("*.")), ...c.identities].join(", ")}`,
    `  rate         ${c.rate > 0 ? `${c.rate} SendBounce call${c.rate === 1 ? "" : "s"} per second per access key` : "no limit"}`,
    `  outbox       ${c.outbox}  (${c.renderProfile === "ses" ? "bounces as SES writes them" : "bounces in dsnkit's RFC-clean layout"})`,
    `  store        ${ses.storePath}`,
    `  messages     ${ses.endpoint}/_ses-local/messages`,
    `  relay        ${relay}`,
    ...ruleSetLines(ses),
    ...lambdaLines(ses),
    "Stop it with Ctrl-C (SIGINT) or SIGTERM.",
  ];
  return lines.join("\n") + "\n";
}

function ruleSetLines(ses: SesLocal): string[] {
  const sets = ses.ruleSets();
  if (sets.length === 0) return ["  rule sets    none (create one with CreateReceiptRuleSet; until one is active, mail is only stored)"];
  const active = sets.find((s) => s.active);
  const describe = (s: { name: string; rules: number; active: boolean }) => `${s.name} (${s.rules} rule${s.rules === 1 ? "" : "s"}${s.active ? ", active" : ""})`;
  const lines = [`  rule sets    ${[...(active ? [active] : []), ...sets.filter((s) => !s.active)].map(describe).join(", ")}`];
  if (active === undefined) lines.push("               none is active: mail is only stored (SetActiveReceiptRuleSet makes one active)");
  return lines;
}

function lambdaLines(ses: SesLocal): string[] {
  const mapped = Object.entries(ses.config.lambdas);
  const lines =
    mapped.length === 0
      ? ["  lambdas      none mapped (--lambda ARN=./handler.mjs)"]
      : mapped.map(([arn, target], i) => `${i === 0 ? "  lambdas      " : "               "}${arn} -> ${target}`);
  if (mapped.length > 0) {
    lines.push(`               each runs for ${ses.config.lambdaTimeout} s at most, calling SES at ${ses.endpoint}`);
    const delays = ses.config.lambdaRetryDelays;
    lines.push(`               a failed Event invocation is ${delays.length === 0 ? "not retried" : `retried after ${delays.map((d) => `${d} s`).join(", then ")}`}`);
  }
  for (const arn of ses.unmappedFunctions()) lines.push(`  warning      rules call ${arn}, which is not mapped: their Lambda actions will fail`);
  return lines;
}

function timestamp(): string {
  return new Date().toISOString().slice(11, 19);
}

/**
 * Runs the emulator until a signal (or `options.stop`) and returns the exit code.
 */
export async function runSesLocal(flags: SesLocalFlags, io: Io, options: SesLocalCommandOptions): Promise<number> {
  // Loaded here, not at the top: the emulator (SQLite, SMTP, the AWS signer) would otherwise add a
  // second to the start of every dsnkit command.
  const { ConfigError, resolveSesLocalSettings, startSesLocal } = await import("@dsnkit/ses-local");
  let config: SesLocalConfig;
  let nameOf: (key: keyof SettingsInput) => string;
  try {
    const input: ResolveSesLocalConfigInput = {
      flags: settingsFromFlags(flags),
      flagName: (k) => FLAG[k],
      env: options.env ?? process.env,
    };
    if (flags.config !== undefined) input.file = flags.config;
    ({ config, nameOf } = resolveSesLocalSettings(input));
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, EXIT.INVALID_INPUT);
    throw e;
  }
  const log = flags.quiet ? undefined : (line: string) => void io.stdout.write(`[${timestamp()}] ${line}\n`);
  let ses: SesLocal;
  try {
    const { relay, ...rest } = config;
    const warn = (line: string) => void io.stderr.write(`[${timestamp()}] ${line}\n`);
    ses = await startSesLocal({ ...rest, warn, ...(relay !== undefined ? { relay } : {}), ...(log !== undefined ? { log } : {}) });
  } catch (e) {
    const err = e as Error & { setting?: string; code?: string };
    const message = err.message.replace(/^\w+: /, "");
    // A host that does not resolve or is not this machine's is a bad setting (exit 2); a port in
    // use or not allowed is a failure to start (exit 1).
    if (err.setting === "host") throw new CliError(`${nameOf("host")}: ${message}`, EXIT.INVALID_INPUT);
    if (err.setting === "smtpPort" || err.setting === "httpPort")
      throw new CliError(`${nameOf(err.setting)}: ${message}; choose another port (0 picks a free one)`, EXIT.FAILED);
    throw new CliError(`${nameOf("dataDir")}: cannot open the store in ${config.dataDir}: ${err.message}`, EXIT.FAILED);
  }
  await write(io.stdout, banner(ses, config));

  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  let onSignal: ((s: NodeJS.Signals) => void) | undefined;
  const reason = await new Promise<string>((resolve) => {
    onSignal = (s) => resolve(s);
    for (const s of signals) process.once(s, onSignal);
    options.stop?.then(
      () => resolve("stop"),
      () => resolve("stop"),
    );
  });
  for (const s of signals) process.off(s, onSignal!);
  await write(io.stdout, `ses-local: stopping (${reason})\n`);
  await ses.close();
  await write(io.stdout, "ses-local: stopped; every acknowledged message and bounce is in the store\n");
  return EXIT.OK;
}

/**
 * Options for running the command in-process (tests): a promise that stops it like a signal, and
 * the environment to read `DSNKIT_SES_LOCAL_*` from.
 *
 * @example
 * const options: SesLocalCommandOptions = { stop: new Promise((r) => setTimeout(r, 1000)), env: {} };
 */
export interface SesLocalCommandOptions {
  stop?: Promise<unknown>;
  env?: Readonly<Record<string, string | undefined>>;
}
