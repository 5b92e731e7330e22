/**
 * The one-call path: SES request in, DSN out.
 *
 * @module
 */
import type { SendBounceRequest } from "./ses.js";
import type { ResolveContext } from "./resolve.js";
import { resolve } from "./resolve.js";
import type { RenderOptions, RenderedDsn } from "./render.js";
import { renderModel } from "./render.js";

/**
 * Options of {@link renderBounce}: the resolution context and the render options together.
 *
 * @example
 * const options: RenderBounceOptions = { originalSender: "sender@example.org", boundary: "b1" };
 */
export interface RenderBounceOptions extends ResolveContext, RenderOptions {}

/**
 * Validates, resolves and renders an SES SendBounce request in one call: the DSN SES would send,
 * in dsnkit's RFC-clean layout by default or, with `profile: "ses"`, in SES's own.
 *
 * @throws {DsnValidationError} with every issue, when the request or the options are invalid.
 * @example
 * const { raw, envelope } = renderBounce(
 *   {
 *     OriginalMessageId: "0100019abc",
 *     BounceSender: "mailer-daemon@example.com",
 *     BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
 *   },
 *   { originalSender: "sender@example.org", now: new Date("2026-11-26T10:00:00Z"), messageId: "<b1@example.com>", boundary: "b1" },
 * );
 * raw.includes("Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\r\n");
 * //=> true
 * envelope.rcptTo;
 * //=> ["sender@example.org"]
 * // What SES itself would send for the same request:
 * renderBounce(request, { originalSender: "sender@example.org", profile: "ses" }).raw.includes("This message could not be delivered.\r\n");
 * //=> true
 */
export function renderBounce(request: SendBounceRequest, options: RenderBounceOptions = {}): RenderedDsn {
  const { boundary, returnOriginal, maxOriginalSize, global, ...context } = options;
  // The profile is read by both: resolution (texts, Original-Recipient, Message-ID) and layout.
  const { bounce, originalPlainHeaderEnd } = resolve(request, context);
  const renderOptions: RenderOptions = {};
  if (context.profile !== undefined) renderOptions.profile = context.profile;
  if (boundary !== undefined) renderOptions.boundary = boundary;
  if (returnOriginal !== undefined) renderOptions.returnOriginal = returnOriginal;
  if (maxOriginalSize !== undefined) renderOptions.maxOriginalSize = maxOriginalSize;
  if (global !== undefined) renderOptions.global = global;
  // The bounce is rendered with the same checks as any other; only what resolution found of the
  // original's header block is not looked for again.
  return renderModel(bounce, renderOptions, originalPlainHeaderEnd);
}
