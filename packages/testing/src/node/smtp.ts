/**
 * A small SMTP server and client, just what the probe needs: the server answers each command as
 * it is told (any code, enhanced code and multi-line text) and records the conversation; the
 * client sends exactly the commands it is given. Loopback tools for tests, not mail software.
 *
 * @module
 */
import { connect, createServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";
import type { TranscriptLine } from "../probe/run.js";
import type { ReplySpec } from "../probe/scenario.js";

/** The lines of a reply, as written on the wire (without CRLF). */
export function replyLines(reply: ReplySpec): string[] {
  const lines = reply.lines.length === 0 ? [""] : reply.lines;
  return lines.map((text, i) => {
    const sep = i < lines.length - 1 ? "-" : " ";
    const body = reply.enhanced !== undefined ? `${reply.enhanced}${text === "" ? "" : " " + text}` : text;
    return `${reply.code}${sep}${body}`.trimEnd();
  });
}

/** Splits a buffer into CRLF (or LF) terminated lines; returns the lines and what is left. */
function takeLines(buf: Buffer): { lines: Buffer[]; rest: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const lf = buf.indexOf(0x0a, start);
    if (lf < 0) break;
    const end = lf > start && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    lines.push(buf.subarray(start, end));
    start = lf + 1;
  }
  return { lines, rest: buf.subarray(start) };
}

/** One SMTP transaction the server took part in: the envelope, the message, and the conversation. */
export interface ServerTransaction {
  session: number;
  mailFrom: string;
  mailParams: string;
  rcptTo: string[];
  /** Replies given to each RCPT, in order, for every RCPT (accepted or not). */
  rcpts: { address: string; params: string; reply: ReplySpec }[];
  raw?: Uint8Array;
  dataReply?: ReplySpec;
  transcript: TranscriptLine[];
}

/** How a {@link SmtpServer} answers. */
export interface SmtpServerHandlers {
  /** The reply to RCPT TO:<address>. */
  rcpt(address: string, params: string, t: ServerTransaction): ReplySpec;
  /** The reply to the end of DATA. */
  data(raw: Uint8Array, t: ServerTransaction): ReplySpec;
  /** Called when a transaction ends (after its DATA reply, RSET, a new MAIL or the end of the session). */
  done?(t: ServerTransaction): void;
}

/** Options of {@link startSmtpServer}. */
export interface SmtpServerOptions {
  host: string;
  port: number;
  /** The name in the greeting and the EHLO reply. */
  name: string;
  /** EHLO keywords (after the name). */
  extensions: readonly string[];
  /** Largest message accepted, in octets. */
  maxMessage: number;
  /** Close a connection idle this long (ms). */
  idleTimeout: number;
  handlers: SmtpServerHandlers;
}

/** A running {@link startSmtpServer}. */
export interface SmtpServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const OK: ReplySpec = { code: 250, lines: ["OK"] };

/** Parses `<path> params` after `MAIL FROM:` or `RCPT TO:`. */
function parsePath(arg: string): { path: string; params: string } | undefined {
  const s = arg.trimStart();
  if (!s.startsWith("<")) {
    const sp = s.indexOf(" ");
    return sp < 0 ? { path: s, params: "" } : { path: s.slice(0, sp), params: s.slice(sp + 1).trim() };
  }
  // A quoted local part may hold ">": find the closing bracket outside quotes.
  let quoted = false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ">" && !quoted) return { path: s.slice(1, i), params: s.slice(i + 1).trim() };
  }
  return undefined;
}

/**
 * Starts an SMTP server on `host:port` (0 picks a free port) that answers RCPT and DATA through
 * `handlers` and everything else with a plain 250 (or 500 for what it does not know).
 */
export async function startSmtpServer(o: SmtpServerOptions): Promise<SmtpServer> {
  const sockets = new Set<Socket>();
  let sessions = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(o.idleTimeout, () => socket.destroy());
    const session = ++sessions;
    let buf: Buffer = Buffer.alloc(0);
    let t: ServerTransaction | undefined;
    let data: Buffer[] | undefined;
    let dataSize = 0;
    const send = (reply: ReplySpec) => {
      const lines = replyLines(reply);
      for (const l of lines) t?.transcript.push({ dir: "S", text: l });
      socket.write(lines.map((l) => l + "\r\n").join(""));
    };
    const end = () => {
      if (t !== undefined) o.handlers.done?.(t);
      t = undefined;
    };
    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(4);
      if (t !== undefined && verb !== "MAIL") t.transcript.push({ dir: "C", text: line });
      if (verb === "EHLO") send({ code: 250, lines: [o.name, ...o.extensions] });
      else if (verb === "HELO") send({ code: 250, lines: [o.name] });
      else if (verb === "MAIL") {
        end();
        const p = /^ FROM:/i.test(arg) ? parsePath(arg.slice(6)) : undefined;
        if (p === undefined) return send({ code: 501, enhanced: "5.5.4", lines: ["Syntax: MAIL FROM:<address>"] });
        t = { session, mailFrom: p.path, mailParams: p.params, rcptTo: [], rcpts: [], transcript: [{ dir: "C", text: line }] };
        send(OK);
      } else if (verb === "RCPT") {
        if (t === undefined) return send({ code: 503, enhanced: "5.5.1", lines: ["MAIL first"] });
        const p = /^ TO:/i.test(arg) ? parsePath(arg.slice(4)) : undefined;
        if (p === undefined) return send({ code: 501, enhanced: "5.5.4", lines: ["Syntax: RCPT TO:<address>"] });
        const reply = o.handlers.rcpt(p.path, p.params, t);
        t.rcpts.push({ address: p.path, params: p.params, reply });
        if (reply.code < 300) t.rcptTo.push(p.path);
        send(reply);
      } else if (verb === "DATA") {
        if (t === undefined || t.rcptTo.length === 0) return send({ code: 503, enhanced: "5.5.1", lines: ["RCPT first"] });
        data = [];
        dataSize = 0;
        send({ code: 354, lines: ["End data with <CR><LF>.<CR><LF>"] });
      } else if (verb === "RSET") {
        end();
        send(OK);
      } else if (verb === "NOOP") send(OK);
      else if (verb === "QUIT") {
        end();
        socket.end("221 2.0.0 Bye\r\n");
      } else send({ code: 500, enhanced: "5.5.2", lines: ["Command not recognized"] });
    };
    socket.on("data", (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const { lines, rest } = takeLines(buf);
      buf = Buffer.from(rest);
      for (const l of lines) {
        if (socket.destroyed) return;
        if (data !== undefined) {
          if (l.length === 1 && l[0] === 0x2e) {
            const raw = new Uint8Array(Buffer.concat(data));
            data = undefined;
            const tr = t!;
            tr.transcript.push({ dir: "C", text: `(the message: ${raw.length} octets)` }, { dir: "C", text: "." });
            if (raw.length > o.maxMessage) {
              tr.dataReply = { code: 552, enhanced: "5.3.4", lines: ["Message too big"] };
            } else {
              tr.raw = raw;
              tr.dataReply = o.handlers.data(raw, tr);
            }
            send(tr.dataReply);
            end();
            continue;
          }
          // RFC 5321 §4.5.2: remove the leading dot of a stuffed line.
          const body = l.length > 0 && l[0] === 0x2e ? l.subarray(1) : l;
          dataSize += body.length + 2;
          if (dataSize <= o.maxMessage + 1024) data.push(Buffer.from(body), Buffer.from("\r\n"));
          continue;
        }
        command(l.toString("utf8"));
      }
    });
    socket.write(`220 ${o.name} ESMTP dsnkit probe\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host: o.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- the client ----

/** A reply as the client read it. */
export interface ClientReply {
  code: number;
  lines: string[];
}

/**
 * An error of the probe's SMTP client: a refused connection, a timeout, a closed connection, or
 * an MTA that does not greet with 220. {@link probeMta} throws it when the MTA under test cannot
 * be reached.
 *
 * @example
 * try {
 *   await probeMta({ submit: "smtp://127.0.0.1:25" });
 * } catch (e) {
 *   if (e instanceof SmtpClientError) console.error(`the MTA: ${e.message}`);
 * }
 */
export class SmtpClientError extends Error {
  override readonly name = "SmtpClientError";
}

/**
 * One SMTP connection to the MTA under test, commands sent one at a time, every line recorded.
 */
export class SmtpClient {
  readonly transcript: TranscriptLine[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private pending: string[] = [];
  private waiter: (() => void) | undefined;
  private closed: Error | undefined;
  /** Record lines in the transcript (off for the greeting and EHLO, which the report shows once). */
  recording = true;

  private constructor(
    private readonly socket: Socket,
    private readonly timeout: number,
  ) {
    socket.on("data", (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      const { lines, rest } = takeLines(this.buf);
      this.buf = Buffer.from(rest);
      for (const l of lines) this.pending.push(l.toString("utf8"));
      this.wake();
    });
    socket.on("close", () => {
      this.closed ??= new SmtpClientError("the server closed the connection");
      this.wake();
    });
    socket.on("error", (e) => {
      this.closed = new SmtpClientError(e.message);
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Connects to `host:port` within `timeout` ms. */
  static connect(host: string, port: number, timeout: number): Promise<SmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpClientError(`no connection to ${host}:${port} within ${timeout} ms`));
      }, timeout);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new SmtpClient(socket, timeout));
      });
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(new SmtpClientError(`cannot connect to ${host}:${port}: ${e.message}`));
      });
    });
  }

  /** Reads one reply (all its lines). */
  async reply(): Promise<ClientReply> {
    const lines: string[] = [];
    const deadline = Date.now() + this.timeout;
    for (;;) {
      while (this.pending.length > 0) {
        const l = this.pending.shift()!;
        lines.push(l);
        if (this.recording) this.transcript.push({ dir: "S", text: l });
        if (!/^\d{3}-/.test(l)) {
          const code = Number(l.slice(0, 3));
          if (!Number.isInteger(code) || code < 200) throw new SmtpClientError(`not an SMTP reply: ${JSON.stringify(l)}`);
          return { code, lines };
        }
      }
      if (this.closed !== undefined) throw this.closed;
      const left = deadline - Date.now();
      if (left <= 0) throw new SmtpClientError(`no reply within ${this.timeout} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends one command line and reads its reply. */
  async command(line: string): Promise<ClientReply> {
    if (this.recording) this.transcript.push({ dir: "C", text: line });
    this.socket.write(line + "\r\n");
    return this.reply();
  }

  /** Sends a message (CRLF line ends) dot-stuffed, then the final dot, and reads the reply. */
  async message(text: string, summary: TranscriptLine[]): Promise<ClientReply> {
    const stuffed = text.replace(/(^|\r\n)\./g, "$1..");
    this.transcript.push(...summary, { dir: "C", text: "." });
    this.socket.write(stuffed + (stuffed.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
    return this.reply();
  }

  /** Sends QUIT (when the connection is still open) and closes. */
  async close(): Promise<void> {
    if (this.closed === undefined && !this.socket.destroyed) {
      try {
        this.recording = false;
        await this.command("QUIT");
      } catch {
        // the server may close first
      }
    }
    this.socket.destroy();
  }
}
