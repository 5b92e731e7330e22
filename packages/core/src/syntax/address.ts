/**
 * Finding the first mailbox in an address header value (Return-Path, From, To): the one scanner
 * behind reading the original's sender and reading a DSN's From and To. Quoted strings and
 * comments are skipped when looking for `<`, `>`, `,` and `:`, so `<">"@example.com>` is one
 * address and `"Doe, Jane" <j@example.org>` one mailbox.
 */

/** The end of the quoted string starting at `i` (its closing quote), or the end of `s`. */
export function skipQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j;
  }
  return s.length;
}

/** The end of the comment starting at `i` (its closing parenthesis), or the end of `s`. */
export function skipComment(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return j;
  }
  return s.length;
}

/** Where the first mailbox of a header value is. */
export interface FoundAddress {
  /** The address (`""` for `<>`), without angle brackets or an obsolete source route. */
  address: string;
  /** Where the display name starts (after a group's `name:`), when the address is in `<...>`. */
  nameStart: number;
  /** Where the `<` is, or -1 for a bare addr-spec. */
  angle: number;
}

/**
 * Finds the first mailbox in an address header value: the inside of the first `<...>` (an
 * obsolete source route dropped), else the first bare addr-spec; a group's display name
 * (`team: a@example.org, b@example.org;`) is passed over. `undefined` when there is none.
 */
export function findAddress(value: string): FoundAddress | undefined {
  // The bare addr-spec is built from runs of its characters, sliced whole (a string built a
  // character at a time costs a heap object per character), and whether it has an `@` yet is kept
  // beside it, so that a colon costs O(1) (searching it at every colon made `a@:::...` quadratic).
  let bare = "";
  let bareHasAt = false;
  let run = -1; // where the run of addr-spec characters being read started, or -1
  let nameStart = 0;
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      // A quoted display name, or the quoted local part of a bare addr-spec.
      if (run < 0) run = i;
      const end = skipQuoted(value, i);
      if (!bareHasAt && value.slice(i, end).includes("@")) bareHasAt = true;
      i = end;
    } else if (c === 0x28) {
      if (run >= 0) bare += value.slice(run, i);
      run = -1;
      i = skipComment(value, i);
    } else if (c === 0x3c) {
      let close = i + 1;
      for (; close < value.length; close++) {
        const d = value.charCodeAt(close);
        if (d === 0x22) close = skipQuoted(value, close);
        else if (d === 0x3e) break;
      }
      if (close >= value.length) return undefined;
      let address = value.slice(i + 1, close).trim();
      if (address.startsWith("@")) address = address.slice(address.indexOf(":") + 1); // <@a,@b:user@host>
      return { address, nameStart, angle: i };
    } else if (c === 0x2c) {
      break;
    } else if (c === 0x3a && !bareHasAt) {
      bare = ""; // a group's display name (the address cannot have started before its `@`)
      run = -1;
      nameStart = i + 1;
    } else if (c === 0x20 || c === 0x09 || c === 0x3b) {
      if (run >= 0) bare += value.slice(run, i);
      run = -1;
    } else {
      if (run < 0) run = i;
      if (c === 0x40) bareHasAt = true;
    }
  }
  if (run >= 0) bare += value.slice(run, Math.min(i, value.length));
  return bare === "" ? undefined : { address: bare, nameStart, angle: -1 };
}
