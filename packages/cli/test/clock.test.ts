import { afterEach, describe, expect, test } from "vitest";
import { join, resolve } from "node:path";
import { CLOCK_ENV, clockFromEnvironment } from "../src/clock.js";
import { CliError } from "../src/io.js";
import { dsnkit } from "./support.js";

const example = join(resolve(import.meta.dirname, "../../.."), "docs/examples/does-not-exist.json");

describe("clockFromEnvironment", () => {
  test("SOURCE_DATE_EPOCH fixes the clock; unset or empty is the system clock", () => {
    expect(clockFromEnvironment({ SOURCE_DATE_EPOCH: "1795687200" })().toISOString()).toBe("2026-11-26T10:00:00.000Z");
    expect(clockFromEnvironment({ SOURCE_DATE_EPOCH: "0" })().toISOString()).toBe("1970-01-01T00:00:00.000Z");
    for (const env of [{}, { SOURCE_DATE_EPOCH: "" }]) {
      const before = Date.now();
      const now = clockFromEnvironment(env)().getTime();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    }
  });

  test.each(["yesterday", "-1", "1.5", " 1795687200", "1e9", "9999999999999999"])("%j is refused when the clock is read, naming the variable", (value) => {
    const clock = clockFromEnvironment({ SOURCE_DATE_EPOCH: value });
    expect(clock).toThrow(CliError);
    expect(clock).toThrow(`SOURCE_DATE_EPOCH: ${JSON.stringify(value)} is not a whole number of seconds since 1970-01-01T00:00:00Z`);
  });
});

describe("the command's clock", () => {
  const saved = process.env[CLOCK_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[CLOCK_ENV];
    else process.env[CLOCK_ENV] = saved;
  });

  test("render dates the bounce by SOURCE_DATE_EPOCH; --date still wins", async () => {
    process.env[CLOCK_ENV] = "1795687200";
    const r = await dsnkit(["render", example, "--original-sender", "s@example.org"], "", { now: null });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n");
    const dated = await dsnkit(["render", example, "--original-sender", "s@example.org", "--date", "2030-01-01T00:00:00Z"], "", { now: null });
    expect(dated.stdout).toContain("\r\nDate: Tue, 01 Jan 2030 00:00:00 +0000\r\n");
  });

  test("send-bounce --dry-run judges SES's window by it", async () => {
    const args = ["send-bounce", "--cli-input-json", `file://${example}`, "--dry-run", "--original-sender", "s@example.org"];
    process.env[CLOCK_ENV] = "1795687200"; // two seconds after the example's ArrivalDate
    expect((await dsnkit(args, "", { now: null })).stderr).toBe("");
    process.env[CLOCK_ENV] = String(1795687200 + 2 * 86_400);
    const late = await dsnkit(args, "", { now: null });
    expect(late.code).toBe(0);
    expect(late.stderr).toContain("the window closed at 2026-11-27T09:59:58Z, 24 h ago: SES will refuse this bounce");
  });

  test("a bad SOURCE_DATE_EPOCH is a usage error (exit 2) for a command that reads the clock, and no other", async () => {
    process.env[CLOCK_ENV] = "tomorrow";
    const r = await dsnkit(["render", example, "--original-sender", "s@example.org"], "", { now: null });
    expect(r).toEqual({ code: 2, stdout: "", stderr: 'dsnkit: SOURCE_DATE_EPOCH: "tomorrow" is not a whole number of seconds since 1970-01-01T00:00:00Z\n' });
    expect((await dsnkit(["send-bounce", "--generate-cli-skeleton"], "", { now: null })).code).toBe(0);
  });
});
