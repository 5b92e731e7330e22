/**
 * `@dsnkit/ses`: send bounces through Amazon SES SendBounce with your own `SESClient`, safely.
 * Requests are validated by `@dsnkit/core` before any call (every problem at once), bounces past
 * SES's 24-hour window are refused with a clear error, each call makes one HTTP attempt so a
 * bounce is sent at most once, and {@link BounceQueue} paces calls to SES's rate and retries
 * throttling and server errors. {@link preview} renders locally the DSN a call will ask SES for.
 *
 * ```ts
 * import { SESClient } from "@aws-sdk/client-ses";
 * import { BounceQueue } from "@dsnkit/ses";
 *
 * const queue = new BounceQueue(new SESClient({}));
 * const { messageId } = await queue.enqueue({
 *   OriginalMessageId: "0100019abc-1111-2222-3333-444455556666-000000",
 *   BounceSender: "mailer-daemon@example.com",
 *   BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 * });
 * ```
 *
 * @module @dsnkit/ses
 */
export type { Issue, SendBounceRequest, Timestamp } from "@dsnkit/core";
export {
  BounceError,
  BounceOutcomeUnknownError,
  BounceRejectedError,
  BounceServiceError,
  BounceThrottledError,
  BounceValidationError,
  BounceWindowExpiredError,
  formatDuration,
} from "./errors.js";
export type { ThrottleReason } from "./errors.js";
export { bounceKey, toSendBounceInput } from "./convert.js";
export { SES_BOUNCE_WINDOW_MS, checkBounceWindow } from "./window.js";
export type { BounceWindowOptions } from "./window.js";
export { DEFAULT_TIMEOUT_MS, sendBounce } from "./send.js";
export type { SendBounceOptions, SendBounceResult } from "./send.js";
export { BounceQueue } from "./queue.js";
export type {
  BounceCancelledEvent,
  BounceEventBase,
  BounceFailedEvent,
  BounceQueueCounts,
  BounceQueueEvent,
  BounceQueueEventType,
  BounceQueueOptions,
  BounceQueuedEvent,
  BounceRetryEvent,
  BounceSentEvent,
  EnqueueOptions,
} from "./queue.js";
export { preview } from "./preview.js";
export type { BouncePreview, PreviewContext } from "./preview.js";
export type {
  SesMail,
  SesMailCommonHeaders,
  SesMailHeader,
  SesReceipt,
  SesReceiptDisposition,
  SesReceiptEvent,
  SesReceiptLambdaAction,
  SesReceiptRecord,
  SesReceiptResult,
  SesReceiptVerdict,
  SesReceiptVerdictStatus,
} from "@dsnkit/core";
