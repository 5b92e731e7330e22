// Bounce everything a closed mailbox received in the last 24 hours.
//
//   node bulk-bounce.js received.jsonl gone@example.com mailer-daemon@example.com
//
// received.jsonl holds one received message per line, as a receipt-rule Lambda logged it:
//   {"messageId":"0100019abc…-000000","timestamp":"2026-11-26T08:12:03.511Z","source":"sender@example.org","recipients":["gone@example.com"]}
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { SESClient } from "@aws-sdk/client-ses";
import { BounceQueue, BounceWindowExpiredError } from "@dsnkit/ses";

/** One message SES received. */
export interface ReceivedMessage {
  messageId: string;
  timestamp: string;
  source: string;
  recipients: string[];
}

export interface BounceMailboxOptions {
  /** The closed mailbox. */
  mailbox: string;
  /** A verified SES identity. */
  bounceSender: string;
  /** Your account's SendBounce rate (default 1 per second). */
  rate?: number;
  /** Stops the run: bounces still waiting are not sent. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface BounceMailboxSummary {
  sent: number;
  /** Received more than 24 hours ago: SES would refuse them. */
  tooLate: number;
  /** Not for the mailbox, or themselves bounces. */
  skipped: number;
  failed: { messageId: string; error: string }[];
}

export async function bounceMailbox(
  client: SESClient,
  messages: AsyncIterable<ReceivedMessage> | Iterable<ReceivedMessage>,
  options: BounceMailboxOptions,
): Promise<BounceMailboxSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const queue = new BounceQueue(client, { rate: options.rate ?? 1 });
  queue.on("sent", (e) => log(`sent ${e.originalMessageId}: ${e.counts.sent} sent, ${e.counts.waiting} waiting`));
  queue.on("retry", (e) => log(`retrying ${e.originalMessageId} in ${e.delayMs} ms (${e.reason})`));

  const summary: BounceMailboxSummary = { sent: 0, tooLate: 0, skipped: 0, failed: [] };
  const outcomes: Promise<void>[] = [];
  const mailbox = options.mailbox.toLowerCase();
  for await (const message of messages) {
    const recipient = message.recipients.find((r) => r.toLowerCase() === mailbox);
    if (recipient === undefined || message.source === "") {
      summary.skipped++;
      continue;
    }
    const outcome = queue.enqueue(
      {
        OriginalMessageId: message.messageId,
        BounceSender: options.bounceSender,
        Explanation: `The mailbox ${recipient} has been closed; your message was not delivered.`,
        BouncedRecipientInfoList: [{ Recipient: recipient, BounceType: "DoesNotExist" }],
      },
      options.signal !== undefined ? { arrivalDate: message.timestamp, signal: options.signal } : { arrivalDate: message.timestamp },
    );
    outcomes.push(
      outcome.then(
        () => {
          summary.sent++;
        },
        (error: unknown) => {
          if (error instanceof BounceWindowExpiredError) summary.tooLate++;
          else summary.failed.push({ messageId: message.messageId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        },
      ),
    );
    // Keep memory flat on huge inputs: let the queue catch up every thousand bounces.
    if (outcomes.length % 1000 === 0) await queue.drain();
  }
  await Promise.all(outcomes);
  return summary;
}

async function* readJsonLines(path: string): AsyncGenerator<ReceivedMessage> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === "") continue;
    try {
      yield JSON.parse(text) as ReceivedMessage;
    } catch (e) {
      throw new Error(`${path}:${line}: not JSON: ${(e as Error).message}`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, mailbox, bounceSender] = process.argv.slice(2);
  if (path === undefined || mailbox === undefined || bounceSender === undefined) {
    console.error("usage: node bulk-bounce.js RECEIVED.jsonl MAILBOX BOUNCE_SENDER");
    process.exit(2);
  }
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort(new Error("interrupted")));
  const summary = await bounceMailbox(new SESClient({}), readJsonLines(path), { mailbox, bounceSender, signal: stop.signal });
  console.log(JSON.stringify(summary, null, 2));
  process.exitCode = summary.failed.length === 0 ? 0 : 1;
}
