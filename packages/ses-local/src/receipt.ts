/**
 * Receiving as SES receives: the active receipt rule set runs on each message stored from SMTP.
 * Rules run in order; a rule applies when one of its recipient conditions matches one of the
 * message's envelope recipients (an address, a domain, `.domain` for its subdomains; no condition
 * matches all), and its actions run in order: Bounce (through the same path as SendBounce), Lambda
 * (a local function; `RequestResponse` waits for its disposition, `Event` does not), Stop,
 * AddHeader and S3 (a local folder per bucket).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { setTimeout as wait } from "node:timers/promises";
import { dirname, join } from "node:path";
import { decodeEncodedWords, readOriginal, validateBounceRequest } from "@dsnkit/core";
import type { SesMailCommonHeaders, SesMailHeader, SesReceiptEvent, SesReceiptVerdict } from "@dsnkit/core";
import { acceptBounce } from "./api.js";
import type { ApiContext } from "./api.js";
import { SesError } from "./errors.js";
import type { LambdaRunner } from "./lambda.js";
import { functionName } from "./lambda.js";
import { writeFileAtomic } from "./outbox.js";
import { bounceRequest } from "./receipt-rules.js";
import type { ReceiptAction, ReceiptActionType, ReceiptRule } from "./receipt-rules.js";
import type { SesLocalStore, StoredMessage } from "./store.js";

/**
 * True when an envelope recipient matches a rule's recipient conditions, as SES matches them
 * (case-insensitively): `user@example.com` that address, `example.com` every address of that
 * domain (not of its subdomains), `.example.com` every address of its subdomains; no conditions
 * at all match every recipient.
 *
 * @example
 * recipientMatches(["example.com"], "Bob@Example.com");
 * //=> true
 * recipientMatches(["example.com"], "bob@mail.example.com");
 * //=> false
 * recipientMatches([".example.com"], "bob@mail.example.com");
 * //=> true
 */
export function recipientMatches(conditions: readonly string[], address: string): boolean {
  if (conditions.length === 0) return true;
  const a = address.toLowerCase();
  const domain = a.slice(a.lastIndexOf("@") + 1);
  for (const c of conditions) {
    const condition = c.toLowerCase();
    if (condition.includes("@") ? a === condition : condition.startsWith(".") ? domain.endsWith(condition) : domain === condition) return true;
  }
  return false;
}

/**
 * Why SES would refuse an envelope recipient at `RCPT TO`, or `undefined` to take it: with a rule
 * set active, SES accepts mail only for recipients an enabled rule of the set matches. Without an
 * active set, ses-local takes every recipient of its `domains`.
 *
 * @example
 * refusedRecipient(store, "nobody@example.org");
 * //=> "no enabled rule of the active receipt rule set default matches it"
 */
export function refusedRecipient(store: SesLocalStore, address: string): string | undefined {
  const name = store.activeRuleSet();
  const set = name === undefined ? undefined : store.getRuleSet(name);
  if (set === undefined) return undefined;
  if (set.rules.some((r) => r.Enabled && recipientMatches(r.Recipients, address))) return undefined;
  return `no enabled rule of the active receipt rule set ${set.name} matches it`;
}

/**
 * The addresses of an address-list field (`From`, `To`, `Cc`...), each as written: split at the
 * commas that separate them, not at those inside quotes, comments, angle brackets or domain
 * literals; a group's name is dropped and its members kept.
 *
 * @example
 * splitAddressList('"Doe, John" <john@example.com>, jane@example.com');
 * //=> ['"Doe, John" <john@example.com>', "jane@example.com"]
 * splitAddressList("team: a@example.com, b@example.com;");
 * //=> ["a@example.com", "b@example.com"]
 */
export function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let comment = 0;
  let angle = false;
  let literal = false;
  let group = false;
  const push = () => {
    const t = cur.trim();
    if (t !== "") out.push(t);
    cur = "";
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted || comment > 0) {
      cur += c;
      if (c === "\\" && i + 1 < value.length) cur += value[++i];
      else if (quoted && c === '"') quoted = false;
      else if (!quoted && c === "(") comment++;
      else if (!quoted && c === ")") comment--;
      continue;
    }
    if (literal) {
      cur += c;
      if (c === "]") literal = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "(") comment = 1;
    else if (c === "[") literal = true;
    else if (c === "<") angle = true;
    else if (c === ">") angle = false;
    else if (!angle && c === ":" && !group) {
      group = true;
      cur = "";
      continue;
    } else if (!angle && (c === "," || (c === ";" && group))) {
      if (c === ";") group = false;
      push();
      continue;
    }
    cur += c;
  }
  push();
  return out;
}

/** What SES passes of the header fields: 10 KB at most. */
const HEADERS_LIMIT = 10 * 1024;

/**
 * The `mail.headers`, `mail.headersTruncated` and `mail.commonHeaders` of a receipt event for a
 * message: its header fields in order, unfolded, up to 10 KB; and the common ones.
 *
 * @example
 * mailHeaders(Buffer.from("From: a@example.org\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\nbody")).commonHeaders;
 * //=> { from: ["a@example.org"], subject: "café" }
 */
export function mailHeaders(raw: Uint8Array): { headers: SesMailHeader[]; headersTruncated: boolean; commonHeaders: SesMailCommonHeaders } {
  const { fields } = readOriginal(raw);
  const headers: SesMailHeader[] = [];
  const common: SesMailCommonHeaders = {};
  let size = 0;
  let headersTruncated = false;
  for (const f of fields) {
    const value = f.text
      .slice(f.name.length + 1)
      .replace(/\r\n/g, "")
      .replace(/^[ \t]+/, "");
    size += f.octets;
    if (size > HEADERS_LIMIT) headersTruncated = true;
    if (!headersTruncated) headers.push({ name: f.name, value });
    const key = COMMON[f.name.toLowerCase()];
    if (key === undefined || common[key] !== undefined) continue;
    if (key === "returnPath") common.returnPath = value.trim().replace(/^<(.*)>$/, "$1");
    else if (key === "subject") common.subject = decodeEncodedWords(value);
    else if (key === "date" || key === "messageId") common[key] = value.trim();
    else common[key] = splitAddressList(value);
  }
  return { headers, headersTruncated, commonHeaders: common };
}

const COMMON: Readonly<Record<string, keyof SesMailCommonHeaders>> = {
  "return-path": "returnPath",
  from: "from",
  sender: "sender",
  "reply-to": "replyTo",
  to: "to",
  cc: "cc",
  bcc: "bcc",
  date: "date",
  "message-id": "messageId",
  subject: "subject",
};

/**
 * The event SES passes to a Lambda action: `mail` from the message as the rule's actions see it
 * (with headers that AddHeader actions added), `receipt` with the recipients the rule matched.
 * ses-local scans nothing and checks no DNS: the spam and virus verdicts are `DISABLED` when the
 * rule does not scan and `GRAY` when it does; SPF, DKIM and DMARC are `GRAY`.
 *
 * @example
 * const event = receiptEvent({ message, raw: message.raw, recipients: ["nobody@example.com"], scanEnabled: false, functionArn: arn, invocationType: "RequestResponse", now: new Date() });
 * event.Records[0]!.ses.receipt.action.type;
 * //=> "Lambda"
 */
export function receiptEvent(input: {
  message: StoredMessage;
  raw: Uint8Array;
  recipients: readonly string[];
  scanEnabled: boolean;
  functionArn: string;
  invocationType: "Event" | "RequestResponse";
  topicArn?: string;
  now: Date;
}): SesReceiptEvent {
  const { message } = input;
  const { headers, headersTruncated, commonHeaders } = mailHeaders(input.raw);
  const scan: SesReceiptVerdict = { status: input.scanEnabled ? "GRAY" : "DISABLED" };
  const gray: SesReceiptVerdict = { status: "GRAY" };
  const timestamp = message.arrival.toISOString();
  const action: SesReceiptEvent["Records"][number]["ses"]["receipt"]["action"] = { type: "Lambda", functionArn: input.functionArn, invocationType: input.invocationType };
  if (input.topicArn !== undefined) action.topicArn = input.topicArn;
  return {
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: { timestamp, source: message.mailFrom, messageId: message.messageId, destination: [...message.rcptTo], headersTruncated, headers, commonHeaders },
          receipt: {
            timestamp,
            processingTimeMillis: Math.max(0, input.now.getTime() - message.arrival.getTime()),
            recipients: [...input.recipients],
            spamVerdict: scan,
            virusVerdict: { ...scan },
            spfVerdict: gray,
            dkimVerdict: { ...gray },
            dmarcVerdict: { ...gray },
            action,
          },
        },
      },
    ],
  };
}

/**
 * What the receipt rules work with: the actions' context, plus the emulator's region (a Bounce
 * action's Reporting-MTA), where S3 actions write, and the local Lambda functions.
 *
 * @example
 * const ctx: ReceiptContext = { ...apiContext, region: "us-east-1", s3Dir: "/tmp/ses-local/s3", lambdas };
 */
export interface ReceiptContext extends ApiContext {
  region: string;
  /** S3 actions write `<s3Dir>/<bucket>/<key>`. */
  s3Dir: string;
  lambdas: LambdaRunner;
  /**
   * Milliseconds to wait before each retry of a failed `Event` invocation, as Lambda retries an
   * asynchronous invocation that ends in an error or a timeout: one entry per retry. Default
   * {@link LAMBDA_EVENT_RETRY_DELAYS_MS} (Lambda's: 1 minute, then 2); `[]` tries once.
   */
  eventRetryDelaysMs?: readonly number[];
}

/**
 * Lambda's waits before it retries a failed asynchronous (`Event`) invocation: two more attempts,
 * one minute after the first, two minutes after the second.
 *
 * @example
 * LAMBDA_EVENT_RETRY_DELAYS_MS;
 * //=> [60000, 120000]
 */
export const LAMBDA_EVENT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([60_000, 120_000]);

type Disposition = "CONTINUE" | "STOP_RULE" | "STOP_RULE_SET";
const DISPOSITIONS: readonly string[] = ["CONTINUE", "STOP_RULE", "STOP_RULE_SET"];

/** `60 s`, `2 min`, `1.5 s`: a retry delay as the log says it. */
function formatDelay(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Runs the active rule set on received messages, in the background: {@link ReceiptRules.process}
 * starts a message's evaluation, {@link ReceiptRules.idle} waits for every evaluation and `Event`
 * invocation started so far.
 *
 * @example
 * const rules = new ReceiptRules(ctx);
 * rules.process(message);
 * await rules.idle();
 * await rules.close();
 */
export class ReceiptRules {
  private readonly running = new Set<Promise<void>>();
  /** Aborted when ses-local stops: no evaluation starts, and waits before `Event` retries end. */
  private readonly stopping = new AbortController();

  constructor(private readonly ctx: ReceiptContext) {}

  /**
   * Starts running the active rule set on a message that was just stored.
   *
   * @example
   * rules.process(message);
   */
  process(message: StoredMessage): void {
    if (this.stopping.signal.aborted) return;
    this.track(
      this.run(message).catch((e: unknown) => this.ctx.warn(`receipt rules: internal error on ${message.messageId}: ${(e as Error).stack ?? String(e)}`)),
    );
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /**
   * Resolves once every evaluation and `Event` invocation started so far (and any they start) has ended.
   *
   * @example
   * await rules.idle();
   */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /**
   * Starts no more evaluations, stops the local functions and waits for what runs to end.
   *
   * @example
   * await rules.close();
   */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.ctx.lambdas.close();
    await this.idle();
  }

  private async run(message: StoredMessage): Promise<void> {
    const setName = this.ctx.store.activeRuleSet();
    const set = setName === undefined ? undefined : this.ctx.store.getRuleSet(setName);
    if (set === undefined) return;
    const id = message.messageId;
    // The message as the actions see it: AddHeader actions add to this copy, not to the store's.
    let raw: Buffer = message.raw;
    rules: for (const rule of set.rules) {
      if (!rule.Enabled) continue;
      const recipients = message.rcptTo.filter((r) => recipientMatches(rule.Recipients, r));
      if (recipients.length === 0) continue;
      const label = `${set.name}/${rule.Name}`;
      this.ctx.log(`receipt rule ${label} matches ${id} for ${recipients.map((r) => `<${r}>`).join(", ")}`);
      for (const action of rule.Actions) {
        const [type, a] = Object.entries(action)[0] as [ReceiptActionType, Record<string, string | undefined>];
        switch (type) {
          case "StopAction":
            this.ctx.log(`receipt rule ${label}: Stop: no later action or rule runs for ${id}`);
            return;
          case "AddHeaderAction":
            raw = Buffer.concat([Buffer.from(`${a.HeaderName}: ${a.HeaderValue}\r\n`, "utf8"), raw]);
            this.ctx.log(`receipt rule ${label}: AddHeader ${a.HeaderName} to ${id}`);
            break;
          case "BounceAction":
            await this.bounce(message, action as Extract<ReceiptAction, { BounceAction: unknown }>, recipients, label);
            break;
          case "S3Action":
            await this.s3(message, raw, a, label);
            break;
          case "LambdaAction": {
            const d = await this.lambda(message, raw, rule, a, recipients, label);
            if (d === "STOP_RULE") continue rules;
            if (d === "STOP_RULE_SET") return;
            break;
          }
          default:
            this.ctx.log(`receipt rule ${label}: ${type} is not emulated by ses-local: skipped for ${id}`);
        }
      }
    }
  }

  /** The Bounce action: the request it stands for, through SendBounce's own path. */
  private async bounce(message: StoredMessage, action: Extract<ReceiptAction, { BounceAction: unknown }>, recipients: readonly string[], label: string): Promise<void> {
    const id = message.messageId;
    if (message.mailFrom === "") {
      this.ctx.log(`receipt rule ${label}: Bounce: ${id} is not bounced: its reverse-path is null (MAIL FROM:<>), it is itself a notification`);
      return;
    }
    const validation = validateBounceRequest(bounceRequest(action, id, recipients));
    try {
      if (!validation.ok) throw new SesError("InvalidParameterValue", validation.issues.map((i) => i.message).join("; "));
      await acceptBounce(this.ctx, validation.value, { region: this.ctx.region, accessKeyId: "", receiptRule: label });
    } catch (e) {
      if (!(e instanceof SesError)) throw e;
      this.ctx.warn(`receipt rule ${label}: Bounce: ${id} was not bounced: ${e.code}: ${e.message}`);
    }
  }

  /** The S3 action: the message (with added headers) as `<s3Dir>/<bucket>/<prefix>/<message id>`. */
  private async s3(message: StoredMessage, raw: Buffer, a: Record<string, string | undefined>, label: string): Promise<void> {
    const prefix = a.ObjectKeyPrefix ?? "";
    const key = `${prefix}${prefix === "" || prefix.endsWith("/") ? "" : "/"}${message.messageId}`;
    const path = join(this.ctx.s3Dir, a.BucketName!, ...key.split("/").filter((s) => s !== ""));
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, raw);
      this.ctx.log(`receipt rule ${label}: S3: wrote ${message.messageId} to s3://${a.BucketName}/${key} (${path})`);
    } catch (e) {
      this.ctx.warn(`receipt rule ${label}: S3: could not write ${message.messageId} to ${path}: ${(e as Error).message}`);
    }
  }

  /**
   * An asynchronous invocation as Lambda runs one: a function error or a timeout is retried after
   * each of the delays (Lambda's: 1 minute, then 2), with the same event and request id; after
   * the last, the event is dropped. A function that is not mapped is not retried (Lambda refuses
   * to queue an event for a function that does not exist), nor is one when ses-local stops.
   */
  private async invokeEvent(arn: string, event: SesReceiptEvent, what: string): Promise<void> {
    const delays = this.ctx.eventRetryDelaysMs ?? LAMBDA_EVENT_RETRY_DELAYS_MS;
    const requestId = randomUUID();
    const attempts = delays.length + 1;
    for (let attempt = 1; ; attempt++) {
      const o = await this.ctx.lambdas.invoke(arn, event, requestId);
      const tries = attempts > 1 ? ` (attempt ${attempt} of ${attempts})` : "";
      if (o.ok) {
        this.ctx.log(`${what} ended in ${o.ms} ms${attempt > 1 ? tries : ""}`);
        return;
      }
      const failed = `${what} failed after ${o.ms} ms${tries}: ${o.error}`;
      const delay = delays[attempt - 1];
      const dropped = this.stopping.signal.aborted
        ? "ses-local is stopping"
        : !this.ctx.lambdas.has(arn)
          ? "not retried"
          : delay === undefined
            ? attempts > 1
              ? "no try left"
              : "not retried (no retries configured)"
            : undefined;
      if (dropped !== undefined || delay === undefined) {
        this.ctx.warn(`${failed}; ${dropped}: the event is dropped`);
        return;
      }
      this.ctx.warn(`${failed}; Lambda tries it again in ${formatDelay(delay)}`);
      await wait(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      if (this.stopping.signal.aborted) {
        this.ctx.warn(`${what}: attempt ${attempt + 1} of ${attempts} not made: ses-local is stopping; the event is dropped`);
        return;
      }
    }
  }

  /** The Lambda action: invokes the function; with RequestResponse, reads its disposition. */
  private async lambda(message: StoredMessage, raw: Buffer, rule: ReceiptRule, a: Record<string, string | undefined>, recipients: readonly string[], label: string): Promise<Disposition> {
    const arn = a.FunctionArn!;
    const invocationType = a.InvocationType === "RequestResponse" ? "RequestResponse" : "Event";
    const event = receiptEvent({
      message,
      raw,
      recipients,
      scanEnabled: rule.ScanEnabled,
      functionArn: arn,
      invocationType,
      ...(a.TopicArn !== undefined ? { topicArn: a.TopicArn } : {}),
      now: this.ctx.clock(),
    });
    const name = functionName(arn);
    const id = message.messageId;
    if (invocationType === "Event") {
      // SES hands the event to Lambda and goes on; Lambda runs it, retries it when it fails, and
      // the outcome is only logged.
      this.track(this.invokeEvent(arn, event, `receipt rule ${label}: Lambda ${name} (Event) for ${id}`));
      this.ctx.log(`receipt rule ${label}: Lambda ${name} (Event) invoked for ${id}`);
      return "CONTINUE";
    }
    const o = await this.ctx.lambdas.invoke(arn, event);
    if (!o.ok) {
      this.ctx.warn(`receipt rule ${label}: Lambda ${name} (RequestResponse) for ${id} failed after ${o.ms} ms: ${o.error}; the rule set goes on as for CONTINUE`);
      return "CONTINUE";
    }
    const d = (o.result as { disposition?: unknown } | null)?.disposition;
    if (typeof d === "string" && DISPOSITIONS.includes(d)) {
      this.ctx.log(`receipt rule ${label}: Lambda ${name} (RequestResponse) for ${id} returned ${d} in ${o.ms} ms`);
      return d as Disposition;
    }
    const shown = JSON.stringify(o.result) ?? "nothing";
    const line = `receipt rule ${label}: Lambda ${name} (RequestResponse) for ${id} returned ${shown.length > 200 ? `${shown.slice(0, 200)}...` : shown} in ${o.ms} ms`;
    if (o.result === null) this.ctx.log(`${line}: no disposition, so CONTINUE`);
    else this.ctx.warn(`${line}: not a disposition SES knows (STOP_RULE, STOP_RULE_SET, CONTINUE), so CONTINUE`);
    return "CONTINUE";
  }
}
