/**
 * `type ";" value` fields of RFC 3464: address-type, mta-name-type and diagnostic-type are atoms.
 */
import { ATEXT, isWsp, trimWsp } from "./text.js";

/** A split `type; value`. */
export interface TypedValue {
  type: string;
  value: string;
}

/**
 * Splits `type; value` when `s` starts with an atom followed by `;` (spaces allowed around it),
 * or returns `undefined` when it has no type. The type is lower-cased; the value is trimmed.
 */
export function splitTyped(s: string): TypedValue | undefined {
  let i = 0;
  while (i < s.length && isWsp(s.charCodeAt(i))) i++;
  const start = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || ATEXT[c] !== 1) break;
    i++;
  }
  if (i === start) return undefined;
  const end = i;
  while (i < s.length && isWsp(s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) !== 0x3b) return undefined;
  return { type: s.slice(start, end).toLowerCase(), value: trimWsp(s.slice(i + 1)) };
}
