/**
 * Every example in README.md and docs/ that shows a date keeps working whatever day it is copied
 * and run: today, and a year from now. Each fenced block holding a date is either run here (under
 * the CLI's clock set to now and to 400 days from now, with SOURCE_DATE_EPOCH) or listed as output
 * a reader does not run, with the reason. A new dated example that is neither fails the test.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const DSNKIT = join(ROOT, "packages/cli/dist/bin.js");

interface Block {
  file: string;
  line: number;
  lang: string;
  body: string;
}

const DATE = /\b(?:19|20)\d\d-\d\d-\d\d\b|\b1[6-9]\d{8}\b/;

function datedBlocks(): Block[] {
  const files = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const blocks: Block[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const m of text.matchAll(/^( *)```(\w*)[^\n]*\n([\s\S]*?)^\1```/gm)) {
      const body = m[3]!;
      if (DATE.test(body)) blocks.push({ file, line: text.slice(0, m.index).split("\n").length, lang: m[2]!, body });
    }
  }
  return blocks;
}

/** Blocks that show what a program printed or wrote: a reader does not run them. */
function isOutput(b: Block): string | undefined {
  if (b.lang === "text") return "program output";
  if (b.body.startsWith("$ ")) return "a terminal session: the command and what it printed";
  if (b.lang === "json" && b.body.includes('"event":')) return "journal lines as a batch writes them";
  if (b.file === "docs/ses.md" && b.body.includes("received.jsonl holds one received message per line")) return "a comment showing a log line the example program reads";
  return undefined;
}

const DAY = 86_400;
const CLOCKS = [
  ["today", Math.floor(Date.now() / 1000)],
  ["in 400 days", Math.floor(Date.now() / 1000) + 400 * DAY],
] as const;

/** Runs the built dsnkit with its clock at `epoch` (seconds), `input` on stdin. */
function dsnkit(args: string[], epoch: number, input = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(DSNKIT)) throw new Error(`${DSNKIT} is missing: build first with npx tsc -b`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DSNKIT, ...args], { cwd: ROOT, env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.once("error", fail);
    child.once("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** stderr lines other than the notes that SES's 24-hour window has closed (a warning, not a failure). */
function otherStderr(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l !== "" && !l.startsWith("dsnkit: warning: MessageDsn.ArrivalDate: "));
}

const BASE = ["send-bounce", "--original-message-id", "0100019abc", "--bounce-sender", "mailer-daemon@example.com"];
const ONE = ["--bounced-recipient-info-list", "Recipient=nobody@example.com,BounceType=DoesNotExist"];

/** The runnable dated examples: each says which block it runs, and runs it. */
const RUNNERS: { name: string; linked?: boolean; matches: (b: Block) => boolean; run: (b: Block | undefined, epoch: number) => Promise<void> }[] = [
  {
    name: "docs/examples/does-not-exist.json (README's demo and its --dry-run line), rendered and previewed",
    linked: true, // not a fenced block: the README links the file
    matches: () => false,
    run: async (_b, epoch) => {
      const demo = await dsnkit(["render", "docs/examples/does-not-exist.json", "--original", "docs/examples/original.eml"], epoch);
      expect(demo.stderr).toBe("");
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain("Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000");
      const dry = await dsnkit(["send-bounce", "--cli-input-json", "file://docs/examples/does-not-exist.json", "--dry-run", "--original", "docs/examples/original.eml"], epoch);
      expect(otherStderr(dry.stderr)).toEqual([]);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain("Final-Recipient: rfc822; nobody@example.com");
    },
  },
  {
    name: "cli.md's --message-dsn values, each in a dry run",
    matches: (b) => b.file === "docs/cli.md" && b.body.startsWith("--message-dsn "),
    run: async (b, epoch) => {
      const lines = b!.body.split("\n").filter((l) => l.startsWith("--message-dsn "));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        const value = line.slice("--message-dsn ".length).replace(/^'(.*)'$/, "$1");
        const r = await dsnkit([...BASE, ...ONE, "--message-dsn", value, "--dry-run", "--original-sender", "s@example.org", "--region", "us-east-1"], epoch);
        expect(otherStderr(r.stderr), line).toEqual([]);
        expect(r.code, line).toBe(0);
        expect(r.stdout).toContain("Arrival-Date: Thu, 26 Nov 26 09:59:58 UTC"); // the dry run shows SES's layout
      }
    },
  },
  {
    name: "rendering.md's request, rendered",
    matches: (b) => b.file === "docs/rendering.md" && b.lang === "json" && b.body.includes('"BouncedRecipientInfoList"'),
    run: async (b, epoch) => {
      const r = await dsnkit(["render", "-", "--original-sender", "s@example.org"], epoch, b!.body);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Date: ");
    },
  },
  {
    name: "cli.md's SOURCE_DATE_EPOCH example prints the Date it shows",
    matches: (b) => b.file === "docs/cli.md" && b.body.startsWith("SOURCE_DATE_EPOCH="),
    run: async (b) => {
      const [command, shown] = b!.body.split("\n");
      const m = /^SOURCE_DATE_EPOCH=(\d+) dsnkit (.*)$/.exec(command!)!;
      const r = await dsnkit(m[2]!.split(" "), Number(m[1]));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`\r\n${shown!.replace(/^# /, "")}\r\n`);
    },
  },
];

describe("dated examples in README.md and docs/ work on any day", () => {
  const blocks = datedBlocks();

  test("every dated block is run below or is output a reader does not run", () => {
    const unaccounted = blocks.filter((b) => isOutput(b) === undefined && !RUNNERS.some((r) => r.matches(b)) && !(b.file === "docs/ses.md" && b.lang === "ts"));
    expect(unaccounted.map((b) => `${b.file}:${b.line}`)).toEqual([]);
  });

  test("the TypeScript examples of docs/ses.md take the arrival time from the event or from now, never a literal date", () => {
    for (const b of blocks.filter((x) => x.file === "docs/ses.md" && x.lang === "ts")) {
      const code = b.body.split("\n").filter((l) => !l.trimStart().startsWith("//"));
      expect(code.filter((l) => DATE.test(l)), `${b.file}:${b.line}`).toEqual([]);
    }
  });

  for (const runner of RUNNERS)
    for (const [when, epoch] of CLOCKS)
      test(`${runner.name} (${when})`, async () => {
        if (runner.linked === true) return runner.run(undefined, epoch);
        const mine = blocks.filter(runner.matches);
        if (mine.length === 0) throw new Error(`no block matches "${runner.name}": the docs changed; update the runner`);
        for (const b of mine) await runner.run(b, epoch);
      });
});
