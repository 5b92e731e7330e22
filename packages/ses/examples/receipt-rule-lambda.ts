// An SES receipt-rule Lambda action that bounces mail sent to mailboxes that do not exist.
//
// Configuration (Lambda environment variables):
//   MAILBOXES       comma-separated addresses that exist, e.g. "alice@example.com,bob@example.com"
//   BOUNCE_SENDER   a verified SES identity to send bounces from, e.g. "mailer-daemon@example.com"
//   DRY_RUN=1       log the bounce SES would send instead of sending it
import { SESClient } from "@aws-sdk/client-ses";
import { BounceOutcomeUnknownError, BounceQueue, BounceRejectedError, BounceWindowExpiredError, preview } from "@dsnkit/ses";
import type { SendBounceRequest, SesReceiptEvent, SesReceiptResult } from "@dsnkit/ses";

const mailboxes = new Set(
  (process.env.MAILBOXES ?? "")
    .split(",")
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== ""),
);
const bounceSender = process.env.BOUNCE_SENDER ?? "mailer-daemon@example.com";
const dryRun = process.env.DRY_RUN === "1";
const region = process.env.AWS_REGION ?? "us-east-1";

// One client and one queue per Lambda container: warm invocations share the pacing (SES allows
// one SendBounce call per second) and the memory of what was already bounced.
const queue = new BounceQueue(new SESClient({}), { rate: 1 });

export async function handler(event: SesReceiptEvent): Promise<SesReceiptResult> {
  let everyRecipientBounced = true;
  for (const record of event.Records) {
    const { mail, receipt } = record.ses;
    const unknown = receipt.recipients.filter((r) => !mailboxes.has(r.toLowerCase()));
    if (unknown.length < receipt.recipients.length) everyRecipientBounced = false;
    if (unknown.length === 0) continue;

    // Never bounce a bounce (a null reverse-path), and never bounce spam, viruses or forged
    // senders: the bounce would go to an innocent third party (backscatter).
    if (mail.source === "" || mail.source === "<>") continue;
    if ([receipt.spamVerdict, receipt.virusVerdict, receipt.spfVerdict].some((v) => v.status === "FAIL")) continue;

    const request: SendBounceRequest = {
      OriginalMessageId: mail.messageId,
      BounceSender: bounceSender,
      MessageDsn: { ReportingMta: `dns; inbound-smtp.${region}.amazonaws.com`, ArrivalDate: mail.timestamp },
      BouncedRecipientInfoList: unknown.map((Recipient) => ({ Recipient, BounceType: "DoesNotExist" })),
    };

    if (dryRun) {
      const { raw } = preview(request, { originalSender: mail.source, arrivalDate: mail.timestamp });
      console.log(raw);
      continue;
    }
    try {
      const { messageId } = await queue.enqueue(request, { arrivalDate: mail.timestamp });
      console.log(JSON.stringify({ bounced: unknown, to: mail.source, originalMessageId: mail.messageId, bounceMessageId: messageId }));
    } catch (error) {
      // Refused for good (retrying would not help), or sent with no answer (retrying could bounce
      // twice): log and go on.
      if (error instanceof BounceRejectedError || error instanceof BounceWindowExpiredError || error instanceof BounceOutcomeUnknownError) {
        console.error(JSON.stringify({ notBounced: unknown, originalMessageId: mail.messageId, error: error.name, message: error.message }));
        continue;
      }
      throw error; // throttling that outlasted the retries, other SES errors: Lambda retries the event
    }
  }
  // Stop the rule's later actions (say, delivery to S3) only when nobody here will read the mail.
  return { disposition: everyRecipientBounced ? "STOP_RULE" : "CONTINUE" };
}
