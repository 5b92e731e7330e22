/**
 * {@link startSesLocal}: the whole emulator (store, outbox, relay, SMTP and HTTP listeners) in one
 * call, for the `dsnkit ses-local` command, tests and programs that embed it.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { Server as NetServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import type { Server } from "node:http";
import type { SMTPServer } from "smtp-server";
import { SES_LOCAL_DEFAULTS } from "./config.js";
import type { SesLocalConfig } from "./config.js";
import { createHttpServer } from "./http.js";
import { ownAddressOf } from "./bounce.js";
import { sesMessageIdSequence } from "./ids.js";
import { LambdaRunner, functionName, functionRegion } from "./lambda.js";
import { Outbox } from "./outbox.js";
import { RateLimiter } from "./rate.js";
import { ReceiptRules, refusedRecipient } from "./receipt.js";
import { Relay, parseRelayUrl } from "./relay.js";
import type { RelayOptions } from "./relay.js";
import { createSmtpServer } from "./smtp.js";
import { SesLocalStore } from "./store.js";
import type { BounceSummary, MessageSummary, StoredBounce, StoredMessage } from "./store.js";
import type { Credentials } from "./sigv4.js";

/**
 * Options of {@link startSesLocal}: any {@link SesLocalConfig} setting (the rest take
 * {@link SES_LOCAL_DEFAULTS}), plus hooks for tests and embedding.
 *
 * @example
 * const options: SesLocalOptions = { smtpPort: 0, httpPort: 0, dataDir: "/tmp/ses-local", rate: 0 };
 */
export interface SesLocalOptions extends Partial<Omit<SesLocalConfig, "relay">> {
  /** Where to relay bounces: options or a URL such as `smtp://127.0.0.1:1025`. */
  relay?: RelayOptions | string;
  /**
   * The emulator's clock: message arrival times, the 24-hour rule and the bounce's Date. Default:
   * the machine's. SigV4 dates are always checked against the machine's clock, which clients sign
   * with.
   */
  clock?: () => Date;
  /** Where log lines go (one per message, bounce and relay). Default: nowhere. */
  log?: (line: string) => void;
  /** Where problems go (internal errors, failed writes, relay failures). Default: `log`. */
  warn?: (line: string) => void;
}

/**
 * A running emulator.
 *
 * @example
 * const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir });
 * ses.endpoint;
 * //=> "http://127.0.0.1:40123"
 * await ses.close();
 */
export interface SesLocal {
  /** The SMTP port listened on (the actual one when 0 was asked). */
  smtpPort: number;
  /** The HTTP (SES API) port listened on. */
  httpPort: number;
  host: string;
  /** The SES endpoint URL: give it to the SDK (`endpoint`) or the CLI (`--endpoint-url`). */
  endpoint: string;
  /** The settings in force. */
  config: SesLocalConfig;
  /** The store file. */
  storePath: string;
  /** Received messages, oldest first, without their bytes. */
  messages(): MessageSummary[];
  /** A received message with its bytes. */
  message(messageId: string): StoredMessage | undefined;
  /** Accepted bounces, oldest first, without their bytes. */
  bounces(): BounceSummary[];
  /** An accepted bounce with its bytes. */
  bounce(bounceId: string): StoredBounce | undefined;
  /** The outbox file of a bounce. */
  outboxPath(bounceId: string): string;
  /** Where receipt rules' S3 actions write: `<s3Dir>/<bucket>/<key>`. */
  s3Dir: string;
  /** The receipt rule sets, in the order they were created: name, creation time, number of rules, whether it is the active one. */
  ruleSets(): { name: string; created: Date; rules: number; active: boolean }[];
  /** Function ARNs that Lambda actions of stored rules call but no handler is mapped to (their invocations will fail). */
  unmappedFunctions(): string[];
  /** Resolves once the receipt rules of every message received so far have run (and the `Event` Lambda invocations they started have ended). */
  idle(): Promise<void>;
  /** Stops listening, waits for requests in progress, and closes the store. Safe to call twice. */
  close(): Promise<void>;
}

/** Listen errors that are the host's fault (no such name, not an address of this machine), not the port's. */
const HOST_ERRORS: Readonly<Record<string, string>> = {
  ENOTFOUND: "no such host",
  EAI_NONAME: "no such host",
  EAI_FAIL: "the name could not be resolved",
  EAI_AGAIN: "the name could not be resolved (temporary failure)",
  EADDRNOTAVAIL: "it is not an address of this machine",
  EAFNOSUPPORT: "this machine does not support that address family",
};

function listen(server: Server | SMTPServer, port: number, host: string, what: "smtpPort" | "httpPort"): Promise<number> {
  const net: NetServer = "server" in server && !(server instanceof NetServer) ? server.server : (server as Server);
  return new Promise((resolvePort, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      net.off("listening", onListening);
      const code = err.code ?? "";
      if (Object.prototype.hasOwnProperty.call(HOST_ERRORS, code)) {
        reject(Object.assign(new Error(`host: cannot listen on ${host}: ${HOST_ERRORS[code]} (${code})`), { code, setting: "host" }));
        return;
      }
      const why = code === "EADDRINUSE" ? "the address is in use" : code === "EACCES" ? "permission denied" : err.message;
      reject(Object.assign(new Error(`${what}: cannot listen on ${host}:${port}: ${why}`), { code: err.code, setting: what }));
    };
    const onListening = () => {
      net.off("error", onError);
      resolvePort((net.address() as AddressInfo).port);
    };
    net.once("error", onError);
    net.once("listening", onListening);
    server.listen(port, host);
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((done) => {
    if (!server.listening) return done();
    server.close(() => done());
    server.closeIdleConnections();
  });
}

function closeSmtp(server: SMTPServer): Promise<void> {
  return new Promise((done) => {
    if (!server.server.listening) return done();
    server.close(() => done());
  });
}

function isDomain(identity: string): boolean {
  return !identity.includes("@");
}

/**
 * Starts the emulator: opens (or creates) the store in `dataDir`, verifies the configured
 * identities and named domains, writes any outbox file missing for a stored bounce, resumes
 * pending relays, and listens for SMTP and HTTP.
 *
 * @throws {Error} when the store cannot be opened or a port cannot be listened on; nothing is
 *   left running. A listen error's `setting` is the one at fault: `smtpPort` or `httpPort` for a
 *   port in use or not allowed (EADDRINUSE, EACCES), `host` for a host that cannot be resolved or
 *   is not an address of this machine (ENOTFOUND, EAI_AGAIN, EADDRNOTAVAIL); its `code` is Node's.
 * @example
 * const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: "/tmp/ses-local", identities: ["example.com"] });
 * console.log(`SMTP on ${ses.smtpPort}, SES API at ${ses.endpoint}`);
 * await ses.close();
 */
export async function startSesLocal(options: SesLocalOptions = {}): Promise<SesLocal> {
  const dataDir = resolve(options.dataDir ?? SES_LOCAL_DEFAULTS.dataDir);
  const credentials: Credentials[] = options.credentials ?? [
    { accessKeyId: SES_LOCAL_DEFAULTS.accessKeyId, secretAccessKey: SES_LOCAL_DEFAULTS.secretAccessKey },
  ];
  const config: SesLocalConfig = {
    host: options.host ?? SES_LOCAL_DEFAULTS.host,
    smtpPort: options.smtpPort ?? SES_LOCAL_DEFAULTS.smtpPort,
    httpPort: options.httpPort ?? SES_LOCAL_DEFAULTS.httpPort,
    dataDir,
    outbox: resolve(options.outbox ?? join(dataDir, "outbox")),
    domains: [...(options.domains ?? SES_LOCAL_DEFAULTS.domains)],
    identities: [...(options.identities ?? SES_LOCAL_DEFAULTS.identities)],
    credentials,
    rate: options.rate ?? SES_LOCAL_DEFAULTS.rate,
    maxRequestSize: options.maxRequestSize ?? SES_LOCAL_DEFAULTS.maxRequestSize,
    maxMessageSize: options.maxMessageSize ?? SES_LOCAL_DEFAULTS.maxMessageSize,
    region: options.region ?? SES_LOCAL_DEFAULTS.region,
    renderProfile: options.renderProfile ?? SES_LOCAL_DEFAULTS.renderProfile,
    lambdas: Object.fromEntries(Object.entries(options.lambdas ?? {}).map(([arn, target]) => [arn, /^https?:\/\//i.test(target) ? target : resolve(target)])),
    lambdaTimeout: options.lambdaTimeout ?? SES_LOCAL_DEFAULTS.lambdaTimeout,
    lambdaRetryDelays: [...(options.lambdaRetryDelays ?? SES_LOCAL_DEFAULTS.lambdaRetryDelays)],
  };
  if (options.relay !== undefined) config.relay = typeof options.relay === "string" ? parseRelayUrl(options.relay) : options.relay;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const warn = options.warn ?? log;

  await mkdir(dataDir, { recursive: true });
  const storePath = join(dataDir, "ses-local.db");
  const store = SesLocalStore.open(storePath);
  let relay: Relay | undefined;
  let smtp: SMTPServer | undefined;
  let http: Server | undefined;
  let endpoint = "";
  // Each function runs with ses-local's environment and what Lambda gives a function: its region,
  // its name, credentials (ses-local's first key pair, in place of an execution role's) and the
  // SES endpoint, so that the AWS SDK in the function calls this emulator.
  const lambdas = new LambdaRunner({
    functions: new Map(Object.entries(config.lambdas)),
    timeoutMs: config.lambdaTimeout * 1000,
    log,
    warn,
    env: (arn) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^AWS_(?:PROFILE|SESSION_TOKEN|SECURITY_TOKEN|ENDPOINT_URL_SES)$/.test(k)) env[k] = v;
      const region = functionRegion(arn);
      return {
        ...env,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_LAMBDA_FUNCTION_NAME: functionName(arn),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
        AWS_ACCESS_KEY_ID: credentials[0]!.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials[0]!.secretAccessKey,
        AWS_ENDPOINT_URL_SES: endpoint,
      };
    },
  });
  let rules: ReceiptRules | undefined;
  try {
    const outbox = await Outbox.open(config.outbox);
    const stale = outbox.removedTemporaryFiles.length;
    if (stale > 0) log(`outbox: removed ${stale} temporary file${stale === 1 ? "" : "s"} left by a crash`);
    const now = clock();
    for (const d of config.domains) if (d !== "*" && !d.startsWith("*.")) store.addIdentity(d, "Domain", now);
    for (const i of config.identities) store.addIdentity(isDomain(i) ? i.toLowerCase() : i, isDomain(i) ? "Domain" : "EmailAddress", now);

    // The outbox is derived from the store: rewrite what a crash between commit and write lost.
    for (const b of store.listBounces()) {
      if (!(await outbox.has(b.bounceId))) {
        await outbox.write(b.bounceId, store.getBounce(b.bounceId)!.raw);
        log(`outbox: rewrote ${b.bounceId}.eml from the store`);
      }
    }
    if (config.relay !== undefined) {
      relay = new Relay(store, config.relay, log, warn);
      relay.start();
    }

    const newId = sesMessageIdSequence();
    const ctx = {
      store,
      outbox,
      limiter: new RateLimiter(config.rate),
      clock,
      newId,
      renderProfile: config.renderProfile,
      ownAddress: ownAddressOf(config.host),
      log,
      warn,
      credentials,
      maxRequestSize: config.maxRequestSize,
      hasFunction: (arn: string) => lambdas.has(arn),
      ...(relay !== undefined ? { relay } : {}),
    };
    const s3Dir = join(dataDir, "s3");
    const receiptRules = new ReceiptRules({ ...ctx, region: config.region, s3Dir, lambdas, eventRetryDelaysMs: config.lambdaRetryDelays.map((s) => s * 1000) });
    rules = receiptRules;
    smtp = createSmtpServer({
      store,
      clock,
      newId,
      domains: config.domains,
      maxMessageSize: config.maxMessageSize,
      region: config.region,
      log,
      warn,
      refuseRecipient: (address) => refusedRecipient(store, address),
      received: (message) => receiptRules.process(message),
    });
    // smtp-server re-emits its listener's errors: a failure to listen is reported by listen()
    // below (the caller prints it), so only errors once it listens are logged here.
    let smtpListening = false;
    smtp.on("error", (err: Error) => {
      if (smtpListening) warn(`smtp: ${err.message}`);
    });
    http = createHttpServer(ctx);
    http.on("clientError", (_err, socket) => socket.destroy());
    const smtpPort = await listen(smtp, config.smtpPort, config.host, "smtpPort");
    smtpListening = true;
    const httpPort = await listen(http, config.httpPort, config.host, "httpPort");
    const hostInUrl = config.host.includes(":") ? `[${config.host}]` : config.host;
    endpoint = `http://${hostInUrl}:${httpPort}`;

    let closing: Promise<void> | undefined;
    const smtpServer = smtp;
    const httpServer = http;
    const relayQueue = relay;
    return {
      smtpPort,
      httpPort,
      host: config.host,
      endpoint,
      config: { ...config, smtpPort, httpPort },
      storePath,
      messages: () => store.listMessages(),
      message: (id) => store.getMessage(id),
      bounces: () => store.listBounces(),
      bounce: (id) => store.getBounce(id),
      outboxPath: (id) => outbox.pathOf(id),
      s3Dir,
      ruleSets: () => {
        const active = store.activeRuleSet();
        return store.listRuleSets().map((r) => ({ ...r, active: r.name === active }));
      },
      unmappedFunctions: () => {
        const arns = new Set<string>();
        for (const { name } of store.listRuleSets())
          for (const rule of store.getRuleSet(name)?.rules ?? [])
            for (const action of rule.Actions) if ("LambdaAction" in action && action.LambdaAction.FunctionArn !== undefined && !lambdas.has(action.LambdaAction.FunctionArn)) arns.add(action.LambdaAction.FunctionArn);
        return [...arns];
      },
      idle: () => receiptRules.idle(),
      close: () =>
        (closing ??= (async () => {
          // Mail stops first and the rules' functions are stopped, then the API (which a function
          // may still be calling) and the relay, then the store.
          await Promise.all([closeSmtp(smtpServer), receiptRules.close()]);
          await closeHttp(httpServer);
          await relayQueue?.close();
          await store.close();
        })()),
    };
  } catch (e) {
    await (rules?.close() ?? lambdas.close());
    if (smtp !== undefined) await closeSmtp(smtp);
    if (http !== undefined) await closeHttp(http);
    await relay?.close();
    await store.close();
    throw e;
  }
}
