/**
 * SMTP ingest under concurrency: 1,000 messages over 10 parallel connections are all stored, none
 * lost or duplicated, each byte for byte as sent (after the trace fields), each under the id its
 * 250 reply gave. No speed is asserted; bench/ses-local-smtp.mjs measures it.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { mail, smtpClient, tempDir } from "../../packages/ses-local/test/helpers.js";

const CONNECTIONS = 10;
const MESSAGES = 1000;

let ses: SesLocal;
let scratch: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  scratch = await tempDir();
  ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: scratch.dir, domains: ["example.com"] });
});

afterAll(async () => {
  await ses?.close();
  await scratch?.remove();
});

test(`${MESSAGES} messages over ${CONNECTIONS} parallel connections: all stored once, intact, under their reply's id`, async () => {
  const sent = new Map<string, string>(); // SES id from the reply -> the bytes sent
  const seqOf = new Map<string, number>();
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => smtpClient(ses.smtpPort)));
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        for (let n = c; n < MESSAGES; n += CONNECTIONS) {
          const raw = mail({ subject: `message ${n}`, messageId: `<m${n}@mail.example.org>`, extra: `X-Seq: ${n}\r\n`, body: `body of message ${n}\r\n${"x".repeat(n % 300)}\r\n` });
          const { response } = await client.send(`sender${n}@example.org`, [`rcpt${n}@example.com`], raw);
          const id = /^250 Ok (\S+)$/.exec(response)?.[1];
          expect(id, response).toBeDefined();
          expect(sent.has(id!)).toBe(false);
          sent.set(id!, raw);
          seqOf.set(id!, n);
        }
      }),
    );
  } finally {
    for (const c of clients) c.close();
  }
  expect(sent.size).toBe(MESSAGES);

  const stored = ses.messages();
  expect(stored).toHaveLength(MESSAGES);
  expect(new Set(stored.map((m) => m.messageId)).size).toBe(MESSAGES);
  expect(new Set(stored.map((m) => m.messageId))).toEqual(new Set(sent.keys()));
  const seqs = new Set<number>();
  for (const summary of stored) {
    const m = ses.message(summary.messageId)!;
    const n = seqOf.get(m.messageId)!;
    seqs.add(n);
    expect(m.mailFrom).toBe(`sender${n}@example.org`);
    expect(m.rcptTo).toEqual([`rcpt${n}@example.com`]);
    const text = m.raw.toString("utf8");
    expect(text.startsWith(`Return-Path: <sender${n}@example.org>\r\nReceived: from client.example.org`)).toBe(true);
    expect(text.endsWith(sent.get(m.messageId)!)).toBe(true);
  }
  expect(seqs.size).toBe(MESSAGES);

  // And all of them are there after a restart.
  await ses.close();
  ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: scratch.dir, domains: ["example.com"] });
  expect(ses.messages().map((m) => m.messageId)).toEqual(stored.map((m) => m.messageId));
});
