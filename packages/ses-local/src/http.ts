/**
 * The HTTP side: the SES query API on every path but `/_ses-local/`, and under `/_ses-local/` a
 * small JSON API that lists what the emulator received and sent.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { listIdentities, sendBounce, verifyDomainIdentity, verifyEmailIdentity } from "./api.js";
import type { ApiContext } from "./api.js";
import {
  createReceiptRule,
  createReceiptRuleSet,
  deleteReceiptRule,
  deleteReceiptRuleSet,
  describeActiveReceiptRuleSet,
  describeReceiptRule,
  describeReceiptRuleSet,
  listReceiptRuleSets,
  setActiveReceiptRuleSet,
  updateReceiptRule,
} from "./receipt-rules.js";
import { SesError } from "./errors.js";
import { isSesMessageId } from "./ids.js";
import { verifySigV4 } from "./sigv4.js";
import type { Credentials, Signer } from "./sigv4.js";
import type { BounceSummary, MessageSummary } from "./store.js";
import { nearest } from "./suggest.js";
import { errorXml, successXml } from "./xml.js";

/**
 * The path prefix of the emulator's own JSON API (messages, bounces, identities, health).
 *
 * @example
 * `${ses.endpoint}${ADMIN_PREFIX}messages`;
 * //=> "http://127.0.0.1:4579/_ses-local/messages"
 */
export const ADMIN_PREFIX = "/_ses-local/";

/**
 * What the HTTP server needs besides the actions' context.
 *
 * @example
 * const o: HttpOptions = { ...ctx, credentials: [{ accessKeyId: "AKIDSESLOCAL", secretAccessKey: "s" }], maxRequestSize: 10_485_760 };
 */
export interface HttpOptions extends ApiContext {
  credentials: readonly Credentials[];
  /** The largest request body accepted, in bytes. */
  maxRequestSize: number;
  /** The clock signatures are checked against (the machine's, by default: clients sign with it). */
  signatureClock?: () => Date;
}

/** SES actions that exist in the API but that ses-local does not implement. */
const KNOWN_SES_ACTIONS = new Set([
  "SendEmail",
  "SendRawEmail",
  "SendTemplatedEmail",
  "SendBulkTemplatedEmail",
  "SendCustomVerificationEmail",
  "VerifyEmailAddress",
  "ListVerifiedEmailAddresses",
  "DeleteIdentity",
  "DeleteVerifiedEmailAddress",
  "GetIdentityVerificationAttributes",
  "GetSendQuota",
  "GetSendStatistics",
  "GetAccountSendingEnabled",
  "VerifyDomainDkim",
  "CloneReceiptRuleSet",
  "ReorderReceiptRuleSet",
  "SetReceiptRulePosition",
  "CreateReceiptFilter",
  "DeleteReceiptFilter",
  "ListReceiptFilters",
]);

const ACTIONS: Readonly<Record<string, (ctx: ApiContext, params: ReadonlyMap<string, string>, signer: Signer) => string | Promise<string>>> = {
  SendBounce: sendBounce,
  VerifyEmailIdentity: verifyEmailIdentity,
  VerifyDomainIdentity: verifyDomainIdentity,
  ListIdentities: listIdentities,
  CreateReceiptRuleSet: createReceiptRuleSet,
  DeleteReceiptRuleSet: deleteReceiptRuleSet,
  DescribeReceiptRuleSet: describeReceiptRuleSet,
  ListReceiptRuleSets: listReceiptRuleSets,
  SetActiveReceiptRuleSet: setActiveReceiptRuleSet,
  DescribeActiveReceiptRuleSet: describeActiveReceiptRuleSet,
  CreateReceiptRule: createReceiptRule,
  UpdateReceiptRule: updateReceiptRule,
  DeleteReceiptRule: deleteReceiptRule,
  DescribeReceiptRule: describeReceiptRule,
};

/** Parameters of the protocol itself, not of an action. */
const PROTOCOL_PARAMS = /^(?:Action|Version|AWSAccessKeyId|SignatureVersion|SignatureMethod|Signature|Timestamp|Expires|SecurityToken|X-Amz-.*)$/i;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on("end", () => (over ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value, null, 2) + "\n");
}

function messageJson(m: MessageSummary, bounces: readonly BounceSummary[] | undefined, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    messageId: m.messageId,
    arrival: m.arrival.toISOString(),
    mailFrom: m.mailFrom,
    rcptTo: m.rcptTo,
    size: m.size,
    raw: `${base}messages/${m.messageId}/raw`,
  };
  if (m.remoteAddress !== undefined) out.remoteAddress = m.remoteAddress;
  if (m.helo !== undefined) out.helo = m.helo;
  if (bounces !== undefined) out.bounces = bounces.map((b) => b.bounceId);
  return out;
}

function bounceJson(b: BounceSummary, outboxPath: string, base: string): Record<string, unknown> {
  const relay: Record<string, unknown> = { state: b.relay.state, attempts: b.relay.attempts };
  if (b.relay.error !== undefined) relay.error = b.relay.error;
  if (b.relay.relayedAt !== undefined) relay.relayedAt = b.relay.relayedAt.toISOString();
  return {
    messageId: b.bounceId,
    originalMessageId: b.originalMessageId,
    created: b.created.toISOString(),
    bounceSender: b.bounceSender,
    mailFrom: "",
    rcptTo: b.rcptTo,
    size: b.size,
    accessKeyId: b.accessKeyId,
    ...(b.receiptRule !== undefined ? { receiptRule: b.receiptRule } : {}),
    outbox: outboxPath,
    relay,
    raw: `${base}bounces/${b.bounceId}/raw`,
  };
}

/** A query parameter of a listing that cannot be honoured: answered with 400. */
class BadQuery extends Error {}

const PAGE_MAX = 999_999_999;

/**
 * The query of a listing: `limit` and `offset` (whole numbers), plus `extra` parameters. An
 * unknown parameter, one given twice or a value that is not allowed is a {@link BadQuery}, not
 * ignored: a listing that silently ignores `limit=abc` returns everything.
 */
function listQuery(url: URL, extra: Readonly<Record<string, (v: string) => string | undefined>> = {}): { page: { limit?: number; offset?: number }; values: Map<string, string> } {
  const path = url.pathname;
  const known = ["limit", "offset", ...Object.keys(extra)];
  const values = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    if (!known.includes(k)) {
      const near = nearest(k, known);
      throw new BadQuery(`unknown query parameter ${JSON.stringify(k)}${near ? `; did you mean ${JSON.stringify(near)}?` : ""} (${path} takes ${known.join(", ")})`);
    }
    if (values.has(k)) throw new BadQuery(`the query parameter ${k} is given more than once`);
    values.set(k, v);
  }
  const page: { limit?: number; offset?: number } = {};
  for (const k of ["limit", "offset"] as const) {
    const v = values.get(k);
    if (v === undefined) continue;
    if (!/^\d{1,9}$/.test(v)) throw new BadQuery(`${k}: ${JSON.stringify(v)} is not allowed: give a whole number from 0 to ${PAGE_MAX}`);
    page[k] = Number(v);
  }
  for (const [k, check] of Object.entries(extra)) {
    const v = values.get(k);
    const problem = v === undefined ? undefined : check(v);
    if (problem !== undefined) throw new BadQuery(`${k}: ${JSON.stringify(v)} is not allowed: ${problem}`);
  }
  return { page, values };
}

function admin(ctx: HttpOptions, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    sendJson(res, 405, { error: `${req.method} is not allowed here: ${ADMIN_PREFIX} is read-only` });
    return;
  }
  const parts = url.pathname.slice(ADMIN_PREFIX.length).split("/").filter((p) => p !== "");
  const [kind, id, sub] = parts;
  const base = ADMIN_PREFIX;
  if (parts.length === 0 || (kind === "health" && parts.length === 1)) {
    sendJson(res, 200, { ok: true, messages: ctx.store.countMessages() });
    return;
  }
  if (kind === "messages") {
    if (id === undefined) {
      const { page } = listQuery(url);
      sendJson(res, 200, { messages: ctx.store.listMessages(page).map((m) => messageJson(m, undefined, base)) });
      return;
    }
    const m = ctx.store.getMessage(id);
    if (m !== undefined && sub === undefined && parts.length === 2) {
      const { raw, ...summary } = m;
      sendJson(res, 200, messageJson({ ...summary, size: raw.length }, ctx.store.listBounces({ originalMessageId: id }), base));
      return;
    }
    if (m !== undefined && sub === "raw" && parts.length === 3) {
      send(res, 200, "message/rfc822", m.raw);
      return;
    }
  }
  if (kind === "bounces") {
    if (id === undefined) {
      const { page, values } = listQuery(url, { originalMessageId: (v) => (isSesMessageId(v) ? undefined : "give the id of a received message (its SMTP 250 reply carries it)") });
      const original = values.get("originalMessageId");
      const list = ctx.store.listBounces(original === undefined ? page : { ...page, originalMessageId: original });
      sendJson(res, 200, { bounces: list.map((b) => bounceJson(b, ctx.outbox.pathOf(b.bounceId), base)) });
      return;
    }
    const b = ctx.store.getBounce(id);
    if (b !== undefined && sub === undefined && parts.length === 2) {
      const { raw, request, ...summary } = b;
      sendJson(res, 200, { ...bounceJson({ ...summary, size: raw.length }, ctx.outbox.pathOf(id), base), request: JSON.parse(request) as unknown });
      return;
    }
    if (b !== undefined && sub === "raw" && parts.length === 3) {
      send(res, 200, "message/rfc822", b.raw);
      return;
    }
  }
  if (kind === "identities" && parts.length === 1) {
    sendJson(res, 200, { identities: ctx.store.listIdentities().map((i) => ({ identity: i.identity, type: i.type, created: i.created.toISOString() })) });
    return;
  }
  sendJson(res, 404, {
    error: `nothing at ${url.pathname}`,
    see: [`${base}messages`, `${base}messages/{id}`, `${base}messages/{id}/raw`, `${base}bounces`, `${base}bounces/{id}`, `${base}bounces/{id}/raw`, `${base}identities`, `${base}health`],
  });
}

async function api(ctx: HttpOptions, req: IncomingMessage, url: URL, body: Buffer): Promise<{ action: string; result: string }> {
  const method = req.method ?? "GET";
  if (method !== "POST" && method !== "GET")
    throw new SesError("InvalidAction", `The SES query API takes POST (or GET) requests, not ${method}.`);
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (body.length > 0 && type !== "application/x-www-form-urlencoded")
    throw new SesError(
      "InvalidAction",
      `ses-local speaks the SES v1 query protocol: POST with Content-Type application/x-www-form-urlencoded, not ${type === "" ? "a body without a Content-Type" : type}. (The SES v2 API is not emulated.)`,
    );
  const query: [string, string][] = [...url.searchParams];
  const signer = await verifySigV4(
    { method, path: url.pathname, query, rawHeaders: req.rawHeaders, body },
    { credentials: ctx.credentials, now: (ctx.signatureClock ?? (() => new Date()))() },
  );

  const params = new Map<string, string>();
  const form: [string, string][] = body.length > 0 ? [...new URLSearchParams(body.toString("utf8"))] : [];
  for (const [k, v] of [...query, ...form]) {
    if (params.has(k)) throw new SesError("InvalidParameterValue", `The parameter ${k} is given more than once.`);
    params.set(k, v);
  }
  const action = params.get("Action");
  if (action === undefined || action === "") throw new SesError("MissingAction", "The request must contain the parameter Action.");
  const version = params.get("Version");
  const handler = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (handler === undefined || (version !== undefined && version !== "2010-12-01")) {
    if (handler === undefined && KNOWN_SES_ACTIONS.has(action))
      throw new SesError("InvalidAction", `ses-local does not implement ${action}; it implements ${Object.keys(ACTIONS).join(", ")}.`);
    throw new SesError("InvalidAction", `Could not find operation ${action} for version ${version ?? "(none)"}`);
  }
  for (const k of [...params.keys()]) if (PROTOCOL_PARAMS.test(k)) params.delete(k);
  return { action, result: await handler(ctx, params, signer) };
}

/**
 * Creates the HTTP server (not yet listening).
 *
 * @example
 * const server = createHttpServer(options);
 * server.listen(4579, "127.0.0.1");
 */
export function createHttpServer(ctx: HttpOptions): Server {
  return createServer((req, res) => {
    void handle(ctx, req, res);
  });
}

async function handle(ctx: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://ses-local.invalid");
  } catch {
    url = new URL("http://ses-local.invalid/");
  }
  if (url.pathname.startsWith(ADMIN_PREFIX) || url.pathname === ADMIN_PREFIX.slice(0, -1)) {
    req.resume();
    try {
      admin(ctx, req, res, url);
    } catch (e) {
      if (e instanceof BadQuery) {
        sendJson(res, 400, { error: e.message });
        return;
      }
      ctx.warn(`internal error on ${url.pathname}: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: `internal error: ${(e as Error).message}` });
    }
    return;
  }
  const headers = { "x-amzn-RequestId": requestId };
  try {
    let body: Buffer;
    try {
      body = await readBody(req, ctx.maxRequestSize);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        const error = new SesError("RequestEntityTooLarge", `The request body is larger than ${ctx.maxRequestSize} bytes, the most ses-local accepts (setting maxRequestSize).`);
        send(res, error.status, "text/xml", errorXml(error, requestId), { ...headers, Connection: "close" });
        req.resume();
        return;
      }
      throw e;
    }
    const { action, result } = await api(ctx, req, url, body);
    send(res, 200, "text/xml", successXml(action, result, requestId), headers);
  } catch (e) {
    let error: SesError;
    if (e instanceof SesError) error = e;
    else {
      ctx.warn(`internal error: ${(e as Error).stack ?? String(e)}`);
      error = new SesError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.");
    }
    if (!res.headersSent) send(res, error.status, "text/xml", errorXml(error, requestId), headers);
    else res.destroy();
  }
}
