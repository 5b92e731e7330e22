/**
 * The probe's scenarios: xtext, what the generated scenarios may use for an MTA's capabilities,
 * and what they become on the wire.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeXtext, encodeXtext, materializeScenario, probeScenario } from "../src/index.js";
import type { ProbeCapabilities, ProbeScenario } from "../src/index.js";

const all: ProbeCapabilities = { dsn: true, smtputf8: true, eightBitMime: true, size: 60_000 };
const none: ProbeCapabilities = { dsn: false, smtputf8: false, eightBitMime: false };
const domains = { domain: "probe.test", returnDomain: "return.probe.test" };

describe("xtext (RFC 3461 §4)", () => {
  test("encodes +, = and what is outside ! to ~ as +XX, and decodes back", () => {
    expect(encodeXtext("a+b c=d")).toBe("a+2Bb+20c+3Dd");
    expect(decodeXtext("a+2Bb+20c+3Dd")).toBe("a+b c=d");
    expect(decodeXtext("a+2b")).toBe("a+");
    expect(decodeXtext("a+2")).toBeUndefined();
    expect(decodeXtext("a=b")).toBeUndefined();
    expect(decodeXtext("a b")).toBeUndefined();
    expect(() => encodeXtext("é")).toThrow(/ASCII only/);
  });
  test("round trip over ASCII, and the encoding is xtext", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }), (s) => {
        const x = encodeXtext(s);
        expect(x).toMatch(/^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/);
        expect(decodeXtext(x)).toBe(s);
      }),
    );
  });
});

describe("probeScenario", () => {
  test("uses only what the MTA offers", () => {
    fc.assert(
      fc.property(probeScenario({ capabilities: none }), (s) => {
        expect(s.smtputf8).toBe(false);
        expect(s.ret).toBeUndefined();
        expect(s.envid).toBeUndefined();
        for (const r of s.recipients) {
          expect(r.notify).toBeUndefined();
          expect(r.orcpt).toBeUndefined();
          expect(r.form).not.toBe("utf8");
          expect(r.reply.code).not.toBeLessThan(200);
          expect(r.reply.code >= 400 && r.reply.code < 500).toBe(false);
        }
        expect(s.sender.form).not.toBe("utf8");
        expect(["plain", "long-lines"]).toContain(s.message.body);
      }),
      { numRuns: 300 },
    );
  });

  test("reaches every parameter, form and reply kind when the MTA offers everything", () => {
    const seen = new Set<string>();
    for (const s of fc.sample(probeScenario({ capabilities: all, tempFailures: true }), { numRuns: 400, seed: 3 })) {
      if (s.ret !== undefined) seen.add(`ret ${s.ret}`);
      if (s.envid !== undefined) seen.add("envid");
      if (s.smtputf8) seen.add("smtputf8");
      seen.add(`body ${s.message.body}`);
      if (s.message.extraHeaders >= 50) seen.add("many headers");
      if (s.recipients.length >= 10) seen.add("10+ recipients");
      for (const r of s.recipients) {
        seen.add(`form ${r.form}`);
        seen.add(`notify ${r.notify === undefined ? "none" : r.notify === "NEVER" ? "NEVER" : "list"}`);
        if (r.orcpt !== undefined) seen.add(`orcpt ${r.orcpt.type}`);
        seen.add(`reply ${Math.floor(r.reply.code / 100)}xx`);
        if (r.reply.enhanced === undefined) seen.add("no enhanced code");
        if (r.reply.lines.length > 1) seen.add("multi-line");
        if (r.reply.lines.some((l) => l.includes("injected"))) seen.add("injection");
      }
      if (s.dataReply.code >= 400) seen.add("data refused");
    }
    expect([...seen].sort()).toEqual(
      [
        "10+ recipients", "body 8bit", "body long-lines", "body near-cap", "body plain", "data refused", "envid", "form atom", "form quoted", "form utf8",
        "injection", "many headers", "multi-line", "no enhanced code", "notify NEVER", "notify list", "notify none", "orcpt rfc822", "orcpt utf-8",
        "reply 2xx", "reply 4xx", "reply 5xx", "ret FULL", "ret HDRS", "smtputf8",
      ].sort(),
    );
  });

  test("the same seed gives the same scenarios", () => {
    const a = fc.sample(probeScenario({ capabilities: all }), { numRuns: 30, seed: 42 });
    const b = fc.sample(probeScenario({ capabilities: all }), { numRuns: 30, seed: 42 });
    expect(a).toEqual(b);
  });

  test("shrinks to one recipient, no parameters and a plain message", () => {
    const details = fc.check(fc.property(probeScenario({ capabilities: all, tempFailures: true }), () => false), { seed: 5 });
    const s = details.counterexample![0] as ProbeScenario;
    expect(s.recipients).toHaveLength(1);
    expect(s.ret).toBeUndefined();
    expect(s.envid).toBeUndefined();
    expect(s.recipients[0]!.notify).toBeUndefined();
    expect(s.recipients[0]!.orcpt).toBeUndefined();
    expect(s.message.body).toBe("plain");
    expect(s.message.extraHeaders).toBe(0);
  });

  test("rejects a bad maxRecipients", () => {
    expect(() => probeScenario({ capabilities: all, maxRecipients: 21 })).toThrow(/maxRecipients must be an integer from 1 to 20/);
  });
});

describe("materializeScenario", () => {
  test("commands and message are what SMTP allows, with the run's tag in every address", () => {
    fc.assert(
      fc.property(probeScenario({ capabilities: all, tempFailures: true }), fc.integer({ min: 1, max: 99999 }), (s, n) => {
        const tag = `t${n}`;
        const m = materializeScenario(s, tag, domains, all.size);
        const utf8 = (x: string) => new TextEncoder().encode(x).length;
        expect(m.mailFrom).toMatch(new RegExp(`^MAIL FROM:<"?${tag}\\.`));
        expect(utf8(m.mailFrom)).toBeLessThanOrEqual(512);
        for (const [i, r] of m.recipients.entries()) {
          expect(r.address).toMatch(new RegExp(`^"?${tag}r${i}\\..*@probe\\.test$`));
          expect(utf8(r.rcptTo)).toBeLessThanOrEqual(512);
        }
        if (s.envid !== undefined) expect(decodeXtext(/ENVID=(\S+)/.exec(m.mailFrom)![1]!)).toBe(s.envid);
        expect(m.message).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
        for (const line of m.message.split("\r\n")) expect(utf8(line)).toBeLessThanOrEqual(998);
        if (/[^\x00-\x7f]/.test(m.message)) expect(m.mailFrom).toContain("BODY=8BITMIME");
        if (s.message.body === "near-cap") {
          expect(m.message.length).toBeGreaterThan((all.size! * s.message.sizePercent) / 100 - 200);
          expect(m.message.length).toBeLessThan(all.size!);
        }
        expect(m.message).toContain(m.bodyMarker);
      }),
      { numRuns: 200 },
    );
  });
});
