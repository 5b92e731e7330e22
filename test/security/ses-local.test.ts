/**
 * The security suite, ses-local's side (issue 13, items 4, 6, 7 and 8): Unicode line breaks
 * refused by SendBounce, a signature that leaves the Host out refused as AWS refuses it,
 * temporary files of writes a crash cut short removed at start-up, and the event loop kept
 * answering while a bounce of an original of megabytes of header fields is rendered. Plus growth
 * checks of the query decoder, which reads every SendBounce body.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { renderBounce } from "@dsnkit/core";
import { decodeQuery, SEND_BOUNCE_SHAPE, startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { ACCESS_KEY_ID, bounceParams, deliver, mail, rawHttp, SECRET, Sha256, signedCall, tempDir } from "../../packages/ses-local/test/helpers.js";
import { expectLinear } from "../support/growth.js";

const SLOW = 180_000;

let scratch: { dir: string; remove: () => Promise<void> };
let ses: SesLocal;

beforeAll(async () => {
  scratch = await tempDir("dsnkit-security-ses-local-");
  ses = await startSesLocal({
    smtpPort: 0,
    httpPort: 0,
    dataDir: join(scratch.dir, "main"),
    domains: ["example.com"],
    identities: ["mailer-daemon@example.com"],
    credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }],
    rate: 1000,
  });
});

afterAll(async () => {
  await ses?.close();
  await scratch?.remove();
});

describe("item 4: SendBounce refuses Unicode line breaks in any field", () => {
  test("U+2028 in a DiagnosticCode: InvalidParameterValue naming the parameter, and no bounce", async () => {
    const id = await deliver(ses.smtpPort, mail({ to: "bob@example.com" }));
    const before = ses.bounces().length;
    const r = await signedCall(
      ses.httpPort,
      bounceParams(id, {
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.Action": "failed",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.Status": "5.1.1",
        "BouncedRecipientInfoList.member.1.RecipientDsnFields.DiagnosticCode": "smtp; 550 no\u2028Final-Recipient: rfc822; forged@example.net",
      }),
    );
    expect(r.status).toBe(400);
    expect(r.code).toBe("InvalidParameterValue");
    expect(r.message).toContain("BouncedRecipientInfoList.member.1.RecipientDsnFields.DiagnosticCode");
    expect(r.message).toContain("LINE SEPARATOR (U+2028)");
    expect(ses.bounces()).toHaveLength(before);
  });
});

describe("item 6: the Host must be signed", () => {
  /** A ListIdentities call signed with the JS SDK's signer, the Host left out of SignedHeaders, sent with `host`. */
  async function unsignedHost(host: string) {
    const body = "Action=ListIdentities&Version=2010-12-01";
    const signer = new SignatureV4({ service: "ses", region: "us-east-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, sha256: Sha256 });
    const signed = await signer.sign(
      { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: ses.httpPort, path: "/", query: {}, headers: { host: `127.0.0.1:${ses.httpPort}`, "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body },
      { unsignableHeaders: new Set(["host"]) },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") headers[k] = String(v);
    expect(headers.authorization).toMatch(/SignedHeaders=(?![^,]*host)[^,]+,/);
    headers.host = host;
    return rawHttp(ses.httpPort, "POST", "/", headers, body);
  }

  test("a valid signature over headers without host is SES's IncompleteSignature (400), whatever the Host", async () => {
    for (const host of [`127.0.0.1:${ses.httpPort}`, "ses.attacker.example"]) {
      const r = await unsignedHost(host);
      expect([r.status, r.code, r.message]).toEqual([400, "IncompleteSignature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."]);
    }
    expect((await signedCall(ses.httpPort, { Action: "ListIdentities" })).status).toBe(200);
  });
});

describe("item 7: temporary files a crash left in the outbox are removed at start-up", () => {
  test("every one but those of another live ses-local made within the hour", async () => {
    const dataDir = join(scratch.dir, "crashed");
    const outbox = join(dataDir, "outbox");
    mkdirSync(outbox, { recursive: true });
    // A process that has exited: its id names no process now.
    const dead = spawn(process.execPath, ["-e", "0"]);
    const deadPid = await new Promise<number>((done) => dead.on("exit", () => done(dead.pid!)));
    const livePid = process.ppid; // alive, and not the emulator started below (this process)
    const names = {
      old: ".0a1b2c3d4e5f.tmp", // from ses-local before the process id was in the name
      dead: `.${deadPid}-0a1b2c3d4e5f.tmp`,
      mine: `.${process.pid}-1a1b2c3d4e5f.tmp`, // this process's id: an earlier process's, reused
      liveFresh: `.${livePid}-2a1b2c3d4e5f.tmp`, // a write in progress, perhaps
      liveOld: `.${livePid}-3a1b2c3d4e5f.tmp`, // two hours old: no write takes that long
      bounce: "0100019abc-000000.eml",
      other: "notes.tmp",
    };
    for (const name of Object.values(names)) writeFileSync(join(outbox, name), "partial");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(outbox, names.liveOld), twoHoursAgo, twoHoursAgo);
    const logged: string[] = [];
    const restarted = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir, log: (line) => logged.push(line) });
    try {
      expect(readdirSync(outbox).sort()).toEqual([names.liveFresh, names.bounce, names.other].sort());
      expect(logged).toContain("outbox: removed 4 temporary files left by a crash");
    } finally {
      await restarted.close();
    }
  });

  test("a bounce written now leaves no temporary file behind", async () => {
    const id = await deliver(ses.smtpPort, mail({ to: "bob@example.com" }));
    expect((await signedCall(ses.httpPort, bounceParams(id))).status).toBe(200);
    expect(readdirSync(join(scratch.dir, "main", "outbox")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});

describe("item 8: the event loop keeps answering while a bounce of a huge original is rendered", () => {
  test("an original of 16 MB of header fields holds the loop less than half what rendering it whole takes", async () => {
    const field = "X-Filler: a header field of the kind an attacker repeats to make the header huge\r\n";
    const fields = field.repeat(Math.floor((16 * 1024 * 1024) / field.length));
    const raw = `From: Alice <alice@example.org>\r\nTo: bob@example.com\r\nSubject: huge\r\nMessage-ID: <huge.1@example.org>\r\n${fields}\r\nbody\r\n`;
    const id = await deliver(ses.smtpPort, raw);
    // A first call of a small original: the code the calls run is compiled before what is timed.
    expect((await signedCall(ses.httpPort, bounceParams(await deliver(ses.smtpPort, mail({ to: "bob@example.com" }))))).status).toBe(200);

    // What a SendBounce that read the whole header would cost: render it here, whole.
    const request = { OriginalMessageId: id, BounceSender: "mailer-daemon@example.com", BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" as const }] };
    let whole = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 2; i++) {
      const start = performance.now();
      renderBounce(request, { original: Buffer.from(raw), originalSender: "alice@example.org", now: new Date() });
      whole = Math.min(whole, performance.now() - start);
    }

    // The longest the loop goes without running a timer during a call. Reading the whole header in
    // the call would stall it at least `whole`; a call that reads at most 256 KiB of it stalls it
    // a fraction of that (reading the row, rendering). A pause of the whole machine (a burst of
    // load, a collection of this process's garbage) can stall one call as long, but not three in a
    // row; reading the whole header stalls every one.
    let lag = Number.POSITIVE_INFINITY;
    let r: Awaited<ReturnType<typeof signedCall>> | undefined;
    for (let attempt = 0; attempt < 3 && lag >= whole / 2; attempt++) {
      let longest = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 1);
      r = await signedCall(ses.httpPort, bounceParams(id));
      clearInterval(timer);
      expect(r.status).toBe(200);
      lag = Math.min(lag, longest);
    }
    expect(lag, `the loop stalled ${lag.toFixed(0)} ms; rendering the whole header takes ${whole.toFixed(0)} ms`).toBeLessThan(whole / 2);

    // The bounce returns the identifying fields, which come first.
    const eml = ses.bounce(/<MessageId>([^<]+)</.exec(r!.body)![1]!)!.raw.toString("utf8");
    expect(eml).toMatch(/Content-Type: text\/rfc822-headers[\s\S]*\r\nSubject: huge\r\nMessage-ID: <huge\.1@example\.org>\r\n/);
  }, SLOW);
});

describe("growth checks of the query decoder (every SendBounce body goes through it)", () => {
  test("n list members", async () => {
    const params = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`BouncedRecipientInfoList.member.${i + 1}.Recipient`, `a${i}@example.com`] as [string, string]));
    await expectLinear("decodeQuery, list members", params, (p) => decodeQuery(p, SEND_BOUNCE_SHAPE), 20_000);
  }, SLOW);

  test("n unknown parameters with long names (each gets a did-you-mean)", async () => {
    const params = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`Bounced${"x".repeat(40)}${i}`, "v"] as [string, string]));
    await expectLinear("decodeQuery, unknown parameters", params, (p) => decodeQuery(p, SEND_BOUNCE_SHAPE), 5_000);
  }, SLOW);

  test("list members numbered out of order, up to 999,999", async () => {
    const params = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`BouncedRecipientInfoList.member.${999_999 - i * 7}.Recipient`, "a@example.com"] as [string, string]));
    await expectLinear("decodeQuery, sparse members", params, (p) => decodeQuery(p, SEND_BOUNCE_SHAPE), 20_000);
  }, SLOW);
});
