/**
 * The security suite, the command's side: input without end is refused while it is read (issue
 * 13, item 3), for every command that reads a file or stdin, with the memory that costs measured in
 * the process itself; and growth checks of the command's readers (files and stdin) on adversarial
 * input: doubling it at most triples the time.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_MAX_INPUT_SIZE } from "../../packages/cli/src/io.js";
import { dsnkit } from "../../packages/cli/test/support.js";
import type { RunResult } from "../../packages/cli/test/support.js";
import { expectLinear } from "../support/growth.js";
import { DSN_ATTACKS, fold, ORIGINAL_ATTACKS } from "./attacks.js";
import { build } from "../../packages/core/test/fixtures/base-dsn.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "packages/cli/dist/main.js");
const SLOW = 180_000;
const REQUEST = JSON.stringify({
  OriginalMessageId: "0100019abcdef012-3456789a-bcde-f012-3456-789abcdef012-000000",
  BounceSender: "mailer-daemon@example.com",
  BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
});

let dir: string;
beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with npx tsc -b`);
  dir = mkdtempSync(join(tmpdir(), "dsnkit-security-cli-"));
  writeFileSync(join(dir, "request.json"), REQUEST);
  writeFileSync(join(dir, "small.eml"), build());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Measured {
  code: number | null;
  stderr: string;
  /** The process's peak resident memory, in bytes, as it saw it at exit. */
  maxRss: number;
  /** The process's own CPU time (user and system), in milliseconds, as it saw it at exit. */
  cpuMs: number;
}

/**
 * Runs the built command in a child process that reports its own peak memory when it is done.
 * `stdin`: a file to pipe in, or "zeros" for zeros without end (written until the child exits).
 */
function measure(args: readonly string[], stdin?: "zeros"): Promise<Measured> {
  const script =
    `process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";` +
    `const { main } = await import(${JSON.stringify(MAIN)});` +
    `const code = await main(${JSON.stringify(args)});` +
    `const cpu = process.cpuUsage();` +
    `process.stderr.write("\\nmaxRss=" + process.resourceUsage().maxRSS * 1024 + " cpu=" + (cpu.user + cpu.system) + "\\n");` +
    `process.exit(code);`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", fail);
    child.stdin.on("error", () => undefined); // EPIPE once the child stops reading
    if (stdin === "zeros") {
      const zeros = Buffer.alloc(1024 * 1024);
      const pump = () => {
        while (child.exitCode === null && !child.stdin.destroyed && child.stdin.write(zeros));
      };
      child.stdin.on("drain", pump);
      pump();
    } else child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const m = /maxRss=(\d+) cpu=(\d+)/.exec(stderr);
      done({ code, stderr, maxRss: m ? Number(m[1]) : Number.NaN, cpuMs: m ? Number(m[2]) / 1000 : Number.NaN });
    });
  });
}

describe("item 3: input without end is refused while it is read", () => {
  const MB = 1024 * 1024;
  let baseline: Measured;
  beforeAll(async () => {
    baseline = await measure(["parse", "small.eml"]);
    expect(baseline.code).toBe(0);
  }, SLOW);

  /**
   * Asserts that a run cost at most three times the CPU time of a small parse. CPU time is the
   * process's own work, which load changes far less than the wall clock; still, a ratio over the
   * limit is measured again, a small parse and the run side by side, twice at most, and the lowest
   * counts: reading a stream without end fails every time, a burst of load does not.
   */
  async function expectCheap(first: Measured, args: readonly string[], stdin?: "zeros"): Promise<void> {
    let best = { run: first.cpuMs, small: baseline.cpuMs };
    for (let attempt = 0; attempt < 2 && best.run / best.small >= 3; attempt++) {
      const small = await measure(["parse", "small.eml"]);
      const again = await measure(args, stdin);
      if (again.cpuMs / small.cpuMs < best.run / best.small) best = { run: again.cpuMs, small: small.cpuMs };
    }
    expect(best.run / best.small, `${best.run.toFixed(0)} ms of CPU, a small parse ${best.small.toFixed(0)} ms`).toBeLessThan(3);
  }

  const cases: [string, string[], "zeros" | undefined, RegExp][] = [
    ["parse /dev/zero", ["parse", "/dev/zero"], undefined, /^dsnkit: input: \/dev\/zero is larger than 16777216 octets, the most dsnkit reads; nothing was done \(--max-input-size raises the limit\)$/m],
    ["check /dev/zero", ["check", "/dev/zero"], undefined, /^dsnkit: input: \/dev\/zero is larger than 16777216 octets/m],
    ["render --original /dev/zero", ["render", "request.json", "--original", "/dev/zero"], undefined, /^dsnkit: --original: \/dev\/zero is larger than 16777216 octets/m],
    ["render with its request from /dev/zero", ["render", "/dev/zero", "--original-sender", "a@example.org"], undefined, /^dsnkit: request: \/dev\/zero is larger than/m],
    ["send-bounce --batch /dev/zero", ["send-bounce", "--batch", "/dev/zero"], undefined, /^dsnkit: --batch: \/dev\/zero is larger than 16777216 octets, the most dsnkit reads; nothing was sent/m],
    ["send-bounce --cli-input-json file:///dev/zero", ["send-bounce", "--cli-input-json", "file:///dev/zero", "--dry-run"], undefined, /^dsnkit: --cli-input-json: cannot read \/dev\/zero: it is larger than 16777216 octets/m],
    ["parse - with zeros without end on stdin", ["parse", "-"], "zeros", /^dsnkit: input: \(stdin\) is larger than 16777216 octets/m],
    ["check with zeros without end on stdin", ["check"], "zeros", /^dsnkit: input: \(stdin\) is larger than 16777216 octets/m],
  ];
  for (const [name, args, stdin, message] of cases) {
    test(`${name}: exit 2 with the limit named, in about the time of a small file, under 100 MB`, async () => {
      const r = await measure(args, stdin);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      // Memory: what reading up to the limit holds, over what parsing a small DSN takes.
      expect(r.maxRss - baseline.maxRss, `${(r.maxRss / MB).toFixed(0)} MB, a small parse ${(baseline.maxRss / MB).toFixed(0)} MB`).toBeLessThan(DEFAULT_MAX_INPUT_SIZE + 24 * MB);
      expect(r.maxRss).toBeLessThan(100 * 1000 * 1000);
      // Work, as a ratio within this test: the refusal costs at most three times the CPU time of a
      // small parse (process start-up dominates both); reading 3.8 GB first took 25 s.
      await expectCheap(r, args, stdin);
    }, SLOW);
  }

  test("parse --summary with /dev/zero among the files: skipped at --max-size, read no further", async () => {
    const r = await measure(["parse", "--summary", "/dev/zero"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.maxRss - baseline.maxRss).toBeLessThan(10 * MB + 24 * MB);
    await expectCheap(r, ["parse", "--summary", "/dev/zero"]);
  }, SLOW);

  test("ses-local --config /dev/zero, or a config file over 1 MiB: exit 2, said why", async () => {
    const big = join(dir, "big-config.yaml");
    writeFileSync(big, "# " + "x".repeat(1024 * 1024) + "\n");
    const zero = await measure(["ses-local", "--config", "/dev/zero"]);
    expect([zero.code, zero.stderr]).toEqual([2, expect.stringContaining("dsnkit: --config /dev/zero: the config file is not a regular file")]);
    const r = await run(["ses-local", "--config", big]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/the config file is 1048579 octets; a config file is at most 1048576/)]);
  }, SLOW);

  test("--max-input-size raises the limit and is checked", async () => {
    const big = join(dir, "big.eml");
    writeFileSync(big, build() + "x".repeat(DEFAULT_MAX_INPUT_SIZE));
    expect((await run(["check", big])).stderr).toMatch(/is larger than 16777216 octets/);
    const raised = await run(["check", big, "--max-input-size", String(2 * DEFAULT_MAX_INPUT_SIZE)]);
    expect(raised.stderr).toBe("");
    expect((await run(["parse", "small.eml", "--max-input-size", "0"])).stderr).toMatch(/^dsnkit: --max-input-size: "0" is not a whole number of octets from 1 to 134217728/);
    expect((await run(["parse", "small.eml", "--max-input-size", "200000000"])).code).toBe(2);
  }, SLOW);
});

/** Runs the command in this process with captured streams; `stdin` is what it reads there. */
function run(args: string[], stdin: string | Buffer = ""): Promise<RunResult> {
  // A bare file name (no directory) is one of the files this suite wrote.
  const paths = args.map((a) => (/\.(eml|json|jsonl)$/.test(a) && !a.includes("/") ? join(dir, a) : a));
  return dsnkit(paths, stdin, { now: null });
}

describe("item 1, on the command line: render --original names the header the original has", () => {
  test("an original whose From is a@ and 150,000 colons, folded: refused in linear time, naming From, not Return-Path", async () => {
    const original = (n: number) => `From: a@${fold(":".repeat(n))}\r\nSubject: hi\r\n\r\nbody\r\n`;
    const path = (n: number) => {
      const p = join(dir, `colons-${n}.eml`);
      writeFileSync(p, original(n));
      return p;
    };
    const r = await run(["render", "request.json", "--original", path(150_000)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^  --original: From is \d+ characters long; the limit is 1024 \[too_big\]$/m);
    expect(r.stderr).not.toMatch(/Return-Path/);
    await expectLinear("dsnkit render --original, colon From", path, (p) => run(["render", "request.json", "--original", p]), 75_000);
  }, SLOW);

  test("an original whose only From line is over 998 octets: no sender, and the message says a field was dropped", async () => {
    writeFileSync(join(dir, "long-from.eml"), `From: a@${":".repeat(150_000)}\r\nSubject: hi\r\n\r\nbody\r\n`);
    const r = await run(["render", "request.json", "--original", "long-from.eml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--original: the original has neither a Return-Path nor a From to send the bounce to that can be read \(1 header field was dropped: a line over 998 octets/);
  });
});

describe("growth checks of the command's readers: doubling an adversarial input at most triples the time", () => {
  const file = (name: string, text: (n: number) => string) => (n: number) => {
    const p = join(dir, `${name}-${n}`);
    writeFileSync(p, text(n));
    return p;
  };
  for (const id of ["from-colons", "to-colons", "text-bare-cr", "text-base64-invalid", "ds-recipients"]) {
    const attack = DSN_ATTACKS.find((a) => a.id === id)!;
    test(`dsnkit parse FILE, dsnkit check FILE and dsnkit parse - (stdin), ${id}`, async () => {
      await expectLinear(`dsnkit parse FILE, ${id}`, file(id, attack.make), (p) => run(["parse", p, "--compact"]), attack.n);
      await expectLinear(`dsnkit check FILE, ${id}`, file(id, attack.make), (p) => run(["check", p]), attack.n);
      await expectLinear(`dsnkit parse -, ${id}`, attack.make, (text) => run(["parse", "-", "--compact"], text), attack.n);
    }, SLOW);
  }

  for (const attack of ORIGINAL_ATTACKS) {
    test(`dsnkit render --original FILE, ${attack.id}`, async () => {
      await expectLinear(`dsnkit render --original, ${attack.id}`, file(attack.id, attack.make), (p) => run(["render", "request.json", "--original", p, "--original-sender", "a@example.org"]), attack.n);
    }, SLOW);
  }

  test("dsnkit send-bounce --cli-input-json file:// and shorthand: n recipients", async () => {
    const recipients = (n: number) => Array.from({ length: n }, (_, i) => ({ Recipient: `a${i}@example.com`, BounceType: "DoesNotExist" }));
    const json = (n: number) => {
      const p = join(dir, `input-${n}.json`);
      writeFileSync(p, JSON.stringify({ ...JSON.parse(REQUEST), BouncedRecipientInfoList: recipients(n) }));
      return p;
    };
    const dry = ["--dry-run", "--original-sender", "a@example.org"];
    expect((await run(["send-bounce", "--cli-input-json", `file://${json(2)}`, ...dry])).code).toBe(0);
    await expectLinear("send-bounce --cli-input-json file://", json, (p) => run(["send-bounce", "--cli-input-json", `file://${p}`, ...dry]), 1_000);
    const words = (n: number) => recipients(n).map((r) => `Recipient=${r.Recipient},BounceType=${r.BounceType}`);
    const shorthand = (w: string[]) => run(["send-bounce", "--original-message-id", "0100019abc", "--bounce-sender", "mailer-daemon@example.com", "--bounced-recipient-info-list", ...w, ...dry]);
    expect((await shorthand(words(2))).code).toBe(0);
    await expectLinear("send-bounce shorthand", words, shorthand, 1_000);
  }, SLOW);

  test("dsnkit send-bounce --batch FILE --dry-run: n lines, each with a Recipient of a@ and colons", async () => {
    const line = (i: number) => JSON.stringify({ ...JSON.parse(REQUEST), OriginalMessageId: `0100019abc${i}`, BouncedRecipientInfoList: [{ Recipient: `a${i}@${":".repeat(500)}`, BounceType: "DoesNotExist" }] });
    const batch = (n: number) => {
      const p = join(dir, `batch-${n}.jsonl`);
      writeFileSync(p, Array.from({ length: n }, (_, i) => line(i)).join("\n") + "\n");
      return p;
    };
    const r = await run(["send-bounce", "--batch", batch(3), "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3 of 3 lines have problems; nothing was sent/);
    await expectLinear("dsnkit send-bounce --batch --dry-run", batch, (p) => run(["send-bounce", "--batch", p, "--dry-run"]), 1_000);
  }, SLOW);
});

describe("nesting without end in the command's own parsers: exit 2, a clear message, no stack overflow", () => {
  test("JSON (render REQUEST, --cli-input-json), YAML (--cli-input-yaml) and AWS shorthand nested 20,000 to 1,000,000 deep", async () => {
    writeFileSync(join(dir, "deep-array.json"), "[".repeat(1_000_000) + "]".repeat(1_000_000));
    writeFileSync(join(dir, "deep-open.json"), "[".repeat(1_000_000));
    writeFileSync(join(dir, "deep.yaml"), "[".repeat(100_000) + "]".repeat(100_000));
    const cases: [string[], RegExp][] = [
      [["render", "deep-array.json", "--original-sender", "a@example.org"], /\(root\): value must be an object, not an array \[invalid_type\]/],
      [["send-bounce", "--cli-input-json", `file://${join(dir, "deep-open.json")}`, "--dry-run"], /deep-open\.json:1:1000001: invalid JSON: expected a value/],
      [["send-bounce", "--cli-input-yaml", `file://${join(dir, "deep.yaml")}`, "--dry-run"], /invalid YAML: collections are nested too deeply to read/],
      [
        ["send-bounce", "--original-message-id", "x", "--bounce-sender", "a@example.com", "--bounced-recipient-info-list", `Recipient={${"A={".repeat(20_000)}${"}".repeat(20_001)}`, "--dry-run"],
        /not valid shorthand: lists and structures are nested more than 64 deep here/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect([r.code, r.stderr], args.join(" ").slice(0, 80)).toEqual([2, expect.stringMatching(message)]);
      expect(r.stderr).not.toMatch(/unexpected error|Maximum call stack/);
    }
  }, SLOW);
});
