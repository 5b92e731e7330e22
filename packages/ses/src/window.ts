/**
 * SES's 24-hour rule: SendBounce works only within 24 hours of the original's receipt.
 *
 * @module
 */
import type { SendBounceRequest, Timestamp } from "@dsnkit/core";
import { BounceValidationError, BounceWindowExpiredError } from "./errors.js";
import { functionOption, numberOption, readTimestampOption } from "./options.js";

/**
 * SES's limit: a bounce may be sent up to 24 hours after the original was received, in
 * milliseconds.
 *
 * @example
 * SES_BOUNCE_WINDOW_MS / 3_600_000;
 * //=> 24
 */
export const SES_BOUNCE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What the 24-hour check needs: when the original arrived (if the request's
 * `MessageDsn.ArrivalDate` does not say), the clock, and the window.
 *
 * @example
 * const options: BounceWindowOptions = {
 *   arrivalDate: event.Records[0].ses.mail.timestamp,
 *   now: () => new Date(),
 *   maxAgeMs: 23 * 60 * 60 * 1000, // keep an hour in hand
 * };
 */
export interface BounceWindowOptions {
  /**
   * When SES received the original (for a receipt-rule event: `mail.timestamp`). When both this
   * and `MessageDsn.ArrivalDate` are known, the earlier one is checked.
   */
  arrivalDate?: Timestamp;
  /** The clock. Default: `() => new Date()`. */
  now?: () => Date;
  /** The window, in milliseconds. Default {@link SES_BOUNCE_WINDOW_MS} (24 hours). */
  maxAgeMs?: number;
}

/**
 * The earliest known arrival time of the original: the request's `MessageDsn.ArrivalDate` or the
 * `arrivalDate` option, or `undefined` when neither is given.
 *
 * @throws {BounceValidationError} when the `arrivalDate` option is not a date.
 * @example
 * knownArrival(request, { arrivalDate: "2026-11-26T09:00:00Z" })?.toISOString();
 * //=> "2026-11-26T09:00:00.000Z"
 */
export function knownArrival(request: SendBounceRequest, options: BounceWindowOptions = {}): Date | undefined {
  const fromOption = options.arrivalDate !== undefined ? readTimestampOption(options.arrivalDate, ["options", "arrivalDate"]) : undefined;
  const raw = request.MessageDsn?.ArrivalDate;
  const fromRequest = raw !== undefined ? readTimestampOption(raw, ["MessageDsn", "ArrivalDate"]) : undefined;
  if (fromOption === undefined) return fromRequest;
  if (fromRequest === undefined) return fromOption;
  return fromOption.getTime() <= fromRequest.getTime() ? fromOption : fromRequest;
}

/**
 * Refuses a bounce that SES would refuse for being late: when the original's arrival time is known
 * and more than `maxAgeMs` (24 hours) has passed, throws a {@link BounceWindowExpiredError} that
 * says by how much. Does nothing when the arrival time is unknown (SES will judge).
 *
 * @throws {BounceWindowExpiredError} when the window has closed.
 * @throws {BounceValidationError} when an option is not usable.
 * @example
 * checkBounceWindow(request, { arrivalDate: "2026-11-25T08:00:00Z", now: () => new Date("2026-11-26T10:30:00Z") });
 * // throws BounceWindowExpiredError: "... the window closed at 2026-11-26T08:00:00Z, 2 h 30 min too late"
 */
export function checkBounceWindow(request: SendBounceRequest, options: BounceWindowOptions = {}): void {
  const maxAgeMs = numberOption(options.maxAgeMs, "maxAgeMs", { fallback: SES_BOUNCE_WINDOW_MS, min: 0, exclusive: true });
  const clock = functionOption(options.now, "now", () => new Date());
  const arrival = knownArrival(request, options);
  if (arrival === undefined) return;
  const now = clock();
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new BounceValidationError([{ code: "invalid_option", path: ["options", "now"], message: "now() must return a valid Date" }]);
  const deadline = new Date(arrival.getTime() + maxAgeMs);
  if (now.getTime() > deadline.getTime()) throw new BounceWindowExpiredError(arrival, deadline, now, maxAgeMs);
}
