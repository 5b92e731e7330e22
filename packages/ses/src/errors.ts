/**
 * The errors `@dsnkit/ses` throws. Each has a literal `name` (so `switch (e.name)` works across
 * copies of the package), says in its message what went wrong and what to do, and keeps the AWS
 * SDK error it stands for as `cause`.
 *
 * @module
 */
import { formatIssues } from "@dsnkit/core";
import type { Issue } from "@dsnkit/core";

/**
 * The base of every error this package throws: `instanceof BounceError` catches them all.
 *
 * @example
 * try {
 *   await sendBounce(client, request);
 * } catch (e) {
 *   if (e instanceof BounceError) console.error(`${e.name}: ${e.message}`);
 *   else throw e;
 * }
 */
export class BounceError extends Error {
  override readonly name: string = "BounceError";
}

/**
 * The request (or an option) is not valid: `issues` holds every problem found, each with its path,
 * a stable code and a message. No request was sent.
 *
 * @example
 * try {
 *   await sendBounce(client, { OriginalMessageId: "m1", BounceSender: "not an address", BouncedRecipientInfoList: [] });
 * } catch (e) {
 *   if (e instanceof BounceValidationError) e.issues.map((i) => i.code);
 *   //=> ["invalid_mailbox", "too_small"]
 * }
 */
export class BounceValidationError extends BounceError {
  override readonly name = "BounceValidationError" as const;
  /** Every problem found, not only the first. */
  readonly issues: Issue[];

  constructor(issues: Issue[], options?: ErrorOptions) {
    const n = issues.length;
    super(`the bounce was not sent: ${n} problem${n === 1 ? "" : "s"} found:\n${formatIssues(issues)}`, options);
    this.issues = issues;
  }
}

/**
 * SES refused the bounce with `MessageRejected` (for example: the BounceSender is not a verified
 * identity, or the original message is unknown or too old). SES sent nothing, and the call is
 * never retried: it would fail the same way. `sesMessage` is SES's own text; `cause` is the SDK's
 * `MessageRejected` exception.
 *
 * @example
 * try {
 *   await queue.enqueue(request);
 * } catch (e) {
 *   if (e instanceof BounceRejectedError) e.sesMessage;
 *   //=> "Email address is not verified. The following identities failed the check in region EU-WEST-1: mailer-daemon@example.com"
 * }
 */
export class BounceRejectedError extends BounceError {
  override readonly name = "BounceRejectedError" as const;
  /** SES's message, as it came. */
  readonly sesMessage: string;
  /** How many requests were made for this bounce (the last one was rejected). */
  readonly attempts: number;

  constructor(sesMessage: string, attempts: number, options?: ErrorOptions) {
    super(`SES rejected the bounce (MessageRejected): ${sesMessage}`, options);
    this.sesMessage = sesMessage;
    this.attempts = attempts;
  }
}

/**
 * The original arrived more than 24 hours ago (or `maxAgeMs`), so SES would refuse the bounce:
 * it was not sent. `expiredByMs` says by how much the window was missed.
 *
 * @example
 * try {
 *   await sendBounce(client, request, { arrivalDate: "2026-11-25T08:00:00Z", now: () => new Date("2026-11-26T10:30:00Z") });
 * } catch (e) {
 *   if (e instanceof BounceWindowExpiredError) e.expiredByMs;
 *   //=> 9000000
 * }
 */
export class BounceWindowExpiredError extends BounceError {
  override readonly name = "BounceWindowExpiredError" as const;
  /** When the original arrived. */
  readonly arrivalDate: Date;
  /** The last moment SES would accept the bounce. */
  readonly deadline: Date;
  /** The clock's time at the check. */
  readonly checkedAt: Date;
  /** How long ago the window closed, in milliseconds (always positive). */
  readonly expiredByMs: number;

  constructor(arrivalDate: Date, deadline: Date, checkedAt: Date, maxAgeMs: number) {
    const expiredByMs = checkedAt.getTime() - deadline.getTime();
    const age = checkedAt.getTime() - arrivalDate.getTime();
    super(
      `the bounce was not sent: the original arrived at ${iso(arrivalDate)}, ${formatDuration(age)} ago, and SES accepts ` +
        `SendBounce only within ${formatDuration(maxAgeMs)} of receipt: the window closed at ${iso(deadline)}, ` +
        `${formatDuration(expiredByMs)} too late`,
    );
    this.arrivalDate = arrivalDate;
    this.deadline = deadline;
    this.checkedAt = checkedAt;
    this.expiredByMs = expiredByMs;
  }
}

/**
 * Why a {@link BounceThrottledError} gave up.
 *
 * | reason | meaning |
 * |---|---|
 * | `retries-spent` | every attempt allowed was throttled |
 * | `daily-quota` | "Daily message quota exceeded": waiting seconds will not help, so it is not retried |
 * | `retry-after-too-long` | SES asked to wait longer than `maxDelayMs` |
 *
 * @example
 * const reason: ThrottleReason = "daily-quota";
 */
export type ThrottleReason = "retries-spent" | "daily-quota" | "retry-after-too-long";

/**
 * SES throttled the bounce (`Throttling`, or HTTP 429) and the queue stopped retrying: see
 * `reason`. SES sent nothing. `cause` is the SDK's last error.
 *
 * @example
 * try {
 *   await queue.enqueue(request);
 * } catch (e) {
 *   if (e instanceof BounceThrottledError) [e.reason, e.attempts];
 *   //=> ["retries-spent", 5]
 * }
 */
export class BounceThrottledError extends BounceError {
  override readonly name = "BounceThrottledError" as const;
  readonly reason: ThrottleReason;
  /** How many requests were made for this bounce. */
  readonly attempts: number;
  /** What the last response's Retry-After asked for, in milliseconds, when it had one. */
  readonly retryAfterMs: number | undefined;

  constructor(reason: ThrottleReason, attempts: number, sesMessage: string, retryAfterMs: number | undefined, options?: ErrorOptions) {
    const why =
      reason === "daily-quota"
        ? "the account's daily sending quota is used up; it is not retried"
        : reason === "retry-after-too-long"
          ? `SES asked to wait ${formatDuration(retryAfterMs ?? 0)}, longer than the queue's maxDelayMs`
          : `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
    super(`SES throttled the bounce (${sesMessage}): ${why}`, options);
    this.reason = reason;
    this.attempts = attempts;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The call failed for a reason other than a rejection or throttling, and SES did not send the
 * bounce: an SES error such as `AccessDenied` or `InvalidClientTokenId`, HTTP 5xx answers until the
 * attempts ran out, no connection to the endpoint, or a failure inside the SDK before the request
 * went out (credentials, endpoint). `code` is SES's error code, the network error's code or the
 * SDK error's name; `cause` is the SDK's error.
 *
 * @example
 * try {
 *   await sendBounce(client, request);
 * } catch (e) {
 *   if (e instanceof BounceServiceError) [e.code, e.statusCode];
 *   //=> ["InternalFailure", 500]
 * }
 */
export class BounceServiceError extends BounceError {
  override readonly name = "BounceServiceError" as const;
  /** SES's error code, the network error's code (`ECONNREFUSED`), or the SDK error's name. */
  readonly code: string;
  /** The HTTP status of the last response, when there was one. */
  readonly statusCode: number | undefined;
  /** How many requests were made for this bounce. */
  readonly attempts: number;

  constructor(code: string, statusCode: number | undefined, attempts: number, detail: string, options?: ErrorOptions) {
    super(
      `the SendBounce call failed (${statusCode !== undefined ? `HTTP ${statusCode} ` : ""}${code})` +
        `${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${detail}`,
      options,
    );
    this.code = code;
    this.statusCode = statusCode;
    this.attempts = attempts;
  }
}

/**
 * The request went out but no answer came back (the attempt timed out, or the connection was
 * lost): SES may or may not have sent the bounce. It is never retried by itself, so that a bounce
 * is sent at most once; check your mail logs, then send it again with `{ retry: true }` if needed.
 *
 * @example
 * try {
 *   await queue.enqueue(request);
 * } catch (e) {
 *   if (e instanceof BounceOutcomeUnknownError) e.reason;
 *   //=> "timeout"
 * }
 */
export class BounceOutcomeUnknownError extends BounceError {
  override readonly name = "BounceOutcomeUnknownError" as const;
  /** `timeout`: no answer within `timeoutMs`; `network`: the connection failed after the request was sent. */
  readonly reason: "timeout" | "network";
  /** How many requests were made for this bounce. */
  readonly attempts: number;

  constructor(reason: "timeout" | "network", attempts: number, detail: string, options?: ErrorOptions) {
    super(
      `the SendBounce request was sent but ${reason === "timeout" ? "no answer came" : "the connection failed"} (${detail}): ` +
        "SES may or may not have sent the bounce; it is not retried automatically",
      options,
    );
    this.reason = reason;
    this.attempts = attempts;
  }
}

function iso(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

/**
 * Writes a duration for people: `3 d 4 h` (from 48 hours on), `25 h 30 min`, `4 min 2 s`, `1.5 s`,
 * `250 ms`.
 *
 * @example
 * formatDuration(9_000_000);
 * //=> "2 h 30 min"
 * formatDuration(400 * 86_400_000);
 * //=> "400 d"
 */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) {
    const s = Math.round(abs / 100) / 10;
    return `${s} s`;
  }
  const totalSeconds = Math.round(abs / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const min = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h >= 48) return h % 24 > 0 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${h / 24} d`;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  return s > 0 ? `${min} min ${s} s` : `${min} min`;
}
