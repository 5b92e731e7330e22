#!/usr/bin/env node
/**
 * SMTP ingest throughput of ses-local: N messages over C parallel connections into a fresh
 * emulator (the built package, dist/), each acknowledged only after its row committed to SQLite
 * (WAL, synchronous=FULL). Run by hand, not by CI:
 *
 *   npx tsc -b && node bench/ses-local-smtp.mjs [--messages 5000] [--connections 10] [--size 2048]
 *
 * Prints messages per second, MB per second and the latency of each message (DATA to 250 reply).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { startSesLocal } from "@dsnkit/ses-local";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "5000" },
    connections: { type: "string", default: "10" },
    size: { type: "string", default: "2048" },
  },
});
const MESSAGES = Number(values.messages);
const CONNECTIONS = Number(values.connections);
const SIZE = Number(values.size);

function message(n) {
  const head =
    `From: sender${n}@example.org\r\nTo: rcpt${n}@example.com\r\nSubject: bench ${n}\r\n` +
    `Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench.${n}@example.org>\r\nMIME-Version: 1.0\r\n` +
    `Content-Type: text/plain; charset=us-ascii\r\n\r\n`;
  const line = "The quick brown fox jumps over the lazy dog. 0123456789 abcdefghij ABCDEFGHIJ\r\n";
  let body = "";
  while (head.length + body.length < SIZE) body += line;
  return head + body;
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const c = new SMTPConnection({ host: "127.0.0.1", port, ignoreTLS: true, name: "bench.example.org" });
    c.once("error", reject);
    c.connect((err) => (err ? reject(err) : resolve(c)));
  });
}

function send(c, n, raw) {
  return new Promise((resolve, reject) =>
    c.send({ from: `sender${n}@example.org`, to: [`rcpt${n}@example.com`] }, raw, (err, info) => (err ? reject(err) : resolve(info.response))),
  );
}

const dir = mkdtempSync(join(tmpdir(), "ses-local-bench-"));
const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: dir, domains: ["example.com"] });
try {
  const raws = Array.from({ length: MESSAGES }, (_, n) => message(n));
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => connect(ses.smtpPort)));
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (let n = i; n < MESSAGES; n += CONNECTIONS) {
        const t = performance.now();
        const reply = await send(c, n, raws[n]);
        latencies.push(performance.now() - t);
        if (!reply.startsWith("250 Ok ")) throw new Error(`unexpected reply: ${reply}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const c of clients) c.quit();
  const stored = ses.messages().length;
  if (stored !== MESSAGES) throw new Error(`stored ${stored} of ${MESSAGES} messages`);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const bytes = raws.reduce((s, r) => s + r.length, 0);
  const result = {
    messages: MESSAGES,
    connections: CONNECTIONS,
    messageBytes: raws[0].length,
    seconds: Number(seconds.toFixed(2)),
    messagesPerSecond: Math.round(MESSAGES / seconds),
    megabytesPerSecond: Number((bytes / seconds / 1e6).toFixed(1)),
    latencyMs: { p50: Number(pct(50)), p90: Number(pct(90)), p99: Number(pct(99)), max: Number(latencies.at(-1).toFixed(1)) },
    machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await ses.close();
  rmSync(dir, { recursive: true, force: true });
}
