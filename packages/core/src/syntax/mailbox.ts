/**
 * RFC 5321 §4.1.2 mailboxes, extended to UTF-8 by RFC 6531 §3.3, checked by a hand-written
 * scanner (no regular expressions, so no backtracking on hostile input).
 */
import { ATEXT, utf8Length } from "./text.js";

/** RFC 5321 §4.5.3.1.1: at most 64 octets of local part. */
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 5321 §4.5.3.1.2: at most 255 octets of domain. */
export const MAX_DOMAIN_OCTETS = 255;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets. */
export const MAX_MAILBOX_OCTETS = 254;

/**
 * The common case, in one native pass: an ASCII dot-atom local part, `@`, and LDH labels of 1 to
 * 63 characters that neither start nor end with a hyphen. Each part ends where the next begins
 * (a dot, the @), so a failing match backtracks at most one label's length.
 */
const PLAIN_MAILBOX =
  /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Returns why `address` is not a mailbox (`local-part@domain`), or `undefined` when it is one.
 * Non-ASCII is allowed in the local part and the domain (RFC 6531); control characters are not.
 */
export function mailboxProblem(address: string): string | undefined {
  if (address.length <= MAX_MAILBOX_OCTETS && PLAIN_MAILBOX.test(address) && address.indexOf("@") <= MAX_LOCAL_PART_OCTETS) return undefined;
  if (address.length === 0) return "it is empty";
  if (address.length > 1024) return `it is ${address.length} characters long; a mailbox is at most ${MAX_MAILBOX_OCTETS} octets`;
  let at: number;
  if (address.charCodeAt(0) === 0x22) {
    // Quoted-string local part: qtextSMTP / quoted-pairSMTP, plus UTF-8.
    let i = 1;
    for (;;) {
      if (i >= address.length) return "its quoted local part has no closing quote";
      const c = address.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        const n = address.charCodeAt(i + 1);
        if (!(n >= 0x20 && n <= 0x7e)) return "its quoted local part has a backslash not followed by a printable character";
        i += 2;
        continue;
      }
      if (c < 0x20 || c === 0x7f) return "its quoted local part has a control character";
      i++;
    }
    at = i + 1;
    if (address.charCodeAt(at) !== 0x40) return "nothing but @domain may follow the quoted local part";
  } else {
    at = address.lastIndexOf("@");
    if (at < 0) return "it has no @";
    if (at === 0) return "its local part (before the @) is empty";
    const local = address.slice(0, at);
    const problem = dotStringProblem(local);
    if (problem !== undefined) return `its local part ${problem}`;
  }
  if (utf8Length(address.slice(0, at)) > MAX_LOCAL_PART_OCTETS)
    return `its local part is longer than ${MAX_LOCAL_PART_OCTETS} octets`;
  const domain = address.slice(at + 1);
  const problem = domainProblem(domain);
  if (problem !== undefined) return `its domain ${problem}`;
  if (utf8Length(address) > MAX_MAILBOX_OCTETS) return `it is longer than ${MAX_MAILBOX_OCTETS} octets`;
  return undefined;
}

/** Atoms of atext (or UTF-8) separated by single dots. */
function dotStringProblem(s: string): string | undefined {
  let atomStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 0x2e : s.charCodeAt(i);
    if (c === 0x2e) {
      if (i === atomStart) {
        if (i === 0) return "starts with a dot";
        if (i === s.length) return "ends with a dot";
        return "has two dots in a row";
      }
      atomStart = i + 1;
      continue;
    }
    if (c > 0x9f) continue; // UTF8-non-ascii (RFC 6531); C1 controls fall through
    if (c > 0x7f || ATEXT[c] !== 1) {
      if (c === 0x20) return "has a space (quote the local part to use one)";
      if (c === 0x40) return "has a second @";
      return `has the character ${JSON.stringify(String.fromCharCode(c))}, which needs quoting`;
    }
  }
  return undefined;
}

/** RFC 5321 Domain (LDH labels, or U-labels) or address-literal. */
export function domainProblem(d: string): string | undefined {
  if (d.length === 0) return "is empty";
  if (d.charCodeAt(0) === 0x5b) {
    if (d.charCodeAt(d.length - 1) !== 0x5d) return "starts an address literal with [ but does not end it with ]";
    return addressLiteralProblem(d.slice(1, -1));
  }
  if (utf8Length(d) > MAX_DOMAIN_OCTETS) return `is longer than ${MAX_DOMAIN_OCTETS} octets`;
  let start = 0;
  for (let i = 0; i <= d.length; i++) {
    const c = i === d.length ? 0x2e : d.charCodeAt(i);
    if (c !== 0x2e) continue;
    const label = d.slice(start, i);
    if (label.length === 0) {
      if (i === d.length) return "ends with a dot";
      return start === 0 ? "starts with a dot" : "has two dots in a row";
    }
    const problem = labelProblem(label);
    if (problem !== undefined) return problem;
    start = i + 1;
  }
  return undefined;
}

function labelProblem(label: string): string | undefined {
  if (utf8Length(label) > 63) return `has a label longer than 63 octets (${JSON.stringify(label.slice(0, 20))}...)`;
  if (label.charCodeAt(0) === 0x2d || label.charCodeAt(label.length - 1) === 0x2d)
    return `has a label that starts or ends with a hyphen (${JSON.stringify(label)})`;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c > 0x9f;
    if (!ok) return `has the character ${JSON.stringify(String.fromCharCode(c))}, which is not allowed in a host name`;
  }
  return undefined;
}

function addressLiteralProblem(s: string): string | undefined {
  if (isIPv4(s)) return undefined;
  if (s.slice(0, 5).toLowerCase() === "ipv6:") return isIPv6(s.slice(5)) ? undefined : "has an invalid IPv6 address literal";
  // General-address-literal: Standardized-tag ":" 1*dcontent
  const colon = s.indexOf(":");
  if (colon > 0) {
    for (let i = 0; i < colon; i++) {
      const c = s.charCodeAt(i);
      if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d))
        return "has an invalid address literal";
    }
    if (colon === s.length - 1) return "has an empty address literal";
    for (let i = colon + 1; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 33 || c > 126 || c === 0x5b || c === 0x5c || c === 0x5d) return "has an invalid address literal";
    }
    return undefined;
  }
  return "has an address literal that is neither IPv4 nor IPv6:...";
}

/** Dotted-quad IPv4 address, each part 0-255 written without leading zeros. */
export function isIPv4(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    if (p.length > 1 && p.charCodeAt(0) === 0x30) return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

/** An RFC 4291 IPv6 address in text form (with an optional trailing IPv4 part). */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  const double = s.indexOf("::");
  if (double >= 0 && s.indexOf("::", double + 1) >= 0) return false;
  const groups = s.split(":");
  let count = 0;
  for (let g = 0; g < groups.length; g++) {
    const part = groups[g]!;
    if (part.length === 0) continue; // empty only around "::" (checked below)
    if (g === groups.length - 1 && part.includes(".")) {
      if (!isIPv4(part)) return false;
      count += 2;
      continue;
    }
    if (part.length > 4) return false;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
    }
    count++;
  }
  if (double < 0) {
    if (groups.some((g) => g.length === 0)) return false;
    return count === 8;
  }
  // With "::", empty groups may only come from the "::" itself (at most at its two sides).
  if (s.startsWith(":") && !s.startsWith("::")) return false;
  if (s.endsWith(":") && !s.endsWith("::")) return false;
  return count < 8;
}

/**
 * The common case of {@link isHostName}, in one native pass: LDH labels (underscores allowed) of 1
 * to 63 characters that neither start nor end with a hyphen, and an optional final dot. Each label
 * ends where a dot begins, so a failing match backtracks at most one label's length.
 */
const PLAIN_HOST = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** True when `s` is a host name (LDH labels), an IPv4 or IPv6 address, or an address literal. */
export function isHostName(s: string): boolean {
  // A name of plain labels is one whatever else it could be read as (a dotted quad is four labels).
  if (s.length <= MAX_DOMAIN_OCTETS && PLAIN_HOST.test(s)) return true;
  if (isIPv4(s) || isIPv6(s)) return true;
  const name = s.endsWith(".") && s.length > 1 ? s.slice(0, -1) : s;
  if (name.charCodeAt(0) === 0x5b) return domainProblem(name) === undefined;
  // Real MTAs use underscores in host names; accept them here.
  return domainProblem(name.replaceAll("_", "a")) === undefined;
}
