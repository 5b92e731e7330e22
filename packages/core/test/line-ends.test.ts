/**
 * CR-only, CRLF and LF copies of every fixture read identically: the same model, fields, lines,
 * texts, tolerances and findings, but for the one that names the copy's line ends.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { checkDsn, DsnParseError, parseDsn } from "@dsnkit/core";
import type { Finding, ParsedDsn, Tolerance } from "@dsnkit/core";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const files = readdirSync(fixtures)
  .filter((d) => statSync(join(fixtures, d)).isDirectory())
  .flatMap((d) => readdirSync(join(fixtures, d)).filter((f) => f.endsWith(".eml")).map((f) => `${d}/${f}`));

/** The fixture with every line end (CRLF, LF or CR) made `eol`; octets kept (latin1 round trip). */
function copy(raw: Buffer, eol: string): Uint8Array {
  return Buffer.from(raw.toString("latin1").replace(/\r\n|\r|\n/g, eol), "latin1");
}

/** Tolerances and findings that name line ends: the only things the copies may differ in. */
const LINE_END_TOLERANCES = new Set(["lf-line-ends", "cr-line-ends", "bare-lf", "bare-cr"]);
const LINE_END_RULES = new Set(["rfc5322.lf-line-ends", "rfc5322.cr-line-ends", "rfc5322.bare-lf", "rfc5322.bare-cr"]);
const nl = (s: string | undefined) => s?.replace(/\r\n|\r/g, "\n");

/** What must be the same in every copy: the read DSN with raw texts' line ends made LF. */
function reading(raw: Uint8Array): unknown {
  let dsn: ParsedDsn;
  try {
    dsn = parseDsn(raw);
  } catch (e) {
    if (e instanceof DsnParseError) return { error: e.code, line: e.line };
    throw e;
  }
  return {
    ...dsn,
    details: {
      ...dsn.details,
      perMessage: { ...dsn.details.perMessage, fields: dsn.details.perMessage.fields.map((f) => ({ ...f, raw: nl(f.raw) })) },
      recipients: dsn.details.recipients.map((r) => ({ ...r, fields: r.fields.map((f) => ({ ...f, raw: nl(f.raw) })) })),
    },
    original: dsn.original === undefined ? undefined : { ...dsn.original, body: nl(dsn.original.body) },
    tolerances: dsn.tolerances.filter((t: Tolerance) => !LINE_END_TOLERANCES.has(t.code)),
  };
}

const findings = (raw: Uint8Array) => checkDsn(raw).filter((f: Finding) => !LINE_END_RULES.has(f.rule));

describe("CR-only, CRLF and LF copies of every fixture read identically", () => {
  test("there are fixtures of every kind", () => {
    expect(files.length).toBeGreaterThan(30);
  });

  test.each(files)("%s", (file) => {
    const raw = readFileSync(join(fixtures, file));
    const crlf = copy(raw, "\r\n");
    const lf = copy(raw, "\n");
    const cr = copy(raw, "\r");
    const expected = reading(crlf);
    expect(reading(lf)).toStrictEqual(expected);
    expect(reading(cr)).toStrictEqual(expected);
    const f = findings(crlf);
    expect(findings(lf)).toEqual(f);
    expect(findings(cr)).toEqual(f);
    // Each copy says how its lines end, and nothing else about line ends.
    const ends = (r: Uint8Array) => checkDsn(r).filter((x) => LINE_END_RULES.has(x.rule)).map((x) => [x.rule, x.line]);
    expect(ends(crlf)).toEqual([]);
    expect(ends(lf)).toEqual([["rfc5322.lf-line-ends", 1]]);
    expect(ends(cr)).toEqual([["rfc5322.cr-line-ends", 1]]);
  });
});
