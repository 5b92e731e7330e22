import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { fromUnixTime, isValid, parseISO, startOfSecond } from "date-fns";
import { domainProblem, isHostName, isIPv4, isIPv6, mailboxProblem } from "../src/syntax/mailbox.js";
import { actionStatusProblem, statusProblem } from "../src/syntax/status.js";
import { splitTyped } from "../src/syntax/typed.js";
import { formatRfc5322Date, parseTimestamp, readTimestamp } from "../src/syntax/dates.js";
import { findForbidden, utf8Length } from "../src/syntax/text.js";

describe("mailboxes (RFC 5321 §4.1.2, RFC 6531)", () => {
  test.each([
    "nobody@example.com",
    "first.last+tag@sub.example.co.uk",
    '"john doe"@example.com',
    '"a\\"b"@example.com',
    "user@localhost",
    "user@[192.0.2.1]",
    "user@[IPv6:2001:db8::1]",
    "用户@例子.广告",
    "zoë@bücher.example",
    "!#$%&'*+-/=?^_`{|}~@example.com",
  ])("accepts %s", (a) => expect(mailboxProblem(a)).toBeUndefined());

  test.each([
    ["", "it is empty"],
    ["nobody", "it has no @"],
    ["@example.com", "its local part (before the @) is empty"],
    ["a..b@example.com", "its local part has two dots in a row"],
    [".a@example.com", "its local part starts with a dot"],
    ["a.@example.com", "its local part ends with a dot"],
    ["john doe@example.com", "its local part has a space (quote the local part to use one)"],
    ["a@b@example.com", "its local part has a second @"],
    ["rfc822; a@example.com", 'its local part has the character ";", which needs quoting'],
    ["a@", "its domain is empty"],
    ["a@-example.com", 'its domain has a label that starts or ends with a hyphen ("-example")'],
    ["a@exa_mple.com", 'its domain has the character "_", which is not allowed in a host name'],
    ["a@example..com", "its domain has two dots in a row"],
    ["a@example.com.", "its domain ends with a dot"],
    ["a@[300.1.1.1]", "its domain has an address literal that is neither IPv4 nor IPv6:..."],
    ['"unterminated@example.com', "its quoted local part has no closing quote"],
    [`${"a".repeat(65)}@example.com`, "its local part is longer than 64 octets"],
    [`a@${"b".repeat(64)}.com`, `its domain has a label longer than 63 octets ("bbbbbbbbbbbbbbbbbbbb"...)`],
    [`${"a".repeat(64)}@${"b.".repeat(95)}com`, "it is longer than 254 octets"],
  ])("refuses %j: %s", (a, why) => expect(mailboxProblem(a)).toBe(why));

  test("octets, not characters: 22 three-octet characters are 66 octets of local part", () => {
    expect(mailboxProblem(`${"語".repeat(21)}@example.com`)).toBeUndefined();
    expect(mailboxProblem(`${"語".repeat(22)}@example.com`)).toBe("its local part is longer than 64 octets");
  });

  test("host names and addresses", () => {
    expect(isIPv4("192.0.2.1")).toBe(true);
    expect(isIPv4("192.0.2.01")).toBe(false);
    expect(isIPv4("256.0.0.1")).toBe(false);
    for (const ok of ["::1", "2001:db8::", "fe80::1:2", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1"]) expect(isIPv6(ok)).toBe(true);
    for (const bad of [":1", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1"]) expect(isIPv6(bad)).toBe(false);
    expect(isHostName("mx_1.example.com")).toBe(true);
    expect(isHostName("127.0.0.1")).toBe(true);
    expect(isHostName("bad host")).toBe(false);
    // 255 octets at most (RFC 5321 §4.5.3.1.2), a final dot not counted; labels of 63 at most.
    const n255 = [63, 63, 63, 63].map((k) => "a".repeat(k)).join(".");
    const n256 = [63, 63, 63, 62, 1].map((k) => "a".repeat(k)).join(".");
    expect([n255.length, n256.length]).toEqual([255, 256]);
    expect([n255, n256, n255 + ".", n256 + "."].map(isHostName)).toEqual([true, false, true, false]);
    expect([`${"a".repeat(63)}.com`, `${"a".repeat(64)}.com`, "-a.com", "a-.com", "_a.com", "a..com", ".a.com"].map(isHostName)).toEqual([true, false, false, false, true, false, false]);
  });

  /** isHostName as it reads a name that is not all plain labels: IP addresses, then labels with RFC 5321's rules. */
  const hostNameByLabels = (s: string) =>
    isIPv4(s) || isIPv6(s) || domainProblem((s.endsWith(".") && s.length > 1 ? s.slice(0, -1) : s).replaceAll("_", "a")) === undefined;
  const hostLike = fc.oneof(
    fc.stringMatching(/^[a-z0-9_.-]{0,80}$/),
    fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/), { minLength: 1, maxLength: 6 }).map((labels) => labels.join(".")),
    fc.array(fc.constantFrom("a", "-", "_", "9", "."), { maxLength: 270 }).map((c) => c.join("")),
    fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 5 })).map(([n, k]) => Array.from({ length: k }, () => "x".repeat(n)).join(".")),
  );
  fcTest.prop([hostLike, fc.boolean()], { numRuns: 2000 })("a host name of plain labels is judged as by its labels", (name, dot) => {
    const s = dot ? name + "." : name;
    expect(isHostName(s)).toBe(hostNameByLabels(s));
  });
});

describe("RFC 3463 status codes", () => {
  test.each(["2.0.0", "4.4.7", "5.1.1", "5.7.26", "5.999.999"])("accepts %s", (s) => expect(statusProblem(s)).toBeUndefined());
  test.each([
    ["5.1", "it must be three numbers separated by dots, like 5.1.1"],
    ["3.1.1", 'its class "3" must be 2, 4 or 5'],
    ["5.01.1", 'its subject "01" has a leading zero'],
    ["5.1.01", 'its detail "01" has a leading zero'],
    ["5.1000.1", "its subject must be 1 to 3 digits"],
    ["5.x.1", 'its subject "x" is not a number'],
    ["5.1.", "its detail must be 1 to 3 digits"],
  ])("refuses %s: %s", (s, why) => expect(statusProblem(s)).toBe(why));

  test("Action/Status agreement (RFC 3464 §2.3.3)", () => {
    expect(actionStatusProblem("failed", "5.1.1")).toBeUndefined();
    expect(actionStatusProblem("failed", "4.4.7")).toBeUndefined();
    expect(actionStatusProblem("delayed", "4.4.7")).toBeUndefined();
    expect(actionStatusProblem("delivered", "2.0.0")).toBeUndefined();
    expect(actionStatusProblem("delayed", "5.1.1")).toBe("Action delayed needs a 4.x.x status, not 5.1.1");
    expect(actionStatusProblem("relayed", "5.0.0")).toBe("Action relayed needs a 2.x.x status, not 5.0.0");
    expect(actionStatusProblem("failed", "2.0.0")).toBe("Action failed needs a 4.x.x or 5.x.x status, not 2.0.0");
  });
});

describe("type; value", () => {
  test("splits a typed value, lower-cases the type and trims the value", () => {
    expect(splitTyped("DNS; mx.example.com ")).toEqual({ type: "dns", value: "mx.example.com" });
    expect(splitTyped("smtp;550 5.1.1 x")).toEqual({ type: "smtp", value: "550 5.1.1 x" });
    expect(splitTyped("X-Postfix ; y")).toEqual({ type: "x-postfix", value: "y" });
  });
  test("a value with no leading atom and ';' has no type", () => {
    expect(splitTyped("550 5.1.1 user unknown; try later")).toBeUndefined();
    expect(splitTyped("mx.example.com")).toBeUndefined();
    expect(splitTyped("")).toBeUndefined();
  });
});

describe("timestamps and RFC 5322 dates", () => {
  test("Date, ISO-8601 (zone or UTC), date alone, epoch seconds; truncated to seconds", () => {
    const want = "2026-11-26T10:00:00.000Z";
    expect(parseTimestamp(new Date("2026-11-26T10:00:00.900Z")).toISOString()).toBe(want);
    expect(parseTimestamp("2026-11-26T10:00:00Z").toISOString()).toBe(want);
    expect(parseTimestamp("2026-11-26T11:00:00+01:00").toISOString()).toBe(want);
    expect(parseTimestamp("2026-11-26T10:00:00").toISOString()).toBe(want);
    expect(parseTimestamp("2026-11-26 10:00:00").toISOString()).toBe(want);
    expect(parseTimestamp(1795687200).toISOString()).toBe(want);
    expect(parseTimestamp("1795687200").toISOString()).toBe(want);
    expect(parseTimestamp(1795687200.5).toISOString()).toBe(want);
    expect(parseTimestamp("2026-11-26").toISOString()).toBe("2026-11-26T00:00:00.000Z");
  });
  test("refuses what is not a date, or outside 1970-9999", () => {
    expect(readTimestamp("yesterday")).toBe("it is not an ISO-8601 date (like 2026-11-26T10:00:00Z) or epoch seconds");
    expect(readTimestamp("2026-13-01")).toBe("it is not an ISO-8601 date (like 2026-11-26T10:00:00Z) or epoch seconds");
    expect(readTimestamp(-1)).toBe("it is outside the years 1970 to 9999");
    expect(readTimestamp(Number.NaN)).toBe("it is not a finite number of seconds");
    expect(readTimestamp(new Date("x"))).toBe("it is not a valid date");
    expect(readTimestamp(true)).toBe("it must be a date: an ISO-8601 string or epoch seconds");
    expect(() => parseTimestamp("x")).toThrow(RangeError);
  });
  /**
   * readTimestamp as it was written on date-fns alone (fromUnixTime, parseISO, isValid,
   * startOfSecond), before the common ISO form got a reader of its own: the reference it must agree with.
   */
  function dateFnsReadTimestamp(t: string): Date | string {
    const s = t.trim();
    if (/^-?\d{1,15}(?:\.\d{1,9})?$/.test(s)) return startOfSecond(fromUnixTime(Number(s)));
    let iso = s;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += "T00:00:00Z";
    else if (/[T ]/.test(iso) && !/(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(iso)) iso += "Z";
    const d = parseISO(iso);
    if (!isValid(d)) return "it is not an ISO-8601 date (like 2026-11-26T10:00:00Z) or epoch seconds";
    if (d.getTime() < 0 || d.getTime() > 253402300799000) return "it is outside the years 1970 to 9999";
    return startOfSecond(d);
  }
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
  /** Strings in and around the common form: every field also out of range, other zones and separators. */
  const isoLike = fc
    .tuple(
      fc.oneof(fc.constantFrom("1970", "2000", "1900", "2024", "2100", "9999", "0999", "1969"), fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0"))),
      two(19),
      fc.oneof(two(39), fc.constantFrom("28", "29", "30", "31")),
      fc.constantFrom("T", " ", "t", ""),
      two(29),
      two(69),
      two(69),
      fc.oneof(fc.constant(""), fc.stringMatching(/^[.,]\d{0,12}$/)),
      fc.oneof(fc.constantFrom("", "Z", "z", " Z"), fc.tuple(fc.constantFrom("+", "-"), two(99), fc.constantFrom(":", ""), two(99)).map((p) => p.join(""))),
    )
    .map(([y, mo, d, sep, h, mi, se, frac, zone]) => (sep === "" ? `${y}-${mo}-${d}` : `${y}-${mo}-${d}${sep}${h}:${mi}:${se}${frac}${zone}`));
  fcTest.prop([isoLike], { numRuns: 3000 })("ISO-8601 strings read as date-fns' parseISO reads them, to the millisecond", (s) => {
    const got = readTimestamp(s);
    const want = dateFnsReadTimestamp(s);
    if (typeof want === "string") expect(got).toBe(want);
    else expect(typeof got === "string" ? got : got.getTime()).toBe(want.getTime());
  });

  test("RFC 5322 date-time in UTC with a numeric zone", () => {
    expect(formatRfc5322Date(new Date("2026-11-26T09:05:03Z"))).toBe("Thu, 26 Nov 2026 09:05:03 +0000");
    expect(formatRfc5322Date(new Date("1970-01-01T00:00:00Z"))).toBe("Thu, 01 Jan 1970 00:00:00 +0000");
  });
});

describe("text scanning", () => {
  test("finds controls, DEL, C1 and lone surrogates; allows TAB, and CR/LF when multi-line", () => {
    expect(findForbidden("a\tb")).toBeUndefined();
    expect(findForbidden("a\nb")).toMatchObject({ index: 1, code: 10, kind: "control" });
    expect(findForbidden("a\r\nb", true)).toBeUndefined();
    expect(findForbidden("a\u0000")).toMatchObject({ index: 1, code: 0 });
    expect(findForbidden("\u007f")).toMatchObject({ code: 0x7f });
    expect(findForbidden("\u0085")).toMatchObject({ code: 0x85 });
    expect(findForbidden("😀")).toBeUndefined();
    expect(findForbidden("a\ud800b")).toMatchObject({ index: 1, kind: "surrogate" });
  });
  test("utf8Length counts octets", () => {
    expect(utf8Length("aé語😀")).toBe(1 + 2 + 3 + 4);
  });
});
