/**
 * The guide's examples (docs/ses.md) are the files in packages/ses/examples, word for word; they
 * type-check under the project's strict settings, and they run against the SES query fake.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SESClient } from "@aws-sdk/client-ses";
import { startSesQueryFake } from "./support/ses-query-fake.js";
import type { SesQueryFake } from "./support/ses-query-fake.js";
import { clientFor, originalId } from "./support/fixtures.js";
import type { SesReceiptEvent } from "@dsnkit/ses";
import type { ReceivedMessage } from "../examples/bulk-bounce.js";

const root = resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);

describe("the guide", () => {
  const guide = readFileSync(resolve(root, "docs/ses.md"), "utf8");
  const embedded = [...guide.matchAll(/<!-- file: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)];

  test("embeds both examples", () => {
    expect(embedded.map((m) => m[1])).toEqual(["packages/ses/examples/receipt-rule-lambda.ts", "packages/ses/examples/bulk-bounce.ts"]);
  });

  test.each(["packages/ses/examples/receipt-rule-lambda.ts", "packages/ses/examples/bulk-bounce.ts"])("shows %s exactly as it is", (file) => {
    const block = embedded.find((m) => m[1] === file);
    expect(block?.[2]).toBe(readFileSync(resolve(root, file), "utf8"));
  });

  test("the examples type-check (strict, noUncheckedIndexedAccess, verbatimModuleSyntax)", async () => {
    const tsc = resolve(root, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", "packages/ses/examples/tsconfig.json"], { cwd: root }).catch(
      (e: { stdout?: string; stderr?: string }) => e,
    );
    expect(`${result.stdout ?? ""}${result.stderr ?? ""}`).toBe("");
  });
});

describe("the receipt-rule Lambda handler", () => {
  let fake: SesQueryFake;
  const saved: Record<string, string | undefined> = {};
  const env: Record<string, string> = {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    MAILBOXES: "alice@example.com, bob@example.com",
    BOUNCE_SENDER: "mailer-daemon@example.com",
  };

  beforeAll(async () => {
    fake = await startSesQueryFake();
    for (const [k, v] of Object.entries({ ...env, AWS_ENDPOINT_URL_SES: fake.endpoint })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fake.close();
  });

  const verdict = { status: "PASS" } as const;
  function record(messageId: string, recipients: string[], source = "sender@example.org", spam: "PASS" | "FAIL" = "PASS"): SesReceiptEvent["Records"][number] {
    const timestamp = new Date(Date.now() - 60_000).toISOString();
    return {
      eventSource: "aws:ses",
      eventVersion: "1.0",
      ses: {
        mail: {
          timestamp,
          source,
          messageId,
          destination: recipients,
          headersTruncated: false,
          headers: [{ name: "From", value: source }],
          commonHeaders: { from: [source], to: recipients, subject: "Hello" },
        },
        receipt: {
          timestamp,
          processingTimeMillis: 500,
          recipients,
          spamVerdict: { status: spam },
          virusVerdict: verdict,
          spfVerdict: verdict,
          dkimVerdict: verdict,
          dmarcVerdict: verdict,
          action: { type: "Lambda", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:bouncer", invocationType: "RequestResponse" },
        },
      },
    };
  }

  test("bounces unknown recipients with the event's message id, arrival time and recipients; leaves spam, bounces and known mailboxes alone", async () => {
    const { handler } = await import("../examples/receipt-rule-lambda.js");
    const mixed = record("0100019abc-mixed-000000", ["alice@example.com", "ghost@example.com"]);
    const result = await handler({
      Records: [
        mixed,
        record("0100019abc-known-000000", ["bob@example.com"]),
        record("0100019abc-spam-000000", ["ghost@example.com"], "spammer@example.net", "FAIL"),
        record("0100019abc-bounce-000000", ["ghost@example.com"], ""),
      ],
    });
    expect(result).toEqual({ disposition: "CONTINUE" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.headers.authorization).toContain("/eu-west-1/ses/aws4_request");
    expect(fake.requests[0]!.form).toEqual([
      ["Action", "SendBounce"],
      ["Version", "2010-12-01"],
      ["OriginalMessageId", "0100019abc-mixed-000000"],
      ["BounceSender", "mailer-daemon@example.com"],
      ["BouncedRecipientInfoList.member.1.Recipient", "ghost@example.com"],
      ["BouncedRecipientInfoList.member.1.BounceType", "DoesNotExist"],
      ["MessageDsn.ReportingMta", "dns; inbound-smtp.eu-west-1.amazonaws.com"],
      ["MessageDsn.ArrivalDate", mixed.ses.mail.timestamp.replace(/\.\d{3}Z$/, "Z")],
    ]);

    // Every recipient unknown: the rule stops. The same event again (Lambda retrying it) is not bounced twice.
    const all = record("0100019abc-all-000000", ["ghost@example.com", "nobody@example.com"]);
    await expect(handler({ Records: [all] })).resolves.toEqual({ disposition: "STOP_RULE" });
    await expect(handler({ Records: [all] })).resolves.toEqual({ disposition: "STOP_RULE" });
    expect(fake.requests.map((r) => originalId(r.form))).toEqual(["0100019abc-mixed-000000", "0100019abc-all-000000"]);
  });
});

describe("bulk bouncing", () => {
  let fake: SesQueryFake;
  let client: SESClient;
  beforeAll(async () => {
    fake = await startSesQueryFake((req) =>
      originalId(req.form) === "rejected" ? { kind: "error", code: "MessageRejected", message: "Email address is not verified." } : { kind: "success" },
    );
    client = clientFor(fake);
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  test("bounces what the closed mailbox received within 24 hours and reports the rest", async () => {
    const { bounceMailbox } = await import("../examples/bulk-bounce.js");
    const recent = new Date(Date.now() - 3600_000).toISOString();
    const messages: ReceivedMessage[] = [
      { messageId: "m1", timestamp: recent, source: "a@example.org", recipients: ["Gone@example.com"] },
      { messageId: "m2", timestamp: recent, source: "b@example.org", recipients: ["x@example.com", "gone@example.com"] },
      { messageId: "old", timestamp: new Date(Date.now() - 30 * 3600_000).toISOString(), source: "c@example.org", recipients: ["gone@example.com"] },
      { messageId: "other", timestamp: recent, source: "d@example.org", recipients: ["alice@example.com"] },
      { messageId: "rejected", timestamp: recent, source: "e@example.org", recipients: ["gone@example.com"] },
    ];
    const lines: string[] = [];
    const summary = await bounceMailbox(client, messages, {
      mailbox: "gone@example.com",
      bounceSender: "mailer-daemon@example.com",
      rate: 20,
      log: (l) => lines.push(l),
    });
    expect(summary).toEqual({
      sent: 2,
      tooLate: 1,
      skipped: 1,
      failed: [{ messageId: "rejected", error: "BounceRejectedError: SES rejected the bounce (MessageRejected): Email address is not verified." }],
    });
    expect(fake.requests.map((r) => originalId(r.form))).toEqual(["m1", "m2", "rejected"]);
    expect(fake.requests[0]!.form).toContainEqual(["BouncedRecipientInfoList.member.1.Recipient", "Gone@example.com"]);
    expect(lines).toHaveLength(2);
  });
});
