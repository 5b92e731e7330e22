/**
 * The packages as a user gets them. Every package is packed with `npm pack` (its prepack script
 * builds it), the tarballs are installed into a scratch project in a temporary directory outside
 * the workspace (from the local npm cache where it can, the registry otherwise), and there:
 * an ES module and a CommonJS script use them, `tsc --strict` type-checks TypeScript consumers
 * (module nodenext, node16 with a .cts file, bundler), every ```ts runnable block of README.md and
 * docs/*.md type-checks and runs, `npx dsnkit` answers --help and renders a DSN, and an esbuild
 * bundle of @dsnkit/core renders, parses and checks a DSN in headless Chromium. publint and
 * arethetypeswrong check the tarballs, and the install holds one copy of @aws-sdk/client-ses.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkDsn, parseDsn } from "@dsnkit/core";
import { startChromium } from "../support/chromium.js";
import { docSnippets, runnableBlocks, snippetName } from "./snippets.js";

const root = resolve(import.meta.dirname, "../..");
const fixtures = join(import.meta.dirname, "fixtures");
const rootRequire = createRequire(join(root, "package.json"));
const tsc = rootRequire.resolve("typescript/bin/tsc");
const attw = join(dirname(rootRequire.resolve("@arethetypeswrong/cli/package.json")), "dist/index.js");
const PACKAGES = ["packages/core", "packages/testing", "packages/ses", "packages/ses-local", "packages/cli"];
const SDK = "@aws-sdk/client-ses@3.1169.0";
const SLOW = 600_000; // a test that runs tsc, npm or attw: minutes on a loaded 2-core machine
const version = (name: string) => (JSON.parse(readFileSync(rootRequire.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;

/** The environment of every command run in the scratch project: no npm_* of the outer `npm test`, no AWS account. */
function scratchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^AWS_/i.test(k) || k === "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED") env[k] = v;
  // Anything that tries SES reaches a closed port on this machine, never AWS.
  return { ...env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDCONSUMERTEST", AWS_SECRET_ACCESS_KEY: "consumer-test", AWS_ENDPOINT_URL_SES: "http://127.0.0.1:9", AWS_EC2_METADATA_DISABLED: "true" };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a command; never rejects, so that a test can show the output of a failure. */
function run(file: string, args: readonly string[], options: { cwd: string; timeout?: number }): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: options.cwd, env: scratchEnv(), timeout: options.timeout ?? 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      done({ code, stdout, stderr: error !== null && typeof error.code !== "number" ? `${stderr}\n${error.message}` : stderr });
    });
  });
}
const shown = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`;
function expectOk(r: Run, what: string): void {
  expect(r.code, `${what}\n${shown(r)}`).toBe(0);
}

/** What `npm pack --json` says of one tarball. */
interface Packed {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

let work = "";
let scratch = "";
let packed: Packed[] = [];
const tarball = (name: string) => join(work, "tarballs", packed.find((p) => p.name === name)!.filename);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "dsnkit-consumer-"));
  mkdirSync(join(work, "tarballs"));
  // npm pack runs each package's prepack, the build (scripts/build.mjs), which rewrites the
  // package's dist/ (the command's bundle replaces dist/bin.js). Run in the workspace, that would
  // rewrite files that other tests, running at the same time, are loading. So the packages are
  // packed from a copy of the workspace (its sources and build, with the workspace's node_modules
  // linked in), built there as a fresh clone would build them.
  const stage = join(work, "workspace");
  for (const file of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.base.json", "LICENSE", "README.md"]) cpSync(join(root, file), join(stage, file));
  cpSync(join(root, "scripts"), join(stage, "scripts"), { recursive: true });
  for (const dir of PACKAGES) cpSync(join(root, dir), join(stage, dir), { recursive: true, preserveTimestamps: true, filter: (from) => !/[\\/](node_modules|test)$/.test(from) });
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), "dir");
  const pack = await run("npm", ["pack", ...PACKAGES.flatMap((p) => ["--workspace", p]), "--pack-destination", join(work, "tarballs"), "--json"], { cwd: stage, timeout: 600_000 });
  expectOk(pack, "npm pack");
  packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as Packed[];

  // The scratch project: outside the workspace, so nothing resolves to the workspace's packages.
  scratch = join(work, "project");
  mkdirSync(scratch);
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "dsnkit-consumer", version: "1.0.0", private: true }, null, 2));
  const install = await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      // better-sqlite3's install script compiles SQLite (minutes); its binary is copied below.
      "--ignore-scripts",
      ...packed.map((p) => join(work, "tarballs", p.filename)),
      SDK,
      `fast-check@${version("fast-check")}`,
      `@types/node@${version("@types/node")}`,
    ],
    { cwd: scratch, timeout: 600_000 },
  );
  expectOk(install, "npm install of the tarballs");
  // The native binary of the workspace's better-sqlite3 is the one npm would build here: the same
  // release for the same Node. A different release is built as npm would.
  const sqlite = join(scratch, "node_modules/better-sqlite3");
  const built = join(root, "node_modules/better-sqlite3/build/Release/better_sqlite3.node");
  if (JSON.parse(readFileSync(join(sqlite, "package.json"), "utf8")).version === version("better-sqlite3") && existsSync(built)) {
    mkdirSync(join(sqlite, "build/Release"), { recursive: true });
    cpSync(built, join(sqlite, "build/Release/better_sqlite3.node"));
  } else expectOk(await run("npm", ["rebuild", "better-sqlite3"], { cwd: scratch, timeout: 600_000 }), "npm rebuild better-sqlite3");
  cpSync(fixtures, scratch, { recursive: true });
}, 900_000);

// The scratch project holds tens of thousands of files: removing them takes minutes on a busy disk.
afterAll(async () => {
  if (work !== "") await rm(work, { recursive: true, force: true });
}, SLOW);

describe("the tarballs", () => {
  test("ship dist (ES module, CommonJS entry, declarations of both kinds, maps), src for the maps, README, LICENSE and nothing else", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(["@dsnkit/core", "@dsnkit/ses", "@dsnkit/ses-local", "@dsnkit/testing", "dsnkit"]);
    for (const dir of PACKAGES) {
      const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string; bin?: Record<string, string>; main: string; exports: Record<string, { require?: { default: string } } | string> };
      const sources: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(join(root, dir, d), { withFileTypes: true })) e.isDirectory() ? walk(`${d}/${e.name}`) : sources.push(`${d}/${e.name}`);
      };
      walk("src");
      const expected = new Set(["package.json", "README.md", "LICENSE", pkg.main.replace(/^\.\//, "")]);
      for (const bin of Object.values(pkg.bin ?? {})) expected.add(bin.replace(/^\.\//, ""));
      // A subpath export (@dsnkit/testing/probe) has its CommonJS entry, and a directory with a
      // package.json for resolvers that do not read "exports" (node10).
      for (const [subpath, e] of Object.entries(pkg.exports)) {
        if (subpath === "." || typeof e === "string" || e.require === undefined) continue;
        expected.add(e.require.default.replace(/^\.\//, ""));
        expected.add(`${subpath.slice(2)}/package.json`);
      }
      for (const s of sources) {
        expected.add(s);
        const out = s.replace(/^src\//, "dist/").replace(/\.ts$/, "");
        for (const ext of [".js", ".js.map", ".d.ts", ".d.ts.map", ".d.cts"]) expected.add(out + ext);
      }
      const files = packed.find((p) => p.name === pkg.name)!.files.map((f) => f.path);
      if (pkg.name === "dsnkit") {
        // The command as `npm run build` bundles it (scripts/build.mjs): dist/bin.js loads each
        // command's work from a chunk of its own when that command runs.
        const chunks = files.filter((f) => f.startsWith("dist/chunks/"));
        for (const command of ["render", "send-bounce", "ses-local", "parse", "check", "probe"])
          expect(chunks.filter((f) => new RegExp(`^dist/chunks/${command}-[A-Z0-9]+\\.js(\\.map)?$`).test(f)), command).toHaveLength(2);
        for (const f of chunks) expected.add(f);
      }
      expect(files.sort(), pkg.name).toEqual([...expected].sort());
    }
  });

  test("say where they come from and what they need: repository, homepage, bugs, keywords, engines, ranges between them", () => {
    const manifests = packed.map((p) => JSON.parse(readFileSync(join(scratch, "node_modules", p.name, "package.json"), "utf8")) as Record<string, any>);
    const versions = new Map(manifests.map((m) => [m["name"] as string, m["version"] as string]));
    for (const m of manifests) {
      const name = m["name"] as string;
      expect(m["license"], name).toBe("MIT");
      expect(m["repository"], name).toEqual({ type: "git", url: "git+https://github.com/dsnkit/dsnkit.git", directory: expect.stringMatching(/^packages\//) });
      expect(m["homepage"], name).toMatch(/^https:\/\//);
      expect(m["bugs"]?.url, name).toMatch(/^https:\/\/.*\/issues$/);
      expect(m["keywords"]?.length, name).toBeGreaterThan(3);
      expect(m["engines"], name).toEqual({ node: ">=20.19" });
      expect(m["exports"]["./package.json"], name).toBe("./package.json");
      for (const [dep, range] of Object.entries({ ...m["dependencies"], ...m["peerDependencies"] } as Record<string, string>)) {
        if (versions.has(dep)) expect(range, `${name} → ${dep}`).toBe(`^${versions.get(dep)}`);
      }
    }
    const ses = manifests.find((m) => m["name"] === "@dsnkit/ses")!;
    expect(ses["peerDependencies"]).toEqual({ "@aws-sdk/client-ses": `^${SDK.split("@").pop()}` });
    expect(ses["dependencies"]["@aws-sdk/client-ses"]).toBeUndefined();
    for (const m of manifests) if (m["name"] !== "dsnkit") expect(m["sideEffects"], m["name"]).toBe(false);
  });

  test("carry the MIT license text and a README whose links work outside the repository", () => {
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License/);
    for (const p of packed) {
      const dir = join(scratch, "node_modules", p.name);
      expect(readFileSync(join(dir, "LICENSE"), "utf8"), p.name).toBe(license);
      const readme = readFileSync(join(dir, "README.md"), "utf8");
      for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:\/\//.test(target!)) continue;
        expect(existsSync(join(dir, target!.replace(/#.*$/, ""))), `${p.name} README links to ${target}, which is not in the package`).toBe(true);
      }
    }
  });

  test("publint: no error, warning or suggestion", async () => {
    const problems: string[] = [];
    for (const p of packed) {
      const buffer = readFileSync(tarball(p.name));
      const data = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
      const { messages, pkg } = await publint({ pack: { tarball: data }, level: "suggestion", strict: true });
      for (const m of messages) problems.push(`${p.name}: ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
    }
    expect(problems).toEqual([]);
  }, SLOW);

  test("arethetypeswrong: no problem for node10, node16 (CommonJS and ES module) and bundler resolution", async () => {
    for (const p of packed) {
      const r = await run(process.execPath, [attw, tarball(p.name), "--format", "ascii"], { cwd: work });
      expect(r.code, `attw ${p.filename}\n${shown(r)}`).toBe(0);
      expect(r.stdout, p.name).toMatch(/No problems found/);
    }
  }, SLOW);
});

describe("installed in a project outside the workspace", () => {
  test("npm installs one copy of @aws-sdk/client-ses, the project's own, and a Lambda bundle holds one", async () => {
    const copies: string[] = [];
    const find = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (!e.isDirectory()) continue;
        const path = join(dir, e.name);
        if (path.endsWith(join("@aws-sdk", "client-ses"))) copies.push(relative(scratch, path));
        else find(path);
      }
    };
    find(join(scratch, "node_modules"));
    expect(copies).toEqual(["node_modules/@aws-sdk/client-ses"]);

    const bundle = await build({ entryPoints: [join(scratch, "lambda.mjs")], bundle: true, platform: "node", format: "esm", write: false, metafile: true, logLevel: "silent" });
    const roots = new Set(Object.keys(bundle.metafile.inputs).flatMap((input) => /^(.*node_modules\/@aws-sdk\/client-ses)\//.exec(input)?.[1] ?? []));
    expect([...roots]).toHaveLength(1);
  }, SLOW);

  test("npm install @dsnkit/ses @aws-sdk/client-ses (and @dsnkit/core, which @dsnkit/ses needs) installs one copy of the SDK", async () => {
    const dir = join(work, "ses-only");
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "ses-only", version: "1.0.0", private: true }));
    const r = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball("@dsnkit/ses"), tarball("@dsnkit/core"), SDK], { cwd: dir, timeout: 600_000 });
    expectOk(r, "npm install @dsnkit/ses @aws-sdk/client-ses");
    const ls = await run("npm", ["ls", "@aws-sdk/client-ses", "--all", "--parseable"], { cwd: dir });
    expectOk(ls, "npm ls");
    expect(new Set(ls.stdout.trim().split("\n"))).toEqual(new Set([join(dir, "node_modules/@aws-sdk/client-ses")]));
  }, SLOW);

  test("an ES module uses every package: render, parse, check, a conformance run, a SendBounce round trip to ses-local", async () => {
    const r = await run(process.execPath, ["esm.mjs"], { cwd: scratch });
    expectOk(r, "node esm.mjs");
    expect(r.stdout).toContain("esm: ok");
    expect(r.stderr).toBe("");
  }, SLOW);

  test("a CommonJS script requires every package (no warning), and gets the same module an import does", async () => {
    const r = await run(process.execPath, ["cjs.cjs"], { cwd: scratch });
    expectOk(r, "node cjs.cjs");
    expect(r.stdout).toContain("cjs: ok");
    expect(r.stderr).toBe("");
  }, SLOW);

  test("tsc --strict type-checks TypeScript consumers: module nodenext (.mts and .cts), node16 (.cts), bundler", async () => {
    // Declarations are checked too (no skipLibCheck): an ES-only declaration under a .cts is TS1479.
    const kinds = ["nodenext", "node16", "bundler"];
    const runs = await Promise.all(kinds.map((kind) => run(process.execPath, [tsc, "-p", join("ts", kind, "tsconfig.json"), "--strict"], { cwd: scratch })));
    expect(runs.flatMap((r, i) => (r.code === 0 ? [] : [`tsc -p ts/${kinds[i]}: ${shown(r)}`]))).toEqual([]);
  }, SLOW);

  test("every ```ts runnable block of README.md and docs/*.md type-checks and runs", async () => {
    const snippets = docSnippets(root);
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    const dir = join(scratch, "snippets");
    mkdirSync(dir);
    for (const s of snippets) writeFileSync(join(dir, `${snippetName(s)}.mts`), `// ${s.file}, line ${s.line}\n${s.code}`);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", target: "es2022", types: ["node"], outDir: "out", rootDir: "." }, include: ["*.mts"] }),
    );
    expectOk(await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: scratch }), "tsc over the runnable blocks");
    const examples = join(scratch, "examples");
    cpSync(join(root, "docs/examples"), examples, { recursive: true });
    const failures: string[] = [];
    for (const s of snippets) {
      const r = await run(process.execPath, [join(dir, "out", `${snippetName(s)}.mjs`)], { cwd: examples, timeout: 120_000 });
      if (r.code !== 0) failures.push(`${s.file}:${s.line}\n${shown(r)}`);
    }
    expect(failures).toEqual([]);
  }, SLOW);

  test("npx dsnkit answers --help and renders a DSN", async () => {
    const help = await run("npx", ["--no-install", "dsnkit", "--help"], { cwd: scratch });
    expectOk(help, "npx dsnkit --help");
    expect(help.stdout).toMatch(/^Usage: dsnkit/);
    for (const command of ["render", "send-bounce", "ses-local", "parse", "check"]) expect(help.stdout).toContain(command);

    const examples = join(root, "docs/examples");
    const render = await run(
      "npx",
      ["--no-install", "dsnkit", "render", join(examples, "does-not-exist.json"), "--original", join(examples, "original.eml"), "--date", "2026-11-26T10:00:00Z", "--message-id", "<bounce@example.com>", "--boundary", "b1"],
      { cwd: scratch },
    );
    expectOk(render, "npx dsnkit render");
    expect(render.stdout).toContain('boundary="b1"');
    expect(parseDsn(render.stdout).deliveryStatus.recipients.map((r) => [r.finalRecipient.address, r.status])).toEqual([["nobody@example.com", "5.1.1"]]);
    expect(checkDsn(render.stdout).filter((f) => f.severity === "error")).toEqual([]);

    // Every command's work loads and runs as installed (each is a chunk of the bundled command).
    const eml = join(scratch, "bounce.eml");
    writeFileSync(eml, render.stdout);
    const parsed = await run("npx", ["--no-install", "dsnkit", "parse", eml], { cwd: scratch });
    expectOk(parsed, "npx dsnkit parse");
    expect(JSON.parse(parsed.stdout).deliveryStatus.recipients[0].status).toBe("5.1.1");
    expectOk(await run("npx", ["--no-install", "dsnkit", "check", eml], { cwd: scratch }), "npx dsnkit check");
    const dry = await run("npx", ["--no-install", "dsnkit", "send-bounce", "--cli-input-json", `file://${join(examples, "does-not-exist.json")}`, "--original-sender", "s@example.org", "--dry-run"], { cwd: scratch });
    expectOk(dry, "npx dsnkit send-bounce --dry-run");
    expect(dry.stdout).toMatch(/^Content-Type: multipart\/report;/m);
    const config = await run("npx", ["--no-install", "dsnkit", "probe", "--print-config", "postfix"], { cwd: scratch });
    expectOk(config, "npx dsnkit probe --print-config postfix");
    expect(config.stdout).toContain("transport_maps");
    // ses-local's work loads (SQLite, YAML, the emulator) before it reads its config file.
    const missing = await run("npx", ["--no-install", "dsnkit", "ses-local", "--config", join(scratch, "missing.yaml")], { cwd: scratch });
    expect([missing.code, missing.stderr.trim()]).toEqual([2, `dsnkit: --config ${join(scratch, "missing.yaml")}: cannot read the config file: no such file`]);
  }, SLOW);

  test("an esbuild bundle of @dsnkit/core for the browser renders, parses and checks a DSN in headless Chromium", async () => {
    const bundle = await build({ entryPoints: [join(scratch, "browser/entry.mjs")], bundle: true, platform: "browser", format: "iife", write: false, metafile: true, logLevel: "silent" });
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((i) => i.includes("node_modules/@dsnkit/core/dist/"))).toBe(true);
    expect(inputs.filter((i) => i.includes("packages/"))).toEqual([]); // nothing from the workspace
    const browser = await startChromium();
    try {
      const page = await browser.context.newPage();
      await page.route("**/*", (route) => route.abort()); // no network: the page is about:blank and one script
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const result = (await page.evaluate("globalThis.dsnkitResult")) as Record<string, unknown>;
      expect(errors).toEqual([]);
      expect(result["userAgent"]).toMatch(/HeadlessChrome/);
      expect(result["envelope"]).toEqual({ mailFrom: "", rcptTo: ["sender@example.org"] });
      expect(result["recipients"]).toEqual([
        ["rfc822", "nobody@example.com", "failed", "5.1.1"],
        ["utf-8", "用户@例子.广告", "failed", "5.2.2"],
      ]);
      expect(result["tolerances"]).toBe(0);
      expect((result["findings"] as string[]).filter((f) => f.startsWith("error"))).toEqual([]);
      expect(result["broken"]).toEqual(expect.arrayContaining([expect.stringMatching(/^error rfc3464\.status-syntax \d+$/), expect.stringMatching(/^error rfc5322\.bare-lf 1$/)]));
    } finally {
      await browser.close();
    }
  }, SLOW);
});

describe("the runnable marker", () => {
  test("is opt-in: only ```ts runnable blocks (any fence, indented or not) are taken, with the line they start on", () => {
    const md = ["```ts", "notRun();", "```", "", "  ~~~~typescript runnable", "  const a = 1;", "  ~~~~", "```sh runnable", "echo no", "```", "```ts runnable", "```"].join("\n");
    expect(runnableBlocks(md, "x.md")).toEqual([
      { file: "x.md", line: 6, code: "const a = 1;\n" },
      { file: "x.md", line: 12, code: "\n" },
    ]);
  });
});
