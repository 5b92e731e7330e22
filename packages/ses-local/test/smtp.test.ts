/**
 * The SMTP side and the JSON listing: what is accepted and refused, what is stored, and how the
 * 250 reply carries the SES message id.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isSesMessageId, sesMessageIdTime, startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { bounceParams, deliver, mail, signedCall, smtpClient, tempDir } from "./helpers.js";

let ses: SesLocal;
let remove: () => Promise<void>;
const NOW = new Date("2026-11-26T10:00:00Z");

beforeAll(async () => {
  const t = await tempDir();
  remove = t.remove;
  ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: t.dir, domains: ["example.com", "*.example.net"], maxMessageSize: 4096, rate: 0, clock: () => NOW });
});

afterAll(async () => {
  await ses?.close();
  await remove?.();
});

describe("SMTP", () => {
  test("the 250 reply carries the SES message id; the message is stored with its envelope and arrival", async () => {
    const c = await smtpClient(ses.smtpPort);
    try {
      const raw = mail({ subject: "stored" });
      const { response } = await c.send("alice@example.org", ["bob@example.com", "carol@mx.example.net"], raw);
      const id = /^250 Ok (\S+)$/.exec(response)![1]!;
      expect(isSesMessageId(id)).toBe(true);
      expect(sesMessageIdTime(id)).toEqual(NOW);
      const m = ses.message(id)!;
      expect(m).toMatchObject({ messageId: id, arrival: NOW, mailFrom: "alice@example.org", rcptTo: ["bob@example.com", "carol@mx.example.net"], remoteAddress: "127.0.0.1", helo: "client.example.org" });
      const text = m.raw.toString("utf8");
      expect(text).toBe(
        "Return-Path: <alice@example.org>\r\n" +
          "Received: from client.example.org ([127.0.0.1])\r\n" +
          ` by inbound-smtp.us-east-1.amazonaws.com with SMTP id ${id};\r\n` +
          " Thu, 26 Nov 2026 10:00:00 +0000\r\n" +
          raw,
      );
    } finally {
      c.close();
    }
  });

  test("recipients outside the configured domains are refused with 550; the others are kept", async () => {
    const c = await smtpClient(ses.smtpPort);
    try {
      const r = await c.send("alice@example.org", ["bob@example.com", "eve@example.org", "x@example.net"], mail());
      expect(r.accepted).toEqual(["bob@example.com"]);
      expect(r.rejected).toEqual(["eve@example.org", "x@example.net"]);
      const id = /^250 Ok (\S+)$/.exec(r.response)![1]!;
      expect(ses.message(id)!.rcptTo).toEqual(["bob@example.com"]);
    } finally {
      c.close();
    }
    const refused = await smtpClient(ses.smtpPort);
    try {
      const e = await refused.send("alice@example.org", ["eve@example.org"], mail()).catch((err: { responseCode?: number; response?: string }) => err);
      expect(e).toMatchObject({ responseCode: 550 });
      expect((e as { response: string }).response).toMatch(/^550 <eve@example\.org>: ses-local does not receive mail for example\.org \(it receives for example\.com, \*\.example\.net\)/);
    } finally {
      refused.close();
    }
  });

  test("a message over maxMessageSize is refused with 552 and not stored", async () => {
    const before = ses.messages().length;
    const c = await smtpClient(ses.smtpPort);
    try {
      const e = await c.send("alice@example.org", ["bob@example.com"], mail({ body: "x".repeat(70) + "\r\n".repeat(1) + ("y".repeat(70) + "\r\n").repeat(80) })).catch((err: { responseCode?: number }) => err);
      expect(e).toMatchObject({ responseCode: 552 });
    } finally {
      c.close();
    }
    expect(ses.messages().length).toBe(before);
  });

  test("the null reverse-path is stored as an empty sender; one recipient is named in Received", async () => {
    const id = await deliver(ses.smtpPort, mail(), "", ["bob@example.com"]);
    expect(ses.message(id)!.mailFrom).toBe("");
    expect(ses.message(id)!.raw.toString()).toMatch(/^Return-Path: <>\r\nReceived: from client\.example\.org \(\[127\.0\.0\.1\]\)\r\n by inbound-smtp\.us-east-1\.amazonaws\.com with SMTP id \S+\r\n for <bob@example\.com>;\r\n Thu, 26 Nov 2026 10:00:00 \+0000\r\nFrom: /);
  });

  test("AUTH is offered without TLS and takes any credentials", async () => {
    const c = new SMTPConnection({ host: "127.0.0.1", port: ses.smtpPort, ignoreTLS: true });
    await new Promise<void>((resolve, reject) => c.connect((e) => (e ? reject(e) : resolve())));
    try {
      await new Promise<void>((resolve, reject) => c.login({ user: "app", pass: "anything" }, (e) => (e ? reject(e) : resolve())));
      const info = await new Promise<{ response: string }>((resolve, reject) => c.send({ from: "a@example.org", to: ["b@example.com"] }, mail(), (e, i) => (e ? reject(e) : resolve(i))));
      expect(info.response).toMatch(/^250 Ok /);
    } finally {
      c.quit();
    }
  });
});

describe("the JSON listing under /_ses-local/", () => {
  const get = async (path: string) => {
    const r = await fetch(`${ses.endpoint}${path}`);
    return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
  };

  test("messages, one message with its bounces, its raw bytes; bounces; identities; health", async () => {
    const id = await deliver(ses.smtpPort, mail({ subject: "listed" }));
    await signedCall(ses.httpPort, { Action: "VerifyEmailIdentity", EmailAddress: "mailer-daemon@example.com" });
    const bounce = await signedCall(ses.httpPort, bounceParams(id));
    const bounceId = /<MessageId>([^<]+)</.exec(bounce.body)![1]!;

    const list = JSON.parse((await get("/_ses-local/messages")).text) as { messages: { messageId: string }[] };
    expect(list.messages.map((m) => m.messageId)).toContain(id);
    const one = JSON.parse((await get(`/_ses-local/messages/${id}`)).text);
    expect(one).toMatchObject({ messageId: id, arrival: NOW.toISOString(), mailFrom: "alice@example.org", rcptTo: ["bob@example.com"], bounces: [bounceId], raw: `/_ses-local/messages/${id}/raw` });
    const raw = await get(`/_ses-local/messages/${id}/raw`);
    expect(raw.type).toBe("message/rfc822");
    expect(raw.text).toContain("Subject: listed\r\n");

    const bounces = JSON.parse((await get(`/_ses-local/bounces?originalMessageId=${id}`)).text) as { bounces: Record<string, unknown>[] };
    expect(bounces.bounces).toEqual([
      expect.objectContaining({ messageId: bounceId, originalMessageId: id, mailFrom: "", rcptTo: ["alice@example.org"], bounceSender: "mailer-daemon@example.com", outbox: ses.outboxPath(bounceId), relay: { state: "none", attempts: 0 } }),
    ]);
    const b = JSON.parse((await get(`/_ses-local/bounces/${bounceId}`)).text);
    expect(b.request).toMatchObject({ OriginalMessageId: id, BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }] });
    expect((await get(`/_ses-local/bounces/${bounceId}/raw`)).text).toContain("Status: 5.1.1\r\n");
    const ids = JSON.parse((await get("/_ses-local/identities")).text) as { identities: { identity: string; type: string }[] };
    expect(ids.identities).toEqual(expect.arrayContaining([expect.objectContaining({ identity: "mailer-daemon@example.com", type: "EmailAddress" }), expect.objectContaining({ identity: "example.com", type: "Domain" })]));
    expect(JSON.parse((await get("/_ses-local/health")).text)).toMatchObject({ ok: true });
    const page = JSON.parse((await get("/_ses-local/messages?limit=1&offset=1")).text) as { messages: unknown[] };
    expect(page.messages).toHaveLength(1);
  });

  test("a listing's query is checked: a bad limit or offset, an unknown or repeated parameter is 400 naming it", async () => {
    const bad = async (path: string, error: string) => {
      const r = await get(path);
      expect([r.status, r.type]).toEqual([400, "application/json; charset=utf-8"]);
      expect(JSON.parse(r.text)).toEqual({ error });
    };
    const number = "is not allowed: give a whole number from 0 to 999999999";
    await bad("/_ses-local/messages?limit=abc", `limit: "abc" ${number}`);
    await bad("/_ses-local/messages?limit=-1", `limit: "-1" ${number}`);
    await bad("/_ses-local/messages?limit=", `limit: "" ${number}`);
    await bad("/_ses-local/messages?offset=1.5", `offset: "1.5" ${number}`);
    await bad("/_ses-local/bounces?limit=ten", `limit: "ten" ${number}`);
    await bad("/_ses-local/messages?limit=1&limit=2", "the query parameter limit is given more than once");
    await bad("/_ses-local/messages?lmit=5", 'unknown query parameter "lmit"; did you mean "limit"? (/_ses-local/messages takes limit, offset)');
    await bad("/_ses-local/messages?originalMessageId=x", 'unknown query parameter "originalMessageId" (/_ses-local/messages takes limit, offset)');
    await bad("/_ses-local/bounces?originalMessageId=nope", 'originalMessageId: "nope" is not allowed: give the id of a received message (its SMTP 250 reply carries it)');
    // Good values still work, limit=0 included.
    expect(JSON.parse((await get("/_ses-local/messages?limit=0")).text)).toEqual({ messages: [] });
    expect((await get("/_ses-local/bounces?limit=5&offset=0")).status).toBe(200);
  });

  test("an unknown path is 404 listing what there is; a write is 405", async () => {
    const r = await get("/_ses-local/nothing");
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text).see).toContain("/_ses-local/messages");
    expect((await get("/_ses-local/messages/no-such-id")).status).toBe(404);
    const post = await fetch(`${ses.endpoint}/_ses-local/messages`, { method: "DELETE" });
    expect(post.status).toBe(405);
  });
});
