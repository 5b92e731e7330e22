import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { formatRfc5322Date, parseRfc5322Date, readRfc5322Date } from "@dsnkit/core";

function read(s: string) {
  const r = readRfc5322Date(s);
  if (!r.ok) throw new Error(`expected a date: ${r.reason}`);
  return { iso: r.date.toISOString(), notes: r.notes.map((n) => n.code), offset: r.offsetMinutes };
}

describe("readRfc5322Date", () => {
  test.each([
    ["Thu, 26 Nov 2026 10:00:00 +0000", "2026-11-26T10:00:00.000Z"],
    ["Thu, 26 Nov 2026 08:01:05 +0000 (UTC)", "2026-11-26T08:01:05.000Z"],
    ["Tue,  1 Dec 2026 08:00:54 +0000 (UTC)", "2026-12-01T08:00:54.000Z"],
    ["26 Nov 2026 10:00:00 +0100", "2026-11-26T09:00:00.000Z"],
    ["Thu, 26 Nov 2026 10:00 -0830", "2026-11-26T18:30:00.000Z"],
    ["thu, 26 nov 2026 10:00:00 +0000", "2026-11-26T10:00:00.000Z"],
    ["Thu,\r\n 26 Nov 2026\r\n 10:00:00 +0000", "2026-11-26T10:00:00.000Z"],
    ["(sent) Thu, 26 (the (nested) day) Nov 2026 10:00:00 +0000 (UTC)", "2026-11-26T10:00:00.000Z"],
    ["Sat, 29 Feb 2020 23:59:59 -0000", "2020-02-29T23:59:59.000Z"],
    ["Fri, 31 Dec 9999 23:59:59 +0000", "9999-12-31T23:59:59.000Z"],
    ["Mon, 1 Jan 1900 00:00:00 +0000", "1900-01-01T00:00:00.000Z"],
  ])("reads %j with no notes", (s, iso) => {
    expect(read(s)).toMatchObject({ iso, notes: [] });
  });

  test.each([
    ["Thu, 26 Nov 2026 10:00:00 GMT", "2026-11-26T10:00:00.000Z", ["obsolete-zone"]],
    ["Thu, 26 Nov 2026 10:00:00 UT", "2026-11-26T10:00:00.000Z", ["obsolete-zone"]],
    ["Thu, 26 Nov 2026 05:00:00 EST", "2026-11-26T10:00:00.000Z", ["obsolete-zone"]],
    ["Thu, 26 Nov 2026 03:00:00 PDT", "2026-11-26T10:00:00.000Z", ["obsolete-zone"]],
    ["Thu, 26 Nov 2026 10:00:00 Z", "2026-11-26T10:00:00.000Z", ["military-zone"]],
    ["Thu, 26 Nov 2026 10:00:00 CET", "2026-11-26T10:00:00.000Z", ["unknown-zone"]],
    ["Thu, 26 Nov 2026 10:00:00 UTC", "2026-11-26T10:00:00.000Z", ["unknown-zone"]],
    ["Thu, 26 Nov 2026 10:00:00", "2026-11-26T10:00:00.000Z", ["missing-zone"]],
    ["Thu, 26 Nov 26 10:00:00 +0000", "2026-11-26T10:00:00.000Z", ["two-digit-year"]],
    ["Fri, 26 Nov 49 10:00:00 +0000", "2049-11-26T10:00:00.000Z", ["two-digit-year"]],
    ["Fri, 26 Nov 99 10:00:00 +0000", "1999-11-26T10:00:00.000Z", ["two-digit-year"]],
    ["Sun, 26 Nov 50 10:00:00 +0000", "1950-11-26T10:00:00.000Z", ["two-digit-year"]],
    ["Thu, 26 Nov 126 10:00:00 +0000", "2026-11-26T10:00:00.000Z", ["three-digit-year"]],
    ["Thu 26 Nov 2026 10:00:00 +0000", "2026-11-26T10:00:00.000Z", ["obsolete-syntax"]],
    ["Thu, 26 Nov 2026 9:00:00 +0000", "2026-11-26T09:00:00.000Z", ["obsolete-syntax"]],
    ["Thu, 26 Nov 2026 10 : 00 : 00 +0000", "2026-11-26T10:00:00.000Z", ["obsolete-syntax"]],
    ["Thu, 26 Nov 2026 10:00:00+0000", "2026-11-26T10:00:00.000Z", ["obsolete-syntax"]],
    ["Fri, 26 Nov 2026 10:00:00 +0000", "2026-11-26T10:00:00.000Z", ["wrong-weekday"]],
    ["26 Nov 26 10:00 GMT", "2026-11-26T10:00:00.000Z", ["two-digit-year", "obsolete-zone"]],
  ])("reads %j and reports %j", (s, iso, notes) => {
    expect(read(s)).toMatchObject({ iso, notes: notes });
  });

  test("a wrong weekday is reported with both days", () => {
    const r = readRfc5322Date("Mon, 26 Nov 2026 10:00:00 +0000");
    expect(r.ok && r.notes).toEqual([{ code: "wrong-weekday", message: "the date falls on a Thu, not a Mon" }]);
  });

  test("returns the zone offset", () => {
    expect(read("Thu, 26 Nov 2026 10:00:00 -0130").offset).toBe(-90);
    expect(read("Thu, 26 Nov 2026 10:00:00 EDT").offset).toBe(-240);
  });

  test.each([
    ["", "it is empty"],
    ["   (only a comment)  ", "it is empty"],
    ["Thu, 31 Apr 2026 10:00:00 +0000", "Apr 2026 has no day 31"],
    ["Thu, 29 Feb 2027 10:00:00 +0000", "Feb 2027 has no day 29"],
    ["Thu, 26 Nov 2026 24:00:00 +0000", "24:00:00 is not a time of day"],
    ["Thu, 26 Nov 2026 10:60:00 +0000", "10:60:00 is not a time of day"],
    ["Thu, 26 Nov 2026 10:00:00 +0060", "the zone +0060 has more than 59 minutes"],
    ["Thu, 26 Nov 2026 10:00:00 +000", "a numeric zone must be + or - and four digits, like +0100"],
    ["Thu, 26 Nov 1899 10:00:00 +0000", "the year 1899 is before 1900"],
    ["Thu, 26 Nov 10000 10:00:00 +0000", "the year 10000 is after 9999"],
    ["Thu, 26 Nov 2026 10:00:00 +0000 junk", 'it has "junk" after the zone'],
    ["Thu, 26 Nov 2026 10:00:00 +0000 (unclosed", "it has a comment with no closing parenthesis"],
    ["Thursday, 26 Nov 2026 10:00:00 +0000", '"Thursday" is not a day-of-week (Mon to Sun)'],
    ["Thu, 26 November 2026 10:00:00 +0000", '"November" is not a month (Jan to Dec)'],
    ["2026-11-26T10:00:00Z", "it has no day of the month (1 or 2 digits) where one is expected"],
    ["Thu, 26 Nov 2026 10.00.00 +0000", 'it has the unexpected character "."'],
    ["Thu, 26Nov 2026 10:00:00 +0000", "the day and the month must be separated by white space"],
    ["Thu, 26 Nov 2026", "it has no time of day (hh:mm or hh:mm:ss) after the year"],
    ["x".repeat(600), "it is 600 characters long; a date-time is far shorter"],
    ["(".repeat(20) + ")".repeat(20) + " 26 Nov 2026 10:00 +0000", "its comments are nested too deeply"],
  ])("refuses %j: %s", (s, reason) => {
    expect(readRfc5322Date(s)).toEqual({ ok: false, reason });
  });

  fcTest.prop([fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })])(
    "reads back every date formatRfc5322Date writes, to the second, with no notes",
    (d) => {
      const r = readRfc5322Date(formatRfc5322Date(d));
      expect(r.ok && r.notes).toEqual([]);
      expect(r.ok && r.date.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
    },
  );

  fcTest.prop([
    fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
    fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
  ])("reads a date written in any numeric zone as the same instant", (d, offset) => {
    const t = Math.floor(d.getTime() / 1000) * 1000;
    const local = new Date(t + offset * 60_000);
    const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const p2 = (n: number) => String(n).padStart(2, "0");
    const zone = (offset < 0 ? "-" : "+") + p2(Math.floor(Math.abs(offset) / 60)) + p2(Math.abs(offset) % 60);
    const s = `${days[local.getUTCDay()]}, ${local.getUTCDate()} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())} ${zone}`;
    const r = readRfc5322Date(s);
    expect(r.ok && r.notes).toEqual([]);
    expect(r.ok && r.date.getTime()).toBe(t);
  });

  fcTest.prop([fc.string({ maxLength: 200 })])("never throws on any string", (s) => {
    const r = readRfc5322Date(s);
    expect(typeof r.ok).toBe("boolean");
  });
});

describe("parseRfc5322Date", () => {
  test("returns the Date", () => {
    expect(parseRfc5322Date("26 Nov 2026 10:00 EST").toISOString()).toBe("2026-11-26T15:00:00.000Z");
  });
  test("throws a RangeError that says why", () => {
    expect(() => parseRfc5322Date("Thu, 31 Apr 2026 10:00:00 +0000")).toThrow(
      new RangeError('"Thu, 31 Apr 2026 10:00:00 +0000" is not an RFC 5322 date-time: Apr 2026 has no day 31'),
    );
  });
});
