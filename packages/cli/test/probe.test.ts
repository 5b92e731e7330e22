/**
 * `dsnkit probe`: --print-config prints the probe's routing data for each MTA; flags are checked
 * before anything listens; a probe run against the tiny MTA of test/probe writes the report as
 * text or JSON and exits 1 on a finding.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, test } from "vitest";
import { main } from "../src/main.js";
import { dsnkit } from "./support.js";
import { startTinyMta } from "../../../test/probe/tiny-mta.js";
import type { TinyBug, TinyMta } from "../../../test/probe/tiny-mta.js";

describe("dsnkit probe --print-config", () => {
  test("postfix: the transport_maps line, and with --temp-failures the lifetimes", async () => {
    const r = await dsnkit(["probe", "--print-config", "postfix", "--temp-failures"]);
    expect(r).toEqual({
      code: 0,
      stderr: "",
      stdout:
        "# main.cf: route the probe's two domains to its servers (Postfix 3.0 or later; with a transport_maps of your own, add the two entries to it)\n" +
        "transport_maps = inline:{ probe.test=smtp:[127.0.0.1]:2601, return.probe.test=smtp:[127.0.0.1]:2602 }\n" +
        "\n" +
        "# main.cf: bounce at the first 4xx instead of retrying for days (affects all mail: test instances only)\n" +
        "maximal_queue_lifetime = 0\nbounce_queue_lifetime = 0\n",
    });
  });

  test("haraka and exim name their files; the domain and ports are filled in", async () => {
    const h = await dsnkit(["probe", "--print-config", "haraka", "--domain", "bounce-test.example", "--remote-port", "2701", "--return-port", "2702"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("# plugins/dsnkit_probe_route.js: route the probe's two domains to its servers\n");
    expect(h.stdout).toContain("    'bounce-test.example': { exchange: '127.0.0.1', port: 2701, priority: 0 },\n");
    expect(h.stdout).toContain("    'return.bounce-test.example': { exchange: '127.0.0.1', port: 2702, priority: 0 },\n");
    const e = await dsnkit(["probe", "--print-config", "exim"]);
    expect(e.stdout).toContain("dsnkit_probe_remote:\n  driver = manualroute\n  domains = probe.test\n");
    expect(e.stdout).toContain("dsnkit_probe_return_smtp:\n  driver = smtp\n  port = 2602\n");
  });

  test.each(["postfix", "haraka", "exim"])("%s: no placeholder is left, in the lines or their comments, with or without --temp-failures", async (mta) => {
    for (const extra of [[], ["--temp-failures"]]) {
      const r = await dsnkit(["probe", "--print-config", mta, "--domain", "x.example", ...extra]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/\{(domain|returnDomain|remoteHost|remotePort|returnHost|returnPort)\}/);
      if (mta === "exim" && extra.length > 0) expect(r.stdout).toContain("# exim4.conf (begin retry): no rule may match x.example: ");
    }
  });

  test.each([
    [["probe", "--print-config", "sendmail"], 'dsnkit: --print-config: "sendmail" is not one of postfix, haraka, exim\n'],
    [["probe", "--print-config", "postfix", "--remote-port", "0"], "dsnkit: --print-config: the MTA needs fixed ports; give --remote-port and --return-port other than 0\n"],
    [["probe"], "dsnkit: give --submit smtp://HOST:PORT (the MTA to probe), or --print-config postfix|haraka|exim\n"],
    [["probe", "--submit", "http://127.0.0.1:25"], 'dsnkit: --submit: "http://127.0.0.1:25" is not smtp://HOST:PORT\n'],
    [["probe", "--submit", "smtp://127.0.0.1:25", "--budget", "10x"], 'dsnkit: --budget: "10x" is not a duration like 500ms, 30s or 10m\n'],
    [["probe", "--submit", "smtp://127.0.0.1:25", "--runs", "-3"], 'dsnkit: --runs: "-3" is not a whole number from 1 to 100000\n'],
    [["probe", "--submit", "smtp://127.0.0.1:25", "--target", "qmail"], 'dsnkit: --target: "qmail" is not one of postfix, haraka, exim, generic\n'],
    [["probe", "--submit", "smtp://127.0.0.1:25", "--domain", "localhost"], 'dsnkit: --domain: "localhost" is not a domain name with at least two labels\n'],
  ])("%j is refused with exit 2", async (args, stderr) => {
    expect(await dsnkit(args)).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe("dsnkit probe --submit", () => {
  let mta: TinyMta | undefined;
  afterEach(async () => {
    await mta?.close();
    mta = undefined;
  });

  /** Runs the command in-process; the tiny MTA learns the probe's ports from its stderr. */
  async function probe(bug: TinyBug | undefined, args: string[]) {
    mta = await startTinyMta(bug === undefined ? {} : { bug });
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = "";
    let stderr = "";
    out.on("data", (c: Buffer) => (stdout += c.toString()));
    err.on("data", (c: Buffer) => {
      stderr += c.toString();
      for (const m of stderr.matchAll(/^probe: (?:remote|return) server smtp:\/\/127\.0\.0\.1:(\d+) \(the MTA (?:relays|sends) (\S+?)(?:'s mail)?[, ]/gm)) mta!.routes.set(m[2]!, Number(m[1]));
    });
    const common = ["--submit", `smtp://127.0.0.1:${mta.port}`, "--remote-port", "0", "--return-port", "0", "--settle", "150ms", "--temp-failures"];
    const code = await main(["probe", ...common, ...args], { stdin: Readable.from([]), stdout: out, stderr: err, isTTY: false });
    return { code, stdout, stderr };
  }

  test("a finding: exit 1, the report as JSON with the property and the shrunk scenario", async () => {
    const r = await probe("drop-envid", ["--runs", "15", "--shrink-runs", "30", "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.filter((f: { severity: string }) => f.severity === "error").map((f: { property: string }) => f.property)).toEqual(["probe.original-envelope-id"]);
    expect(r.stderr).toMatch(/^probe: remote server smtp:\/\/127\.0\.0\.1:\d+ \(the MTA relays probe\.test to it\)$/m);
    expect(r.stderr).toContain("probe: 15 of 15 scenarios run");
    expect(r.stderr).toContain("probe: shrinking probe.original-envelope-id");
  });

  test("no finding: exit 0, the report as text in --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dsnkit-probe-"));
    try {
      const file = join(dir, "report.txt");
      const r = await probe(undefined, ["--runs", "10", "--out", file, "--quiet"]);
      expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
      const text = readFileSync(file, "utf8");
      expect(text).toMatch(/^dsnkit probe: an MTA at smtp:\/\/127\.0\.0\.1:\d+\n/);
      expect(text).toContain("\nNo findings.\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an MTA that is not there: exit 1 naming --submit", async () => {
    const r = await dsnkit(["probe", "--submit", "smtp://127.0.0.1:1", "--remote-port", "0", "--return-port", "0", "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dsnkit: --submit: cannot connect to 127\.0\.0\.1:1: /);
  });
});
