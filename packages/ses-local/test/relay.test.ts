/**
 * Relaying bounces over SMTP with the null reverse-path, to a real SMTP server (smtp-server) that
 * records what it was given.
 */
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { SMTPServer } from "smtp-server";
import { parseRelayUrl, startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { bounceParams, deliver, mail, signedCall, tempDir } from "./helpers.js";

interface Received {
  mailFrom: string | false;
  rcptTo: string[];
  data: string;
}

/**
 * A port on 127.0.0.1 that refuses connections: port 1 (tcpmux), which no test listens on and the
 * system never hands out for a listen on port 0. (A port a closed test server had is not: another
 * test running at the same time can be given it, and then it answers.) Checked before use.
 */
async function refusedPort(): Promise<number> {
  const port = 1;
  const error = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(undefined);
    });
    socket.once("error", done);
  });
  if (error?.code !== "ECONNREFUSED") throw new Error(`127.0.0.1:${port} should refuse connections for this test, but ${error ? error.message : "it accepted one"}`);
  return port;
}

/** An SMTP sink on 127.0.0.1 that records each message (or refuses RCPT with `refuse`). */
async function sink(refuse?: number): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(_a, _s, cb) {
      cb(refuse ? Object.assign(new Error("no such user"), { responseCode: refuse }) : undefined);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({ mailFrom: session.envelope.mailFrom === false ? false : session.envelope.mailFrom.address, rcptTo: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString("utf8") });
        cb(null, "queued");
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise((r) => server.close(() => r())) };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator(dir: string, relay: string, retryDelaysMs?: number[]): Promise<SesLocal> {
  const r = parseRelayUrl(relay);
  const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: dir, domains: ["example.com"], rate: 0, relay: retryDelaysMs ? { ...r, retryDelaysMs } : r });
  cleanups.push(() => ses.close());
  return ses;
}

async function until<T>(what: string, fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function bounce(ses: SesLocal): Promise<string> {
  const id = await deliver(ses.smtpPort, mail());
  const r = await signedCall(ses.httpPort, bounceParams(id, { BounceSender: "postmaster@example.com" }));
  expect(r.status, r.body).toBe(200);
  return /<MessageId>([^<]+)</.exec(r.body)![1]!;
}

describe("relay", () => {
  test("each bounce is relayed with MAIL FROM:<> to the original's sender, the outbox file's bytes exactly", async () => {
    const t = await tempDir();
    cleanups.push(t.remove);
    const s = await sink();
    cleanups.push(s.close);
    const ses = await emulator(t.dir, `smtp://127.0.0.1:${s.port}`);
    const bounceId = await bounce(ses);
    const got = await until("the relayed bounce", () => s.received[0]);
    expect(got.mailFrom).toBe("");
    expect(got.rcptTo).toEqual(["alice@example.org"]);
    expect(got.data).toBe(await readFile(ses.outboxPath(bounceId), "utf8"));
    const state = await until("relay state sent", () => (ses.bounce(bounceId)!.relay.state === "sent" ? ses.bounce(bounceId)!.relay : undefined));
    expect(state.attempts).toBe(1);
  });

  test("a permanent refusal (5xx) is recorded as failed at once, with the reply", async () => {
    const t = await tempDir();
    cleanups.push(t.remove);
    const s = await sink(550);
    cleanups.push(s.close);
    const ses = await emulator(t.dir, `127.0.0.1:${s.port}`, [10_000]);
    const bounceId = await bounce(ses);
    const relay = await until("relay state failed", () => (ses.bounce(bounceId)!.relay.state === "failed" ? ses.bounce(bounceId)!.relay : undefined));
    expect(relay.attempts).toBe(1);
    expect(relay.error).toMatch(/no such user/);
  });

  test("an unreachable relay is retried; after the last retry the bounce is failed", async () => {
    const t = await tempDir();
    cleanups.push(t.remove);
    const ses = await emulator(t.dir, `smtp://127.0.0.1:${await refusedPort()}`, [20, 20]);
    const bounceId = await bounce(ses);
    const relay = await until("relay state failed", () => (ses.bounce(bounceId)!.relay.state === "failed" ? ses.bounce(bounceId)!.relay : undefined));
    expect(relay.attempts).toBe(3);
    expect(relay.error).toMatch(/ECONNREFUSED/);
  });

  test("a bounce still pending when the emulator stops is relayed when it starts again", async () => {
    const t = await tempDir();
    cleanups.push(t.remove);
    const s = await sink();
    cleanups.push(s.close);
    const first = await emulator(t.dir, `smtp://127.0.0.1:${await refusedPort()}`, [60_000]);
    const bounceId = await bounce(first);
    await until("the first failed attempt", () => (first.bounce(bounceId)!.relay.attempts === 1 ? true : undefined));
    await first.close();
    const second = await emulator(t.dir, `smtp://127.0.0.1:${s.port}`);
    const got = await until("the relayed bounce", () => s.received[0]);
    expect(got.mailFrom).toBe("");
    await until("relay state sent", () => (second.bounce(bounceId)!.relay.state === "sent" ? true : undefined));
    expect(second.bounce(bounceId)!.relay.attempts).toBe(2);
  });
});

describe("parseRelayUrl", () => {
  test.each([
    ["smtp://127.0.0.1:1025", { host: "127.0.0.1", port: 1025, secure: false }],
    ["127.0.0.1:1025", { host: "127.0.0.1", port: 1025, secure: false }],
    ["smtp://mail.example.com", { host: "mail.example.com", port: 25, secure: false }],
    ["smtps://u%40x:p%3Aw@mail.example.com", { host: "mail.example.com", port: 465, secure: true, auth: { user: "u@x", pass: "p:w" } }],
    ["smtp://[::1]:2525", { host: "::1", port: 2525, secure: false }],
  ])("%s", (spec, expected) => {
    expect(parseRelayUrl(spec)).toEqual(expected);
  });

  test.each([
    ["http://127.0.0.1:25", "the scheme must be smtp:// or smtps://"],
    ["smtp://127.0.0.1:25/path", "an SMTP URL has only a host and a port"],
    ["smtp://:25", "is not an SMTP URL"],
  ])("%s is refused", (spec, message) => {
    expect(() => parseRelayUrl(spec)).toThrow(message);
  });
});
