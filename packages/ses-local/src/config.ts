/**
 * Configuration: the settings, their defaults, and how flags, environment variables and a config
 * file (JSON or YAML) combine. Precedence, highest first: flags, environment (`DSNKIT_SES_LOCAL_*`),
 * the config file, the defaults. Every error names the flag, variable or file key at fault.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { dirname, extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { isLambdaArn } from "./lambda.js";
import { parseRelayUrl } from "./relay.js";
import { nearest } from "./suggest.js";
import type { RelayOptions } from "./relay.js";
import type { Credentials } from "./sigv4.js";
import type { SesLocalRenderProfile } from "./bounce.js";

/**
 * The default settings: a working emulator on loopback with no configuration at all.
 *
 * @example
 * SES_LOCAL_DEFAULTS.httpPort;
 * //=> 4579
 */
export const SES_LOCAL_DEFAULTS = Object.freeze({
  host: "127.0.0.1",
  smtpPort: 2525,
  httpPort: 4579,
  dataDir: ".ses-local",
  domains: Object.freeze(["*"]) as readonly string[],
  identities: Object.freeze([]) as readonly string[],
  accessKeyId: "AKIDSESLOCAL",
  secretAccessKey: "ses-local-secret-access-key",
  /** SendBounce calls per second per access key (SES: 1). */
  rate: 1,
  /** 10 MiB. */
  maxRequestSize: 10 * 1024 * 1024,
  /** 40 MiB, what SES receives at most. */
  maxMessageSize: 40 * 1024 * 1024,
  region: "us-east-1",
  /** Bounces in SES's own layout (`ses`), or dsnkit's RFC-clean one (`default`). */
  renderProfile: "ses" as SesLocalRenderProfile,
  /** Seconds a receipt rule's Lambda function may run (SES waits 30 s for a RequestResponse invocation). */
  lambdaTimeout: 30,
  /** Seconds before each retry of a failed Event invocation (Lambda's: 1 minute, then 2). */
  lambdaRetryDelays: Object.freeze([60, 120]) as readonly number[],
});

/**
 * The settings of the emulator, all resolved.
 *
 * @example
 * const c: SesLocalConfig = {
 *   host: "127.0.0.1", smtpPort: 2525, httpPort: 4579, dataDir: "/abs/.ses-local", outbox: "/abs/.ses-local/outbox",
 *   domains: ["*"], identities: [], credentials: [{ accessKeyId: "AKIDSESLOCAL", secretAccessKey: "ses-local-secret-access-key" }],
 *   rate: 1, maxRequestSize: 10485760, maxMessageSize: 41943040, region: "us-east-1", renderProfile: "ses",
 *   lambdas: {}, lambdaTimeout: 30, lambdaRetryDelays: [60, 120],
 * };
 */
export interface SesLocalConfig {
  /** The address both listeners bind to. */
  host: string;
  /** SMTP port; 0 for any free port. */
  smtpPort: number;
  /** HTTP (SES API) port; 0 for any free port. */
  httpPort: number;
  /** Where the store (`ses-local.db`) lives. */
  dataDir: string;
  /** Where bounces are written as `<MessageId>.eml`. */
  outbox: string;
  /** Domains mail is accepted for: `*`, `example.com`, `*.example.com`. Named domains are verified identities. */
  domains: string[];
  /** Identities (addresses or domains) verified from the start. */
  identities: string[];
  /** Key pairs accepted in SigV4 signatures. */
  credentials: Credentials[];
  /** SendBounce calls per second per access key; 0 for no limit. */
  rate: number;
  /** The largest SES API request body, in bytes. */
  maxRequestSize: number;
  /** The largest SMTP message, in bytes. */
  maxMessageSize: number;
  /** The region named in the Received field of stored messages. */
  region: string;
  /**
   * The layout of the bounces: `ses`, what SES sends (SES's layout, X-SES-Outgoing, Feedback-ID),
   * or `default`, dsnkit's RFC-clean one.
   */
  renderProfile: SesLocalRenderProfile;
  /** Where to relay bounces (`MAIL FROM:<>`); none when absent. */
  relay?: RelayOptions;
  /** Lambda function ARN → the local handler receipt rules' Lambda actions call: an absolute path of a JavaScript module, or an `http(s)://` URL. */
  lambdas: Record<string, string>;
  /** Seconds a Lambda invocation may run before it is stopped (SES: 30 for RequestResponse). */
  lambdaTimeout: number;
  /**
   * Seconds before each retry of an `Event` invocation that failed or timed out, one entry per
   * retry (Lambda's: `[60, 120]`, two retries); `[]` for none.
   */
  lambdaRetryDelays: number[];
}

/**
 * Settings as given by a source (flags, environment, file): every one optional, as text or as
 * its value.
 *
 * @example
 * const s: SettingsInput = { smtpPort: "0", domains: "example.com,example.org" };
 */
export interface SettingsInput {
  host?: unknown;
  smtpPort?: unknown;
  httpPort?: unknown;
  dataDir?: unknown;
  outbox?: unknown;
  domains?: unknown;
  identities?: unknown;
  accessKeyId?: unknown;
  secretAccessKey?: unknown;
  credentials?: unknown;
  rate?: unknown;
  maxRequestSize?: unknown;
  maxMessageSize?: unknown;
  region?: unknown;
  renderProfile?: unknown;
  relay?: unknown;
  lambdas?: unknown;
  lambdaTimeout?: unknown;
  lambdaRetryDelays?: unknown;
}

/**
 * A bad setting: the message names where it came from (`--smtp-port`,
 * `DSNKIT_SES_LOCAL_RATE`, `ses-local.yaml: domains[1]`).
 *
 * @example
 * new ConfigError("--smtp-port: \"x\" is not a port number (0 to 65535)");
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * The environment variable of each setting (the file's `credentials` list has none: the
 * environment gives one key pair).
 *
 * @example
 * ENV_NAMES.smtpPort;
 * //=> "DSNKIT_SES_LOCAL_SMTP_PORT"
 */
export const ENV_NAMES: Readonly<Record<Exclude<keyof SettingsInput, "credentials">, string>> = Object.freeze({
  host: "DSNKIT_SES_LOCAL_HOST",
  smtpPort: "DSNKIT_SES_LOCAL_SMTP_PORT",
  httpPort: "DSNKIT_SES_LOCAL_HTTP_PORT",
  dataDir: "DSNKIT_SES_LOCAL_DATA_DIR",
  outbox: "DSNKIT_SES_LOCAL_OUTBOX",
  domains: "DSNKIT_SES_LOCAL_DOMAINS",
  identities: "DSNKIT_SES_LOCAL_IDENTITIES",
  accessKeyId: "DSNKIT_SES_LOCAL_ACCESS_KEY_ID",
  secretAccessKey: "DSNKIT_SES_LOCAL_SECRET_ACCESS_KEY",
  rate: "DSNKIT_SES_LOCAL_RATE",
  maxRequestSize: "DSNKIT_SES_LOCAL_MAX_REQUEST_SIZE",
  maxMessageSize: "DSNKIT_SES_LOCAL_MAX_MESSAGE_SIZE",
  region: "DSNKIT_SES_LOCAL_REGION",
  renderProfile: "DSNKIT_SES_LOCAL_RENDER_PROFILE",
  relay: "DSNKIT_SES_LOCAL_RELAY",
  lambdas: "DSNKIT_SES_LOCAL_LAMBDAS",
  lambdaTimeout: "DSNKIT_SES_LOCAL_LAMBDA_TIMEOUT",
  lambdaRetryDelays: "DSNKIT_SES_LOCAL_LAMBDA_RETRY_DELAYS",
});

/**
 * The environment variable naming the config file (what `--config` sets).
 *
 * @example
 * CONFIG_ENV;
 * //=> "DSNKIT_SES_LOCAL_CONFIG"
 */
export const CONFIG_ENV = "DSNKIT_SES_LOCAL_CONFIG";

const FILE_KEYS = new Set<string>([...Object.keys(ENV_NAMES), "credentials"]);

/**
 * Reads the settings from environment variables (`DSNKIT_SES_LOCAL_*`).
 *
 * @example
 * settingsFromEnv({ DSNKIT_SES_LOCAL_SMTP_PORT: "2526" });
 * //=> { smtpPort: "2526" }
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): SettingsInput {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const v = env[name];
    if (v !== undefined && v !== "") out[key] = v;
  }
  return out;
}

/** Most octets of a config file: a config is a few lines; this keeps `--config /dev/zero` finite. */
const MAX_CONFIG_SIZE = 1024 * 1024;

/** A config file's text: a regular file of at most {@link MAX_CONFIG_SIZE} octets. */
function readConfigText(path: string): string {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
    if (!st.isFile()) throw new ConfigError("the config file is not a regular file");
    if (st.size > MAX_CONFIG_SIZE) throw new ConfigError(`the config file is ${st.size} octets; a config file is at most ${MAX_CONFIG_SIZE}`);
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a config file: JSON (`.json`) or YAML (anything else), an object whose keys are setting
 * names. Relative `dataDir` and `outbox` paths are made relative to the file's directory.
 *
 * @param path - the file.
 * @param name - how error messages name the file (default: `path`), e.g. `--config ses-local.yaml`.
 * @throws {ConfigError} naming the file (and the line and column, for syntax errors) when it cannot
 *   be read or is not an object of known settings.
 * @example
 * // ses-local.yaml:  domains: [example.com]\n rate: 0
 * settingsFromFile("ses-local.yaml");
 * //=> { domains: ["example.com"], rate: 0 }
 */
export function settingsFromFile(path: string, name: string = path): SettingsInput {
  let text: string;
  try {
    text = readConfigText(path);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${name}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    // The resolved path too, when the name does not already show it (a relative --config).
    throw new ConfigError(`${name}: cannot read the config file${name.endsWith(path) ? "" : ` ${path}`}: ${why}`);
  }
  let value: unknown;
  if (extname(path).toLowerCase() === ".json") {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`${name}: invalid JSON: ${jsonErrorMessage((e as Error).message, text)}`);
    }
  } else {
    try {
      value = parseYaml(text, { prettyErrors: true });
    } catch (e) {
      throw new ConfigError(`${name}: invalid YAML: ${yamlErrorMessage(e as Error & { linePos?: { line: number; col: number }[] })}`);
    }
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new ConfigError(`${name}: the config file must hold an object of settings`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!FILE_KEYS.has(key)) {
      const near = nearest(key, [...FILE_KEYS]);
      throw new ConfigError(`${name}: unknown setting ${JSON.stringify(key)}${near ? `; did you mean ${JSON.stringify(near)}?` : `; the settings are ${[...FILE_KEYS].join(", ")}`}`);
    }
    out[key] = (key === "dataDir" || key === "outbox") && typeof v === "string" ? resolve(dirname(path), v) : v;
  }
  return out;
}

/**
 * One line from the yaml library's error: its message (with `prettyErrors`) goes on with a code
 * excerpt after "at line L, column C:"; keep the sentence and the position.
 */
function yamlErrorMessage(e: Error & { linePos?: { line: number; col: number }[] }): string {
  const first = (e.message.split("\n")[0] ?? "").trim().replace(/:$/, "");
  const at = e.linePos?.[0];
  if (at !== undefined && !/ at line \d+, column \d+$/.test(first)) return `${first} at line ${at.line}, column ${at.col}`;
  return first;
}

/** JSON.parse's message with its "at position N" given as a line and column. */
function jsonErrorMessage(message: string, text: string): string {
  const first = (message.split("\n")[0] ?? "").trim();
  return first.replace(/ at position (\d+)(?: \(line \d+ column \d+\))?$/, (_m, p: string) => {
    const before = text.slice(0, Number(p));
    const line = before.split("\n").length;
    const col = Number(p) - before.lastIndexOf("\n");
    return ` at line ${line}, column ${col}`;
  });
}

interface Source {
  settings: SettingsInput;
  /** Names a setting of this source in an error message. */
  name: (key: keyof SettingsInput) => string;
  /** What relative paths of this source are relative to: the working directory, or the config file's. */
  base: string;
}

function text(v: unknown, where: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new ConfigError(`${where}: must be text, not ${v === null ? "null" : Array.isArray(v) ? "a list" : typeof v}`);
}

function port(v: unknown, where: string): number {
  const s = text(v, where).trim();
  if (!/^\d{1,5}$/.test(s) || Number(s) > 65535) throw new ConfigError(`${where}: ${JSON.stringify(s)} is not a port number (0 to 65535; 0 picks a free port)`);
  return Number(s);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i;
const UNIT: Readonly<Record<string, number>> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Reads a size: bytes, or with a binary unit (`512k`, `10M`, `10MiB`, `1g`).
 *
 * @throws {ConfigError} naming `where`.
 * @example
 * parseSize("10MiB", "--max-request-size");
 * //=> 10485760
 */
export function parseSize(v: unknown, where: string): number {
  const s = text(v, where).trim();
  const m = SIZE.exec(s);
  const n = m ? Math.floor(Number(m[1]) * UNIT[(m[2] ?? "").charAt(0).toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`${where}: ${JSON.stringify(s)} is not a size in bytes (like 1048576, 512k or 10M)`);
  return n;
}

function rate(v: unknown, where: string): number {
  const s = text(v, where).trim();
  const n = Number(s);
  if (s === "" || !Number.isFinite(n) || n < 0) throw new ConfigError(`${where}: ${JSON.stringify(s)} is not a rate (calls per second, like 1 or 0.5; 0 for no limit)`);
  return n;
}

function list(v: unknown, where: string): string[] {
  const items = Array.isArray(v) ? v.map((x, i) => text(x, `${where}[${i}]`)) : text(v, where).split(",");
  return items.map((s) => s.trim()).filter((s) => s !== "");
}

function seconds(v: unknown, where: string): number {
  const s = text(v, where).trim();
  const n = Number(s);
  if (s === "" || !Number.isFinite(n) || n <= 0 || n > 900) throw new ConfigError(`${where}: ${JSON.stringify(s)} is not a number of seconds from more than 0 to 900 (Lambda's longest)`);
  return n;
}

/**
 * The `lambdaRetryDelays` setting: at most two delays (Lambda retries an asynchronous invocation
 * at most twice), each 0 to 21,600 seconds (6 hours, the longest Lambda keeps an event); a list,
 * comma-separated text, or `none` (or nothing) for no retries.
 */
function retryDelays(v: unknown, where: string): number[] {
  const items = typeof v === "string" && v.trim().toLowerCase() === "none" ? [] : list(v, where);
  if (items.length > 2) throw new ConfigError(`${where}: ${items.length} delays given; Lambda retries a failed Event invocation at most twice (like 60,120; none for no retries)`);
  return items.map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0 || n > 21_600) throw new ConfigError(`${where}: ${JSON.stringify(s)} is not a number of seconds from 0 to 21600 (6 hours, the longest Lambda keeps an event)`);
    return n;
  });
}

const MODULE_EXTENSIONS = [".mjs", ".js", ".cjs"];

/**
 * One function mapping, `ARN=./handler.mjs` or `ARN=http://127.0.0.1:9000/`: the ARN checked, a
 * path resolved against `base` and checked to be a JavaScript module that exists.
 */
function lambdaMapping(arn: string, target: string, where: string, base: string): [string, string] {
  if (!isLambdaArn(arn))
    throw new ConfigError(`${where}: ${JSON.stringify(arn)} is not a Lambda function ARN like arn:aws:lambda:us-east-1:123456789012:function:bouncer`);
  if (target === "") throw new ConfigError(`${where}: give the handler of ${arn}: a JavaScript module (./handler.mjs) or an http:// URL`);
  if (/^https?:\/\//i.test(target)) {
    try {
      new URL(target);
    } catch {
      throw new ConfigError(`${where}: ${JSON.stringify(target)} is not a URL`);
    }
    return [arn, target];
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) throw new ConfigError(`${where}: ${JSON.stringify(target)}: a handler is a file or an http:// or https:// URL`);
  const path = resolve(base, target);
  const ext = extname(path).toLowerCase();
  if (ext === ".ts" || ext === ".mts" || ext === ".cts")
    throw new ConfigError(`${where}: ${target} is TypeScript, which Node.js ${process.versions.node} cannot import: compile it to JavaScript (tsc, esbuild) and give the .js or .mjs file`);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new ConfigError(`${where}: the handler of ${arn}, ${path}, does not exist`);
  }
  if (!isFile) throw new ConfigError(`${where}: the handler of ${arn}, ${path}, is not a file`);
  if (!MODULE_EXTENSIONS.includes(ext)) throw new ConfigError(`${where}: the handler of ${arn}, ${path}, is not a JavaScript module (${MODULE_EXTENSIONS.join(", ")})`);
  return [arn, path];
}

/**
 * The `lambdas` setting: `ARN=handler` pairs (a list, or comma-separated text) or, in a file, an
 * object of ARN → handler.
 */
function lambdaMappings(v: unknown, where: string, base: string): Record<string, string> {
  const out: Record<string, string> = {};
  const add = ([arn, target]: [string, string], at: string) => {
    if (Object.prototype.hasOwnProperty.call(out, arn)) throw new ConfigError(`${at}: ${arn} is mapped twice`);
    out[arn] = target;
  };
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [arn, target] of Object.entries(v as Record<string, unknown>)) add(lambdaMapping(arn, text(target, `${where}.${arn}`).trim(), `${where}.${arn}`, base), `${where}.${arn}`);
    return out;
  }
  // A repeated flag is named with its value (`--lambda ARN=./h.mjs`); a file's list item by its index.
  const itemName = (x: string, i: number) => (where.startsWith("--") ? `${where} ${x}` : `${where}[${i}]`);
  const items = Array.isArray(v) ? v.map((x, i) => [text(x, itemName(String(x), i)), itemName(String(x), i)] as const) : text(v, where).split(",").map((x) => [x, where] as const);
  for (const [item, at] of items) {
    const s = item.trim();
    if (s === "") continue;
    const eq = s.indexOf("=");
    if (eq < 0) throw new ConfigError(`${at}: ${JSON.stringify(s)} must be ARN=HANDLER, like arn:aws:lambda:us-east-1:123456789012:function:bouncer=./handler.mjs`);
    add(lambdaMapping(s.slice(0, eq).trim(), s.slice(eq + 1).trim(), at, base), at);
  }
  return out;
}

function hostAddress(v: unknown, where: string): string {
  const s = text(v, where).trim();
  // An IPv6 address may come in brackets, as in a URL.
  const bare = /^\[.*\]$/.test(s) && isIP(s.slice(1, -1)) === 6 ? s.slice(1, -1) : s;
  if (isIP(bare) === 0 && bare.toLowerCase() !== "localhost")
    throw new ConfigError(`${where}: ${JSON.stringify(s)} is not an IP address (like 127.0.0.1, ::1, or 0.0.0.0 for all) or localhost`);
  return bare;
}

const DOMAIN_PATTERN = /^(?:\*|(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/i;

function credentialsList(v: unknown, where: string): Credentials[] {
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(`${where}: must be a list of { accessKeyId, secretAccessKey }`);
  return v.map((c, i) => {
    const at = `${where}[${i}]`;
    if (typeof c !== "object" || c === null || Array.isArray(c)) throw new ConfigError(`${at}: must be { accessKeyId, secretAccessKey }`);
    const o = c as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== "accessKeyId" && k !== "secretAccessKey") throw new ConfigError(`${at}: unknown key ${JSON.stringify(k)}`);
    const accessKeyId = text(o.accessKeyId ?? "", `${at}.accessKeyId`).trim();
    const secretAccessKey = text(o.secretAccessKey ?? "", `${at}.secretAccessKey`);
    if (accessKeyId === "") throw new ConfigError(`${at}.accessKeyId: is required`);
    if (secretAccessKey === "") throw new ConfigError(`${at}.secretAccessKey: is required`);
    return { accessKeyId, secretAccessKey };
  });
}

/**
 * What {@link resolveSesLocalConfig} reads: the sources of the settings and how to name them.
 *
 * @example
 * const input: ResolveSesLocalConfigInput = { flags: { smtpPort: "0" }, env: process.env, file: "ses-local.yaml" };
 */
export interface ResolveSesLocalConfigInput {
  flags?: SettingsInput;
  /** Flag names for error messages (`smtpPort` → `--smtp-port`); default: kebab-case with `--`. */
  flagName?: (key: keyof SettingsInput) => string;
  env?: Readonly<Record<string, string | undefined>>;
  /** A config file (what `--config` gives); default: the one `DSNKIT_SES_LOCAL_CONFIG` names, if any. */
  file?: string;
  cwd?: string;
}

/**
 * Combines the sources into the emulator's settings: for each setting the first source (in the
 * order given: flags, environment, file) that sets it wins, else the default. Relative paths are
 * resolved against `cwd`.
 *
 * @throws {ConfigError} naming the source of a bad value.
 * @example
 * const config = resolveSesLocalConfig({
 *   flags: { smtpPort: "0" },
 *   env: { DSNKIT_SES_LOCAL_SMTP_PORT: "2600", DSNKIT_SES_LOCAL_RATE: "0" },
 * });
 * [config.smtpPort, config.rate];
 * //=> [0, 0]
 */
export function resolveSesLocalConfig(input: ResolveSesLocalConfigInput): SesLocalConfig {
  return resolveSesLocalSettings(input).config;
}

/**
 * {@link resolveSesLocalConfig}, and where each setting came from: `nameOf(key)` names the flag,
 * the environment variable or the config file and key that set it (the flag when the default is in
 * force), so that a problem found later (a host that cannot be listened on) is reported against
 * the setting the user gave.
 *
 * @throws {ConfigError} naming the source of a bad value.
 * @example
 * const { config, nameOf } = resolveSesLocalSettings({ env: { DSNKIT_SES_LOCAL_HOST: "192.0.2.1" } });
 * [config.host, nameOf("host"), nameOf("smtpPort")];
 * //=> ["192.0.2.1", "DSNKIT_SES_LOCAL_HOST", "--smtp-port"]
 */
export function resolveSesLocalSettings(input: ResolveSesLocalConfigInput): { config: SesLocalConfig; nameOf: (key: keyof SettingsInput) => string } {
  const cwd = input.cwd ?? process.cwd();
  const env = input.env ?? {};
  const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const sources: Source[] = [
    { settings: input.flags ?? {}, name: input.flagName ?? kebab, base: cwd },
    { settings: settingsFromEnv(env), name: (k) => ENV_NAMES[k as Exclude<keyof SettingsInput, "credentials">] ?? k, base: cwd },
  ];
  const fromEnv = input.file === undefined && env[CONFIG_ENV] !== undefined && env[CONFIG_ENV] !== "";
  const file = fromEnv ? env[CONFIG_ENV] : input.file;
  if (file !== undefined) {
    // Named as it was given: `--config ses-local.yaml` or `DSNKIT_SES_LOCAL_CONFIG=ses-local.yaml`.
    const fileName = fromEnv ? `${CONFIG_ENV}=${file}` : `--config ${file}`;
    const settings = settingsFromFile(resolve(cwd, file), fileName);
    sources.push({ settings, name: (k) => `${fileName}: ${k}`, base: dirname(resolve(cwd, file)) });
  }
  /** The first source that sets `key`: it wins, and names the setting in messages. */
  const sourceOf = (key: keyof SettingsInput): Source | undefined => sources.find((s) => s.settings[key] !== undefined && s.settings[key] !== null);
  const pick = <T>(key: keyof SettingsInput, read: (v: unknown, where: string, base: string) => T, fallback: T): T => {
    const s = sourceOf(key);
    return s === undefined ? fallback : read(s.settings[key], s.name(key), s.base);
  };
  const path = (v: unknown, where: string) => {
    const s = text(v, where).trim();
    if (s === "") throw new ConfigError(`${where}: must not be empty`);
    return resolve(cwd, s);
  };

  const host = pick("host", hostAddress, SES_LOCAL_DEFAULTS.host);
  const dataDir = pick("dataDir", path, resolve(cwd, SES_LOCAL_DEFAULTS.dataDir));
  const domains = pick("domains", (v, w) => {
    const l = list(v, w);
    if (l.length === 0) throw new ConfigError(`${w}: give at least one domain (or * for any)`);
    l.forEach((d, i) => {
      if (!DOMAIN_PATTERN.test(d)) throw new ConfigError(`${w}${Array.isArray(v) ? `[${i}]` : ""}: ${JSON.stringify(d)} is not a domain, *.domain or *`);
    });
    return l.map((d) => d.toLowerCase());
  }, [...SES_LOCAL_DEFAULTS.domains]);
  const identities = pick("identities", (v, w) => {
    const l = list(v, w);
    l.forEach((d, i) => {
      if (/[\s<>,;]/.test(d) || d.startsWith("@") || d.endsWith("@") || d.split("@").length > 2)
        throw new ConfigError(`${w}${Array.isArray(v) ? `[${i}]` : ""}: ${JSON.stringify(d)} is not an email address or a domain`);
    });
    return l;
  }, [...SES_LOCAL_DEFAULTS.identities]);

  // A key pair: flags and environment give one; the file may give a list.
  let credentials: Credentials[] | undefined;
  for (const s of sources) {
    const id = s.settings.accessKeyId;
    const secret = s.settings.secretAccessKey;
    if (id !== undefined || secret !== undefined) {
      if (id === undefined || secret === undefined)
        throw new ConfigError(`${s.name(id === undefined ? "secretAccessKey" : "accessKeyId")}: give ${s.name("accessKeyId")} and ${s.name("secretAccessKey")} together`);
      const pair = { accessKeyId: text(id, s.name("accessKeyId")).trim(), secretAccessKey: text(secret, s.name("secretAccessKey")) };
      if (pair.accessKeyId === "" || pair.secretAccessKey === "") throw new ConfigError(`${s.name("accessKeyId")}: the key id and the secret must not be empty`);
      credentials = [pair];
      break;
    }
    if (s.settings.credentials !== undefined) {
      credentials = credentialsList(s.settings.credentials, s.name("credentials"));
      break;
    }
  }

  const config: SesLocalConfig = {
    host,
    smtpPort: pick("smtpPort", port, SES_LOCAL_DEFAULTS.smtpPort),
    httpPort: pick("httpPort", port, SES_LOCAL_DEFAULTS.httpPort),
    dataDir,
    outbox: pick("outbox", path, resolve(dataDir, "outbox")),
    domains,
    identities,
    credentials: credentials ?? [{ accessKeyId: SES_LOCAL_DEFAULTS.accessKeyId, secretAccessKey: SES_LOCAL_DEFAULTS.secretAccessKey }],
    rate: pick("rate", rate, SES_LOCAL_DEFAULTS.rate),
    maxRequestSize: pick("maxRequestSize", parseSize, SES_LOCAL_DEFAULTS.maxRequestSize),
    maxMessageSize: pick("maxMessageSize", parseSize, SES_LOCAL_DEFAULTS.maxMessageSize),
    region: pick("region", (v, w) => {
      const s = text(v, w).trim();
      if (!/^[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}$/.test(s)) throw new ConfigError(`${w}: ${JSON.stringify(s)} is not an AWS region name like us-east-1`);
      return s;
    }, SES_LOCAL_DEFAULTS.region),
    renderProfile: pick("renderProfile", (v, w) => {
      const s = text(v, w).trim();
      if (s !== "ses" && s !== "default") throw new ConfigError(`${w}: ${JSON.stringify(s)} is not a render profile: ses (what SES sends) or default (dsnkit's RFC-clean layout)`);
      return s;
    }, SES_LOCAL_DEFAULTS.renderProfile),
    lambdas: pick("lambdas", lambdaMappings, {}),
    lambdaTimeout: pick("lambdaTimeout", seconds, SES_LOCAL_DEFAULTS.lambdaTimeout),
    lambdaRetryDelays: pick("lambdaRetryDelays", retryDelays, [...SES_LOCAL_DEFAULTS.lambdaRetryDelays]),
  };
  const relay = pick<RelayOptions | undefined>("relay", (v, w) => {
    try {
      return parseRelayUrl(text(v, w));
    } catch (e) {
      throw new ConfigError(`${w}: ${(e as Error).message}`);
    }
  }, undefined);
  if (relay !== undefined) config.relay = relay;
  const nameOf = (key: keyof SettingsInput): string => (sourceOf(key) ?? sources[0]!).name(key);
  return { config, nameOf };
}
