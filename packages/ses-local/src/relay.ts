/**
 * Relaying accepted bounces to an SMTP server with a null reverse-path (`MAIL FROM:<>`, RFC 5321
 * §4.5.5), one at a time, retrying transient failures. Progress is kept in the store, so bounces
 * still pending when the emulator stops are relayed when it starts again.
 *
 * @module
 */
import SMTPConnection from "nodemailer/lib/smtp-connection";
import type { SesLocalStore } from "./store.js";

/**
 * Where to relay bounces.
 *
 * @example
 * const relay: RelayOptions = { host: "127.0.0.1", port: 1025 };
 */
export interface RelayOptions {
  host: string;
  port: number;
  /** Implicit TLS (`smtps://`). Default false: plain SMTP, upgraded with STARTTLS when offered. */
  secure?: boolean;
  /** Credentials for SMTP AUTH. */
  auth?: { user: string; pass: string };
  /** Delays between attempts, in milliseconds; their count is the number of retries. Default 1 s, 5 s, 30 s, 2 min, 10 min. */
  retryDelaysMs?: readonly number[];
  /** Seconds before an unresponsive server is given up for this attempt. Default 30. */
  timeoutSeconds?: number;
}

/**
 * Reads a relay URL: `smtp://[user:pass@]host[:port]` (port 25 by default) or
 * `smtps://[user:pass@]host[:port]` (465), or a bare `host:port`.
 *
 * @throws {RangeError} naming what is wrong.
 * @example
 * parseRelayUrl("smtp://127.0.0.1:1025");
 * //=> { host: "127.0.0.1", port: 1025, secure: false }
 */
export function parseRelayUrl(spec: string): RelayOptions {
  const text = spec.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `smtp://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RangeError(`${JSON.stringify(spec)} is not an SMTP URL like smtp://127.0.0.1:1025`);
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    throw new RangeError(`${JSON.stringify(spec)}: the scheme must be smtp:// or smtps://, not ${url.protocol}//`);
  if (url.hostname === "") throw new RangeError(`${JSON.stringify(spec)} has no host`);
  if ((url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "")
    throw new RangeError(`${JSON.stringify(spec)}: an SMTP URL has only a host and a port`);
  const secure = url.protocol === "smtps:";
  const port = url.port === "" ? (secure ? 465 : 25) : Number(url.port);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const options: RelayOptions = { host, port, secure };
  if (url.username !== "") options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  return options;
}

const DEFAULT_DELAYS = [1_000, 5_000, 30_000, 120_000, 600_000];

/**
 * Sends one message with the null reverse-path over a fresh connection.
 *
 * @returns the server's final reply.
 * @throws {Error} with `responseCode` when the server refuses, or a network error.
 */
function sendOnce(options: RelayOptions, to: readonly string[], raw: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const timeout = (options.timeoutSeconds ?? 30) * 1000;
    const connection = new SMTPConnection({
      host: options.host,
      port: options.port,
      secure: options.secure === true,
      name: "ses-local",
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // A development relay (Mailpit, MailHog, smtp4dev, Postfix on loopback) has no
      // certificate a client could check.
      tls: { rejectUnauthorized: false },
    });
    let settled = false;
    const finish = (err: Error | undefined, reply?: string) => {
      if (settled) return;
      settled = true;
      if (err) {
        connection.close();
        reject(err);
      } else {
        connection.quit();
        resolve(reply ?? "");
      }
    };
    connection.once("error", (err: Error) => finish(err));
    connection.connect((err) => {
      if (err) return finish(err);
      const send = () =>
        connection.send({ from: false, to: [...to] }, raw, (sendErr, info) => {
          if (sendErr) return finish(sendErr);
          if (info.rejected.length > 0) return finish(Object.assign(new Error(`the relay refused ${info.rejected.join(", ")}: ${info.response}`), { responseCode: 550 }));
          finish(undefined, info.response);
        });
      if (options.auth !== undefined) connection.login({ user: options.auth.user, pass: options.auth.pass }, (loginErr) => (loginErr ? finish(loginErr) : send()));
      else send();
    });
  });
}

/**
 * The relay queue: {@link Relay.enqueue} a bounce that is stored with relay state `pending`; it is
 * sent in the background, and the outcome recorded in the store (`sent`, or `failed` after a
 * permanent refusal or the last retry).
 *
 * @example
 * const relay = new Relay(store, { host: "127.0.0.1", port: 1025 });
 * relay.start(); // picks up bounces left pending by an earlier run
 * relay.enqueue(bounceId);
 * await relay.close();
 */
export class Relay {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: SesLocalStore,
    readonly options: RelayOptions,
    private readonly log: (line: string) => void = () => undefined,
    private readonly warn: (line: string) => void = log,
  ) {}

  /**
   * Queues every bounce the store has as pending (from an earlier run).
   *
   * @example
   * relay.start();
   */
  start(): void {
    for (const id of this.store.pendingRelays()) this.enqueue(id);
  }

  /**
   * Queues a stored bounce for relaying.
   *
   * @example
   * relay.enqueue(bounceId);
   */
  enqueue(bounceId: string): void {
    if (this.closed || this.queued.has(bounceId)) return;
    this.queued.add(bounceId);
    this.queue.push(bounceId);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (let id = this.queue.shift(); id !== undefined && !this.closed; id = this.queue.shift()) {
      this.queued.delete(id);
      await this.attempt(id);
    }
  }

  private async attempt(bounceId: string): Promise<void> {
    const bounce = this.store.getBounce(bounceId);
    if (bounce === undefined || bounce.relay.state !== "pending") return;
    const attempts = bounce.relay.attempts + 1;
    const target = `${this.options.host}:${this.options.port}`;
    try {
      const reply = await sendOnce(this.options, bounce.rcptTo, bounce.raw);
      this.store.recordRelay(bounceId, { state: "sent", attempts, relayedAt: new Date() });
      this.log(`relayed bounce ${bounceId} to ${target} (MAIL FROM:<> RCPT TO:<${bounce.rcptTo.join(">, <")}>): ${reply}`);
    } catch (e) {
      const err = e as Error & { responseCode?: number };
      const delays = this.options.retryDelaysMs ?? DEFAULT_DELAYS;
      const permanent = typeof err.responseCode === "number" && err.responseCode >= 500;
      const error = `${err.message}${typeof err.responseCode === "number" ? ` (reply ${err.responseCode})` : ""}`;
      if (permanent || attempts > delays.length) {
        this.store.recordRelay(bounceId, { state: "failed", attempts, error });
        this.warn(`relaying bounce ${bounceId} to ${target} failed for good after ${attempts} attempt(s): ${error}`);
        return;
      }
      this.store.recordRelay(bounceId, { state: "pending", attempts, error });
      const delay = delays[attempts - 1]!;
      this.warn(`relaying bounce ${bounceId} to ${target} failed (attempt ${attempts}), retrying in ${delay / 1000} s: ${error}`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.enqueue(bounceId);
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }

  /**
   * Stops relaying: waits for the attempt in progress; what is still pending stays pending in the
   * store for the next start.
   *
   * @example
   * await relay.close();
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }
}
