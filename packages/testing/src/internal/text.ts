/**
 * Small string helpers shared by the arbitraries: UTF-8 lengths and cutting text to a budget of
 * octets or code units without splitting a surrogate pair.
 */

/** The number of octets `s` takes in UTF-8 (well-formed UTF-16 assumed). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** True when every code unit of `s` is below 0x80. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The longest prefix of `s` of at most `max` UTF-8 octets, cut between code points. */
export function cutOctets(s: string, max: number): string {
  let n = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
    const octets = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (n + octets > max) break;
    n += octets;
    i += pair ? 2 : 1;
  }
  return s.slice(0, i);
}

/** The longest prefix of `s` of at most `max` UTF-16 code units, cut between code points. */
export function cutUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** Removes SP and HTAB from both ends. */
export function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return s.slice(a, b);
}

/** Drops `undefined` properties, so optional fields are absent rather than present-but-undefined. */
export function compact<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
