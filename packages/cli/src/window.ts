/**
 * SES's 24-hour window as the command line treats it: said, not enforced. `aws ses send-bounce`
 * sends whatever it is given and SES refuses a late bounce (MessageRejected); dsnkit says so
 * first, with by how much.
 *
 * @module
 */
import type { SendBounceRequest } from "@dsnkit/core";

/**
 * SES's 24-hour window, judged by the command's clock: a warning line when
 * `MessageDsn.ArrivalDate` says the window has closed, saying by how much; `undefined` when it is
 * open or the arrival is unknown. `aws ses send-bounce` sends such a request and SES refuses it;
 * `dsnkit send-bounce` does the same, after saying so.
 *
 * @example
 * await windowWarning({ ...request, MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: "2026-11-25T07:30:00Z" } }, () => new Date("2026-11-26T10:00:00Z"));
 * //=> "MessageDsn.ArrivalDate: the original arrived at 2026-11-25T07:30:00Z, 26 h 30 min ago; SES accepts SendBounce only within 24 h of receipt, and the window closed at 2026-11-26T07:30:00Z, 2 h 30 min ago"
 */
export async function windowWarning(request: SendBounceRequest, now: () => Date): Promise<string | undefined> {
  const { checkBounceWindow, BounceWindowExpiredError, SES_BOUNCE_WINDOW_MS, formatDuration } = await import("@dsnkit/ses");
  try {
    checkBounceWindow(request, { now });
    return undefined;
  } catch (e) {
    if (!(e instanceof BounceWindowExpiredError)) throw e;
    const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
    return (
      `MessageDsn.ArrivalDate: the original arrived at ${iso(e.arrivalDate)}, ${formatDuration(e.checkedAt.getTime() - e.arrivalDate.getTime())} ago; ` +
      `SES accepts SendBounce only within ${formatDuration(SES_BOUNCE_WINDOW_MS)} of receipt, and the window closed at ${iso(e.deadline)}, ${formatDuration(e.expiredByMs)} ago`
    );
  }
}
