/**
 * The dry run: the DSN SES will be asked to send, rendered locally by `@dsnkit/core`.
 *
 * @module
 */
import type { SendBounceCommandInput } from "@aws-sdk/client-ses";
import { DsnValidationError, renderBounce } from "@dsnkit/core";
import type { RenderBounceOptions, RenderedDsn, SendBounceRequest } from "@dsnkit/core";
import { assertValidRequest, toSendBounceInput } from "./convert.js";
import { BounceValidationError } from "./errors.js";
import { checkBounceWindow } from "./window.js";

/**
 * What {@link preview} needs: core's render options (the original message or its sender, the
 * clock, the region for the default Reporting-MTA, the render profile — SES's layout, `"ses"`,
 * unless another is asked for — and so on) plus the window to check.
 *
 * @example
 * const context: PreviewContext = {
 *   originalSender: "sender@example.org",
 *   region: "eu-west-1",
 *   arrivalDate: "2026-11-26T09:59:58Z",
 * };
 */
export interface PreviewContext extends RenderBounceOptions {
  /** The window of the 24-hour check, in milliseconds. Default 24 hours. */
  maxAgeMs?: number;
}

/**
 * A preview: the rendered DSN (`raw`, `envelope`, …) and the exact `SendBounceCommandInput` the
 * call would send.
 *
 * @example
 * const { raw, input } = preview(request, { originalSender: "sender@example.org" });
 */
export interface BouncePreview extends RenderedDsn {
  /** What {@link sendBounce} or a {@link BounceQueue} would send for this request. */
  input: SendBounceCommandInput;
}

/**
 * Renders, without calling SES, the bounce that sending `request` would ask SES for: it fails
 * the way the call would fail before reaching SES (invalid request, expired 24-hour window) and
 * otherwise returns the DSN core renders from the same request, in SES's layout (core's `"ses"`
 * render profile; `profile: "default"` gives dsnkit's RFC-clean layout), and the input the SDK
 * would send. SES writes its own Message-ID, Date and boundary; pass `now`, `messageId` and
 * `boundary` for a stable preview.
 *
 * @throws {BounceValidationError} with every issue in the request or the context.
 * @throws {BounceWindowExpiredError} when the original arrived more than 24 hours before `now`.
 * @example
 * const { raw, envelope } = preview(
 *   {
 *     OriginalMessageId: "0100019abc",
 *     BounceSender: "mailer-daemon@example.com",
 *     BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 *   },
 *   { originalSender: "sender@example.org", region: "eu-west-1" },
 * );
 * raw.includes("Reporting-MTA: dns; inbound-smtp.eu-west-1.amazonaws.com\r\n");
 * //=> true
 * envelope.rcptTo;
 * //=> ["sender@example.org"]
 */
export function preview(request: SendBounceRequest, context: PreviewContext = {}): BouncePreview {
  const valid = assertValidRequest(request);
  const { maxAgeMs, ...renderOptions } = context;
  const now = context.now;
  checkBounceWindow(valid, {
    ...(context.arrivalDate !== undefined ? { arrivalDate: context.arrivalDate } : {}),
    ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
    ...(now instanceof Date ? { now: () => now } : {}),
  });
  const input = toSendBounceInput(valid);
  try {
    return { ...renderBounce(valid, { profile: "ses", ...renderOptions }), input };
  } catch (e) {
    if (e instanceof DsnValidationError) throw new BounceValidationError(e.issues, { cause: e });
    throw e;
  }
}
