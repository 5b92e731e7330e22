/**
 * Shared test helpers: a temporary directory, an SMTP client (nodemailer's SMTPConnection), and
 * SES API requests signed with @smithy/signature-v4 (the JS SDK's signer) that a test can alter
 * before or after signing.
 */
import { createHash, createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";

export const ACCESS_KEY_ID = "AKIDSESLOCAL";
export const SECRET = "ses-local-secret-access-key";

export async function tempDir(prefix = "ses-local-"): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A plain message with CRLF line ends. */
export function mail(fields: { from?: string; to?: string; subject?: string; messageId?: string; body?: string; extra?: string } = {}): string {
  return (
    `From: ${fields.from ?? "Alice <alice@example.org>"}\r\n` +
    `To: ${fields.to ?? "bob@example.com"}\r\n` +
    `Subject: ${fields.subject ?? "Quarterly report"}\r\n` +
    `Date: Thu, 26 Nov 2026 09:59:50 +0000\r\n` +
    `Message-ID: ${fields.messageId ?? "<report.4242@mail.example.org>"}\r\n` +
    (fields.extra ?? "") +
    `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n` +
    (fields.body ?? "Hello, here is the report.\r\n")
  );
}

/** An open SMTP client connection; `send` may be called again and again. */
export async function smtpClient(port: number): Promise<{
  send: (from: string | false, to: string[], raw: string | Buffer) => Promise<{ response: string; accepted: string[]; rejected: string[] }>;
  close: () => void;
}> {
  const connection = new SMTPConnection({ host: "127.0.0.1", port, ignoreTLS: true, name: "client.example.org" });
  await new Promise<void>((resolve, reject) => {
    connection.once("error", reject);
    connection.connect((err) => (err ? reject(err) : resolve()));
  });
  return {
    send: (from, to, raw) =>
      new Promise((resolve, reject) =>
        connection.send({ from, to }, raw, (err, info) => (err ? reject(err) : resolve({ response: info.response, accepted: info.accepted as string[], rejected: info.rejected as string[] }))),
      ),
    close: () => connection.quit(),
  };
}

/** Sends one message over a fresh connection and returns the SES id from the reply. */
export async function deliver(port: number, raw: string, from = "alice@example.org", to: string[] = ["bob@example.com"]): Promise<string> {
  const c = await smtpClient(port);
  try {
    const { response } = await c.send(from, to, raw);
    const m = /^250 Ok (\S+)$/.exec(response);
    if (!m) throw new Error(`unexpected reply: ${response}`);
    return m[1]!;
  } finally {
    c.close();
  }
}

/** Node's SHA-256 and HMAC in the shape @smithy/signature-v4 wants, for signing test requests. */
export class Sha256 {
  private h;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", Buffer.from(secret as Uint8Array));
  }
  update(d: Uint8Array) {
    this.h.update(d);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset() {}
}

export interface ApiResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** The `<Code>` of an error response. */
  code?: string;
  message?: string;
}

export function errorParts(body: string): { code?: string; message?: string } {
  const out: { code?: string; message?: string } = {};
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  if (code !== undefined) out.code = code;
  if (message !== undefined) out.message = message.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return out;
}

/** Sends raw bytes with the given headers (nothing added but Host and Content-Length). */
export function rawHttp(port: number, method: string, path: string, headers: Record<string, string>, body: Buffer | string = ""): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers, ...errorParts(text) });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

export interface SignOptions {
  accessKeyId?: string;
  secret?: string;
  region?: string;
  service?: string;
  date?: Date;
  /** Changes the request after it was signed (to break it). */
  after?: (headers: Record<string, string>, body: { text: string }) => void;
  /** Extra headers signed with the request. */
  headers?: Record<string, string>;
  path?: string;
  /** Text appended to the form body before signing. */
  bodySuffix?: string;
}

/** An SES query request signed with SigV4 by @smithy/signature-v4. */
export async function signedCall(port: number, params: Record<string, string>, o: SignOptions = {}): Promise<ApiResponse> {
  const body = { text: new URLSearchParams({ Version: "2010-12-01", ...params }).toString() + (o.bodySuffix ?? "") };
  const signer = new SignatureV4({
    service: o.service ?? "ses",
    region: o.region ?? "us-east-1",
    credentials: { accessKeyId: o.accessKeyId ?? ACCESS_KEY_ID, secretAccessKey: o.secret ?? SECRET },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port,
      path: o.path ?? "/",
      query: {},
      headers: { host: `127.0.0.1:${port}`, "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...o.headers },
      body: body.text,
    },
    o.date !== undefined ? { signingDate: o.date } : {},
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") headers[k] = String(v);
  o.after?.(headers, body);
  return rawHttp(port, "POST", o.path ?? "/", headers, body.text);
}

/** SendBounce parameters for one recipient with a BounceType. */
export function bounceParams(originalMessageId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Action: "SendBounce",
    OriginalMessageId: originalMessageId,
    BounceSender: "mailer-daemon@example.com",
    "BouncedRecipientInfoList.member.1.Recipient": "bob@example.com",
    "BouncedRecipientInfoList.member.1.BounceType": "DoesNotExist",
    ...extra,
  };
}
