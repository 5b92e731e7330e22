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
import { Outbox } from "./outbox.js";
import { RateLimiter } from "./rate.js";
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
  try {
    const outbox = await Outbox.open(config.outbox);
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
    smtp = createSmtpServer({ store, clock, newId, domains: config.domains, maxMessageSize: config.maxMessageSize, region: config.region, log, warn });
    // smtp-server re-emits its listener's errors: a failure to listen is reported by listen()
    // below (the caller prints it), so only errors once it listens are logged here.
    let smtpListening = false;
    smtp.on("error", (err: Error) => {
      if (smtpListening) warn(`smtp: ${err.message}`);
    });
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
      ...(relay !== undefined ? { relay } : {}),
    };
    http = createHttpServer(ctx);
    http.on("clientError", (_err, socket) => socket.destroy());
    const smtpPort = await listen(smtp, config.smtpPort, config.host, "smtpPort");
    smtpListening = true;
    const httpPort = await listen(http, config.httpPort, config.host, "httpPort");
    const hostInUrl = config.host.includes(":") ? `[${config.host}]` : config.host;

    let closing: Promise<void> | undefined;
    const smtpServer = smtp;
    const httpServer = http;
    const relayQueue = relay;
    return {
      smtpPort,
      httpPort,
      host: config.host,
      endpoint: `http://${hostInUrl}:${httpPort}`,
      config: { ...config, smtpPort, httpPort },
      storePath,
      messages: () => store.listMessages(),
      message: (id) => store.getMessage(id),
      bounces: () => store.listBounces(),
      bounce: (id) => store.getBounce(id),
      outboxPath: (id) => outbox.pathOf(id),
      close: () =>
        (closing ??= (async () => {
          await Promise.all([closeSmtp(smtpServer), closeHttp(httpServer)]);
          await relayQueue?.close();
          await store.close();
        })()),
    };
  } catch (e) {
    if (smtp !== undefined) await closeSmtp(smtp);
    if (http !== undefined) await closeHttp(http);
    await relay?.close();
    await store.close();
    throw e;
  }
}
