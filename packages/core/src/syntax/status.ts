/**
 * RFC 3463 enhanced status codes: `class "." subject "." detail`, class 2, 4 or 5, subject and
 * detail 1 to 3 digits without leading zeros (RFC 3463 §2).
 */
import type { DsnAction } from "../ses.js";

/**
 * Returns why `s` is not an RFC 3463 status code, or `undefined` when it is one.
 */
export function statusProblem(s: string): string | undefined {
  if (isStatusCode(s)) return undefined;
  const parts = s.split(".");
  if (parts.length !== 3) return "it must be three numbers separated by dots, like 5.1.1";
  const [cls, subject, detail] = parts as [string, string, string];
  if (cls !== "2" && cls !== "4" && cls !== "5") return `its class ${JSON.stringify(cls)} must be 2, 4 or 5`;
  for (const [label, part] of [
    ["subject", subject],
    ["detail", detail],
  ] as const) {
    if (part.length === 0 || part.length > 3) return `its ${label} must be 1 to 3 digits`;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return `its ${label} ${JSON.stringify(part)} is not a number`;
    }
    if (part.length > 1 && part.charCodeAt(0) === 0x30) return `its ${label} ${JSON.stringify(part)} has a leading zero`;
  }
  return undefined;
}

/** The same test, without allocating: the answer for the common case; the reason comes after. */
function isStatusCode(s: string): boolean {
  const n = s.length;
  if (n < 5 || n > 9 || s.charCodeAt(1) !== 0x2e) return false;
  const cls = s.charCodeAt(0);
  if (cls !== 0x32 && cls !== 0x34 && cls !== 0x35) return false;
  let i = 2;
  for (let part = 0; part < 2; part++) {
    const start = i;
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    if (i === start || i - start > 3 || (i - start > 1 && s.charCodeAt(start) === 0x30)) return false;
    if (part === 0) {
      if (s.charCodeAt(i) !== 0x2e) return false;
      i++;
    }
  }
  return i === n;
}

/** The status classes each Action allows (RFC 3464 §2.3.3, RFC 3463 §3.1). */
export const ACTION_STATUS_CLASSES: Readonly<Record<DsnAction, readonly string[]>> = Object.freeze({
  failed: ["4", "5"],
  delayed: ["4"],
  delivered: ["2"],
  relayed: ["2"],
  expanded: ["2"],
});

/** Returns why `action` and `status` disagree, or `undefined` when they agree. */
export function actionStatusProblem(action: DsnAction, status: string): string | undefined {
  const allowed = ACTION_STATUS_CLASSES[action];
  const cls = status.charAt(0);
  if (allowed.includes(cls)) return undefined;
  return `Action ${action} needs a ${allowed.map((c) => `${c}.x.x`).join(" or ")} status, not ${status}`;
}
