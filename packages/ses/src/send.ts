/**
 * One bounce, one call: {@link sendBounce}.
 *
 * @module
 */
import type { SESClient } from "@aws-sdk/client-ses";
import type { SendBounceRequest } from "@dsnkit/core";
import { attemptSendBounce } from "./attempt.js";
import type { AttemptFailure } from "./attempt.js";
import { assertValidRequest, toSendBounceInput } from "./convert.js";
import {
  BounceOutcomeUnknownError,
  BounceRejectedError,
  BounceServiceError,
  BounceThrottledError,
  BounceValidationError,
  formatDuration,
} from "./errors.js";
import type { ThrottleReason } from "./errors.js";
import { functionOption, numberOption } from "./options.js";
import { checkBounceWindow } from "./window.js";
import type { BounceWindowOptions } from "./window.js";

/**
 * How long an attempt waits for SES's answer by default: 30 seconds. Then the bounce fails with
 * {@link BounceOutcomeUnknownError}: the request went out, so SES may have sent it.
 *
 * @example
 * await sendBounce(client, request, { timeoutMs: DEFAULT_TIMEOUT_MS / 3 });
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Options of {@link sendBounce}: the 24-hour check ({@link BounceWindowOptions}), cancellation and
 * a timeout.
 *
 * @example
 * const options: SendBounceOptions = {
 *   arrivalDate: record.ses.mail.timestamp,
 *   signal: AbortSignal.timeout(10_000),
 * };
 */
export interface SendBounceOptions extends BounceWindowOptions {
  /**
   * Cancels the call. Aborting while the request is in flight abandons the answer: SES may still
   * send the bounce. The promise rejects with the signal's `reason`.
   */
  signal?: AbortSignal;
  /**
   * Gives up waiting for SES's answer after this many milliseconds (default 30,000; `Infinity`
   * for never) with a {@link BounceOutcomeUnknownError}.
   */
  timeoutMs?: number;
  /**
   * Sends even when the original's arrival says SES's 24-hour window has closed, and lets SES
   * judge (it answers MessageRejected), as `aws ses send-bounce` does. Default `false`: such a
   * bounce is refused before any call with a {@link BounceWindowExpiredError}.
   */
  ignoreWindow?: boolean;
}

/**
 * What SES answered: the Message-ID SES gave the bounce, and how many requests it took.
 *
 * @example
 * const result: SendBounceResult = { messageId: "0100019abc-bounce", attempts: 1 };
 */
export interface SendBounceResult {
  /** SES's id for the bounce message it sent. */
  messageId: string;
  /** How many SendBounce requests were made (more than 1 after retries in a {@link BounceQueue}). */
  attempts: number;
}

/**
 * Maps a failed attempt to the error the caller sees.
 *
 * @param throttleReason - why a throttled (or 5xx) bounce is given up, when it is retryable.
 */
export function failureError(failure: AttemptFailure, attempts: number, throttleReason: ThrottleReason = "retries-spent"): unknown {
  const cause = { cause: failure.error };
  switch (failure.kind) {
    case "rejected":
      return new BounceRejectedError(failure.message, attempts, cause);
    case "throttled":
      return new BounceThrottledError(failure.daily ? "daily-quota" : throttleReason, attempts, failure.message, failure.retryAfterMs, cause);
    case "server":
      return new BounceServiceError(
        failure.code,
        failure.statusCode,
        attempts,
        throttleReason === "retry-after-too-long" && failure.retryAfterMs !== undefined
          ? `${failure.message}; SES asked to wait ${formatDuration(failure.retryAfterMs)}, longer than the queue's maxDelayMs`
          : failure.message,
        cause,
      );
    case "unsent":
      return new BounceServiceError(failure.code, undefined, attempts, `no connection to the endpoint: ${failure.message}`, cause);
    case "fatal":
      return new BounceServiceError(failure.code, failure.statusCode, attempts, failure.message, cause);
    case "unknown":
      return new BounceOutcomeUnknownError(failure.reason, attempts, failure.message, cause);
    case "aborted":
      return failure.reason;
  }
}

/**
 * Sends one bounce through SES SendBounce with your own `SESClient` (its credentials, region,
 * endpoint and middleware are used as they are; its configuration is never read or changed).
 *
 * In order: validates the request with `@dsnkit/core` (every problem in one
 * {@link BounceValidationError}); refuses a bounce past SES's 24-hour window when the original's
 * arrival is known ({@link BounceWindowExpiredError}; `ignoreWindow: true` sends it anyway); converts it ({@link toSendBounceInput});
 * makes exactly one HTTP request, whatever the client's retry settings, so the bounce is sent at
 * most once. Nothing is retried and nothing is paced: use a {@link BounceQueue} for that.
 *
 * @returns SES's message id for the bounce.
 * @throws {BounceValidationError} when the request or an option is invalid (no request made).
 * @throws {BounceWindowExpiredError} when the original arrived too long ago (no request made).
 * @throws {BounceRejectedError} when SES answers MessageRejected.
 * @throws {BounceThrottledError} when SES throttles the call.
 * @throws {BounceServiceError} on any other SES or HTTP error, or no connection.
 * @throws {BounceOutcomeUnknownError} when the request went out and no answer came.
 * @example
 * import { SESClient } from "@aws-sdk/client-ses";
 * import { sendBounce } from "@dsnkit/ses";
 *
 * const { messageId } = await sendBounce(new SESClient({ region: "eu-west-1" }), {
 *   OriginalMessageId: "0100019abc-1111-2222-3333-444455556666-000000",
 *   BounceSender: "mailer-daemon@example.com",
 *   BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 * });
 * messageId;
 * //=> "0100019abd-…-000000"
 */
export async function sendBounce(client: SESClient, request: SendBounceRequest, options: SendBounceOptions = {}): Promise<SendBounceResult> {
  const valid = assertValidRequest(request);
  if (typeof options !== "object" || options === null)
    throw new BounceValidationError([{ code: "invalid_option", path: ["options"], message: "options must be an object" }]);
  const now = functionOption(options.now, "now", () => new Date());
  const timeoutMs = numberOption(options.timeoutMs, "timeoutMs", { fallback: DEFAULT_TIMEOUT_MS, min: 0, exclusive: true, infinity: true });
  if (options.ignoreWindow !== true) checkBounceWindow(valid, { ...options, now });
  const input = toSendBounceInput(valid);
  options.signal?.throwIfAborted();
  const outcome = await attemptSendBounce(client, input, { signal: options.signal, timeoutMs, now });
  if (outcome.ok) return { messageId: outcome.messageId, attempts: 1 };
  throw failureError(outcome.failure, 1);
}
