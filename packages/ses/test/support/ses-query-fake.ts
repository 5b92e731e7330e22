/**
 * A scripted stand-in for the SES query-protocol endpoint, for tests only: it listens on
 * 127.0.0.1 on an ephemeral port, records every request (arrival time, headers, the raw and
 * decoded form body) and answers each one from a script. It checks nothing (no signature, no SES
 * rules): it is a test double, not an emulator.
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

/** One request as the server saw it. */
export interface RecordedRequest {
  /** `performance.now()` when the request's body had fully arrived. */
  at: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  body: string;
  /** The body decoded as application/x-www-form-urlencoded, in wire order. */
  form: [string, string][];
}

/** How to answer one request. */
export type Reply =
  /** `<SendBounceResponse>` with this MessageId (default `fake-<n>`, n counting from 1), after `delayMs`. */
  | { kind: "success"; messageId?: string; headers?: Record<string, string>; delayMs?: number }
  /** `<ErrorResponse>` with Type, Code and Message, at this HTTP status (default 400). */
  | { kind: "error"; code: string; message: string; status?: number; type?: "Sender" | "Receiver"; headers?: Record<string, string> }
  /** Any status and body, as given. */
  | { kind: "raw"; status: number; body: string; headers?: Record<string, string> }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { kind: "hang" };

/** Answers request `index` (0-based). */
export type Script = (request: RecordedRequest, index: number) => Reply;

/** A running fake; `close()` it in afterEach/afterAll. */
export interface SesQueryFake {
  /** `http://127.0.0.1:<port>`, for `new SESClient({ endpoint })`. */
  readonly endpoint: string;
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Replaces the script (requests already answered keep their answers). */
  setScript(script: Script | Reply[]): void;
  /** Stops listening and drops every open connection, answered or not. */
  close(): Promise<void>;
}

const XMLNS = "http://ses.amazonaws.com/doc/2010-12-01/";

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function toScript(script: Script | Reply[]): Script {
  if (typeof script === "function") return script;
  return (_request, index) => script[index] ?? { kind: "success" };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function answer(res: ServerResponse, reply: Reply, n: number): void {
  const requestId = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  switch (reply.kind) {
    case "hang":
      return;
    case "raw":
      return send(res, reply.status, reply.body, reply.headers);
    case "success":
      return send(
        res,
        200,
        `<SendBounceResponse xmlns="${XMLNS}">\n  <SendBounceResult>\n    <MessageId>${escapeXml(reply.messageId ?? `fake-${n}`)}</MessageId>\n  </SendBounceResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</SendBounceResponse>\n`,
        reply.headers,
      );
    case "error":
      return send(
        res,
        reply.status ?? 400,
        `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>${reply.type ?? "Sender"}</Type>\n    <Code>${escapeXml(reply.code)}</Code>\n    <Message>${escapeXml(reply.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
        reply.headers,
      );
  }
}

/**
 * Starts a fake on 127.0.0.1:0. The script is a function of the request and its index, or a list
 * of replies (requests past its end succeed).
 */
export async function startSesQueryFake(script: Script | Reply[] = []): Promise<SesQueryFake> {
  let current = toScript(script);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const recorded: RecordedRequest = {
        at: performance.now(),
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        form: [...new URLSearchParams(body)],
      };
      const index = requests.length;
      requests.push(recorded);
      const reply = current(recorded, index);
      if (reply.kind === "success" && reply.delayMs !== undefined) {
        const timer = setTimeout(() => answer(res, reply, index + 1), reply.delayMs);
        res.on("close", () => clearTimeout(timer));
      } else answer(res, reply, index + 1);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    setScript(next) {
      current = toScript(next);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
