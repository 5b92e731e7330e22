/**
 * @dsnkit/ses against ses-local: sendBounce and the BounceQueue drive the real AWS SDK against
 * the emulator, whose SES rules, throttling and outbox are the ones the other clients meet. What
 * the emulator stored is the server-side count; what it wrote to its outbox is read back.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SESClient, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { parseDsn } from "@dsnkit/core";
import { BounceQueue, BounceRejectedError, BounceWindowExpiredError, preview, sendBounce } from "@dsnkit/ses";
import type { SendBounceRequest } from "@dsnkit/ses";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { ACCESS_KEY_ID, SECRET, deliver, mail, tempDir } from "../../packages/ses-local/test/helpers.js";

const REGION = "eu-west-1";
const SENDER = "bounces@example.org";

/** Starts an emulator with `rate` SendBounce calls per second, a client for it and a verified sender. */
async function emulator(rate: number) {
  const scratch = await tempDir();
  const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: scratch.dir, domains: ["example.com"], rate, region: REGION });
  const client = new SESClient({ endpoint: ses.endpoint, region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, maxAttempts: 1 });
  await client.send(new VerifyEmailIdentityCommand({ EmailAddress: SENDER }));
  return {
    ses,
    client,
    async close() {
      client.destroy();
      await ses.close();
      await scratch.remove();
    },
  };
}

/** Delivers a message to bob@ and carol@example.com over SMTP; returns its SES message id. */
function receive(ses: SesLocal, subject: string): Promise<string> {
  const messageId = `<${subject.replace(/\W/g, "")}@mail.example.org>`;
  return deliver(ses.smtpPort, mail({ subject, to: "bob@example.com, carol@example.com", messageId }), "alice@example.org", ["bob@example.com", "carol@example.com"]);
}

describe("sendBounce", () => {
  let e: Awaited<ReturnType<typeof emulator>>;
  beforeAll(async () => {
    e = await emulator(0);
  });
  afterAll(() => e?.close());

  test("sends what preview renders: the emulator's outbox has the same recipients, actions, statuses and diagnostics", async () => {
    const id = await receive(e.ses, "Previewed then sent");
    const request: SendBounceRequest = {
      OriginalMessageId: id,
      BounceSender: SENDER,
      Explanation: "Two of your recipients do not exist here.",
      MessageDsn: { ReportingMta: "mx.example.com", ExtensionFields: [{ Name: "X-Queue", Value: "q1" }] },
      BouncedRecipientInfoList: [
        { Recipient: "bob@example.com", BounceType: "DoesNotExist" },
        {
          Recipient: "carol@example.com",
          RecipientDsnFields: { Action: "failed", Status: "5.2.2", DiagnosticCode: "smtp; 552 5.2.2 Mailbox full", RemoteMta: "mx2.example.com" },
        },
      ],
    };
    const before = e.ses.bounces().length;
    const stored = e.ses.message(id)!;
    // The emulator writes SES's layout: preview in it too.
    const shown = preview(request, { original: stored.raw, region: REGION, profile: "ses" });

    const result = await sendBounce(e.client, request);
    expect(result.attempts).toBe(1);
    expect(e.ses.bounces()).toHaveLength(before + 1);
    const sent = parseDsn(await readFile(e.ses.outboxPath(result.messageId)));
    // Nothing to tolerate but where SES's layout departs from RFC 3464: its obsolete Arrival-Date
    // and the second empty line after each recipient block.
    expect(sent.tolerances.filter((t) => t.code !== "date-obsolete" && t.code !== "ds-extra-blank-line")).toEqual([]);
    const previewed = parseDsn(shown.raw);
    expect(sent.deliveryStatus.recipients).toEqual(previewed.deliveryStatus.recipients);
    expect(sent.deliveryStatus.perMessage.reportingMta).toEqual({ type: "dns", name: "mx.example.com" });
    expect(sent.deliveryStatus.perMessage.extensionFields).toEqual([{ name: "X-Queue", value: "q1" }]);
    expect(sent.explanation).toBe(previewed.explanation);
    expect(sent.message.to).toBe("alice@example.org");
    expect(sent.message.from?.address).toBe(SENDER);
    expect(sent.deliveryStatus.recipients.map((r) => [r.finalRecipient.address, r.status])).toEqual([
      ["bob@example.com", "5.1.1"],
      ["carol@example.com", "5.2.2"],
    ]);
  });

  test("the emulator's MessageRejected comes back as BounceRejectedError with SES's message; nothing is stored", async () => {
    const id = await receive(e.ses, "Not one of its recipients");
    const before = e.ses.bounces().length;
    const stranger = await sendBounce(e.client, { OriginalMessageId: id, BounceSender: SENDER, BouncedRecipientInfoList: [{ Recipient: "dave@example.com", BounceType: "DoesNotExist" }] }).catch(
      (err: unknown) => err,
    );
    expect(stranger).toBeInstanceOf(BounceRejectedError);
    expect((stranger as BounceRejectedError).message).toMatch(/dave@example\.com/);

    const unverified = await sendBounce(e.client, {
      OriginalMessageId: id,
      BounceSender: "someone@elsewhere.example",
      BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }],
    }).catch((err: unknown) => err);
    expect(unverified).toBeInstanceOf(BounceRejectedError);
    expect((unverified as BounceRejectedError).message).toMatch(/someone@elsewhere\.example/);

    const unknown = await sendBounce(e.client, {
      OriginalMessageId: "0000000000000000-00000000-0000-0000-0000-000000000000-000000",
      BounceSender: SENDER,
      BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }],
    }).catch((err: unknown) => err);
    expect(unknown).toBeInstanceOf(BounceRejectedError);
    expect(e.ses.bounces()).toHaveLength(before);
  });

  test("past the 24-hour window the adapter refuses before the emulator sees the call", async () => {
    const id = await receive(e.ses, "Too late");
    const before = e.ses.bounces().length;
    const arrival = e.ses.messages().find((m) => m.messageId === id)!.arrival;
    const later = new Date(arrival.getTime() + 25 * 3600_000);
    const err = await sendBounce(
      e.client,
      { OriginalMessageId: id, BounceSender: SENDER, MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: arrival }, BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }] },
      { now: () => later },
    ).catch((x: unknown) => x);
    // Had the call gone out, the emulator (whose clock says the message is new) would have accepted it.
    expect(err).toBeInstanceOf(BounceWindowExpiredError);
    expect(e.ses.bounces()).toHaveLength(before);
  });
});

describe("BounceQueue against the emulator's throttling", () => {
  let e: Awaited<ReturnType<typeof emulator>>;
  beforeAll(async () => {
    e = await emulator(2);
  });
  afterAll(() => e?.close());

  test("8 bounces queued at 10/s against an account limited to 2/s: each is stored exactly once, after retries", { timeout: 60_000 }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await receive(e.ses, `Queued ${i}`));
    const queue = new BounceQueue(e.client, { rate: 10, baseDelayMs: 200, maxDelayMs: 1000, maxAttempts: 20 });
    const requests: SendBounceRequest[] = ids.flatMap((id) =>
      ["bob@example.com", "carol@example.com"].map((r) => ({ OriginalMessageId: id, BounceSender: SENDER, BouncedRecipientInfoList: [{ Recipient: r, BounceType: "DoesNotExist" as const }] })),
    );
    // Every bounce is asked for twice, as a caller that retries after a timeout would.
    const results = await Promise.all([...requests, ...requests].map((r) => queue.enqueue(r)));
    await queue.drain();

    expect(queue.counts.sent).toBe(8);
    expect(queue.counts.failed).toBe(0);
    expect(queue.counts.retries).toBeGreaterThan(0);
    expect(results.slice(0, 8)).toEqual(results.slice(8));
    const stored = e.ses.bounces();
    expect(stored).toHaveLength(8);
    expect(new Set(stored.map((b) => b.bounceId))).toEqual(new Set(results.slice(0, 8).map((r) => r.messageId)));
  });
});
