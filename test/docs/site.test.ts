/**
 * The docs site (`npm run docs`, scripts/build-docs.mjs): built into a temporary directory, served
 * as static files on 127.0.0.1, and read in headless Chromium. Its modules are named by package,
 * every guide (docs/*.md) is a page that the navigation links, Getting started begins with
 * `npm install`, and the playground runs @dsnkit/core in the page: a valid SendBounce request, an
 * invalid one, a real Postfix DSN and a broken DSN, each read back from the page and compared with
 * what @dsnkit/core says in this process. A screenshot of the playground is kept in
 * test-output/playground.png.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkDsn, formatPath, parseDsn, validateBounceRequest } from "@dsnkit/core";
import { startChromium } from "../support/chromium.js";
import type { Browser } from "../support/chromium.js";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const GUIDES = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => f.replace(/\.md$/, ""));
const POSTFIX = readFileSync(join(root, "packages/core/test/fixtures/postfix/postfix-remote-multi.eml"), "utf8");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

let dir = "";
let site = "";
let server: Server | undefined;
let origin = "";
let browser: Browser | undefined;
const requested: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dsnkit-site-"));
  site = join(dir, "site");
  await run(process.execPath, [join(root, "scripts/build-docs.mjs"), "--out", site], { cwd: root, maxBuffer: 16 << 20 });
  server = createServer((req, res) => {
    const path = normalize(join(site, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
    let file = path.startsWith(site) ? path : "";
    try {
      if (file !== "" && statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server!.listen(0, "127.0.0.1", listening));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  browser = await startChromium({ width: 1280, height: 1600 });
  // The site is static: every request goes to this server for a file of the site, or nowhere.
  await browser.context.route("**/*", (route) => {
    const url = route.request().url();
    requested.push(url);
    return url.startsWith(`${origin}/`) ? route.continue() : route.abort();
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
  const page = await browser!.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${origin}/${path}`);
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}
const errorsOf = (page: Page) => (page as Page & { errors: string[] }).errors;

describe("the docs site", () => {
  test("the playground's source type-checks (strict, DOM)", async () => {
    await run(process.execPath, [createRequire(join(root, "package.json")).resolve("typescript/bin/tsc"), "-p", join(root, "docs/site/tsconfig.json")], { cwd: root });
  }, 300_000);

  test("names its modules by package and links every guide, the playground and the package modules from its navigation", async () => {
    const page = await open("index.html");
    await page.waitForSelector("nav.tsd-navigation a[href*='documents/']");
    const links = await page.$$eval("nav.tsd-navigation a", (as) => as.map((a) => new URL(a.getAttribute("href") ?? "", a.baseURI).href));
    const local = links.map((l) => l.replace(`${origin}/`, ""));
    for (const guide of GUIDES) expect(local, `docs/${guide}.md`).toContain(`documents/${guide}.html`);
    expect(local).toContain("documents/site_playground.html");
    for (const module of ["_dsnkit_core", "_dsnkit_testing", "_dsnkit_ses", "_dsnkit_ses-local", "dsnkit"]) expect(local).toContain(`modules/${module}.html`);
    const text = await page.$eval("nav.tsd-navigation", (n) => n.textContent ?? "");
    expect(text).not.toMatch(/src\b|\.md\b/);
    expect(text).toMatch(/^dsnkit\s*Getting started\s*Playground/);
    for (const [file, name] of [["_dsnkit_core", "@dsnkit/core"], ["_dsnkit_ses-local", "@dsnkit/ses-local"], ["dsnkit", "dsnkit"]]) {
      expect(readFileSync(join(site, "modules", `${file}.html`), "utf8")).toContain(`<h1>Module ${name}</h1>`);
    }
    // The README (the landing page) and the guides link guides as pages, never as raw .md files.
    for (const html of ["index.html", ...GUIDES.map((g) => `documents/${g}.html`)]) {
      const hrefs = [...readFileSync(join(site, html), "utf8").matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      for (const guide of GUIDES) expect(hrefs.filter((h) => h.endsWith(`/${guide}.md`) || h === `${guide}.md`), `${html} → ${guide}.md`).toEqual([]);
    }
    expect(errorsOf(page)).toEqual([]);
  });

  test("Getting started begins with npm install", async () => {
    const page = await open("documents/getting-started.html");
    const first = await page.$eval(".col-content pre code", (code) => code.textContent ?? "");
    expect(first.trim()).toBe("npm install @dsnkit/core");
    expect(await page.$eval(".col-content h1", (h) => h.textContent)).toBe("Getting started");
  });
});

describe("the playground, in headless Chromium", () => {
  let page: Page;
  beforeAll(async () => {
    page = await open("documents/site_playground.html");
    await page.waitForSelector("#dsnkit-playground[data-ready='true']", { timeout: 30_000 });
  });

  /** Types text into a textarea and waits for the panel to show a new result. */
  async function enter(textarea: string, status: string, text: string): Promise<{ state: string; text: string }> {
    await page.fill(textarea, "");
    await page.waitForFunction(`document.querySelector(${JSON.stringify(status)}).textContent === ""`);
    await page.fill(textarea, text);
    await page.waitForFunction(`document.querySelector(${JSON.stringify(status)}).textContent !== ""`);
    return page.$eval(status, (e) => ({ state: e.getAttribute("data-state") ?? "", text: e.textContent ?? "" }));
  }

  test("a valid SendBounce request: the DSN, which @dsnkit/core reads back and finds no error in", async () => {
    const request = {
      OriginalMessageId: "0100019abc-1111-2222-3333-444455556666-000000",
      BounceSender: "Mail Delivery System <mailer-daemon@example.com>",
      BouncedRecipientInfoList: [
        { Recipient: "nobody@example.com", BounceType: "DoesNotExist" },
        { Recipient: "full@example.com", RecipientDsnFields: { Action: "failed", Status: "5.2.2", RemoteMta: "mx.example.com" } },
      ],
    };
    const status = await enter("#pg-request", "#pg-request-status", JSON.stringify(request, null, 2));
    expect(status.state, status.text).toBe("ok");
    expect(status.text).toMatch(/^Valid: the DSN has \d+ lines \(CRLF\), MAIL FROM:<> RCPT TO:<sender@example\.org>$/);
    const dsn = await page.$eval("#pg-request-dsn", (e) => e.textContent ?? "");
    expect(dsn).toContain("Content-Type: multipart/report; report-type=delivery-status;");
    expect(parseDsn(dsn).deliveryStatus.recipients.map((r) => [r.finalRecipient.address, r.status])).toEqual([
      ["nobody@example.com", "5.1.1"],
      ["full@example.com", "5.2.2"],
    ]);
    expect(checkDsn(dsn).filter((f) => f.severity === "error")).toEqual([]);
  });

  test("an invalid request: every issue with its JSON path, as validateBounceRequest gives them", async () => {
    const request = {
      OriginalMessageId: "0100019abc",
      BounceSender: "not an address",
      BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", RecipientDsnFields: { Action: "delayed", Status: "5.01.1" } }, "x"],
      Explaination: "typo",
    };
    const status = await enter("#pg-request", "#pg-request-status", JSON.stringify(request));
    expect(status.state).toBe("invalid");
    const shown = await page.$$eval("#pg-request-issues li", (lis) => lis.map((li) => [li.getAttribute("data-path"), li.getAttribute("data-code")]));
    const result = validateBounceRequest(request);
    if (result.ok) throw new Error("the request is valid");
    expect(shown).toEqual(result.issues.map((i) => [formatPath(i.path), i.code]));
    expect(shown).toEqual(expect.arrayContaining([["BouncedRecipientInfoList[0].RecipientDsnFields.Status", "invalid_status"], ["BounceSender", "invalid_mailbox"]]));
    expect(status.text).toBe(`Invalid: ${result.issues.length} issues`);
    expect(await page.isHidden("#pg-request-output")).toBe(true);
  });

  test("a real Postfix DSN: parseDsn's model and tolerances, checkDsn's findings, their lines highlighted", async () => {
    const status = await enter("#pg-dsn", "#pg-dsn-status", POSTFIX);
    const parsed = parseDsn(POSTFIX);
    const findings = checkDsn(POSTFIX);
    expect(status.state).toBe("ok");
    expect(status.text).toBe(
      `Read: ${parsed.deliveryStatus.recipients.length} recipients, ${parsed.tolerances.length} tolerance${parsed.tolerances.length === 1 ? "" : "s"}; checkDsn: 0 errors, ${findings.length} warning${findings.length === 1 ? "" : "s"}`,
    );
    const model = JSON.parse(await page.$eval("#pg-model", (e) => e.textContent ?? "")) as Record<string, unknown>;
    expect(model["deliveryStatus"]).toEqual(JSON.parse(JSON.stringify(parsed.deliveryStatus)));
    expect(model["message"]).toEqual(JSON.parse(JSON.stringify(parsed.message)));
    const shownFindings = await page.$$eval("#pg-findings li", (lis) => lis.map((li) => [li.getAttribute("data-rule"), Number(li.getAttribute("data-line"))]));
    expect(shownFindings).toEqual(findings.map((f) => [f.rule, f.line]));
    const shownTolerances = await page.$$eval("#pg-tolerances li", (lis) => lis.map((li) => [li.getAttribute("data-code"), Number(li.getAttribute("data-line"))]));
    expect(shownTolerances).toEqual(parsed.tolerances.length === 0 ? [[null, 0]] : parsed.tolerances.map((t) => [t.code, t.line]));
    for (const f of findings) expect(await page.getAttribute(`#pg-line-${f.line}`, "class"), `line ${f.line}`).toContain(`pg-${f.severity}`);
    expect(await page.$$eval("#pg-lines li", (lis) => lis.length)).toBe(POSTFIX.replace(/\n$/, "").split("\n").length);
  });

  test("a broken DSN: the errors at their lines, highlighted; text that is no DSN is said so", async () => {
    const broken = POSTFIX.replace("Status: 5.1.1", "Status: 5.01.1").replace("Action: failed", "Action: bounced").replace(/^Reporting-MTA: .*\n/m, "");
    const status = await enter("#pg-dsn", "#pg-dsn-status", broken);
    const findings = checkDsn(broken);
    const errors = findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => f.rule)).toEqual(expect.arrayContaining(["rfc3464.status-syntax", "rfc3464.action-value", "rfc3464.required-field"]));
    expect(status.state).toBe("invalid");
    expect(status.text).toMatch(new RegExp(`checkDsn: ${errors.length} errors, `));
    for (const f of errors) expect(await page.getAttribute(`#pg-line-${f.line}`, "class"), `line ${f.line}: ${f.rule}`).toContain("pg-error");
    const statusLine = broken.split("\n").indexOf("Status: 5.01.1") + 1;
    expect(await page.getAttribute(`#pg-line-${statusLine}`, "title")).toMatch(/rfc3464\.status-syntax/);
    // Screenshot of the playground as a person sees it, with the broken DSN's findings: CI keeps it.
    mkdirSync(join(root, "test-output"), { recursive: true });
    await page.click("#pg-example-request");
    await page.screenshot({ path: join(root, "test-output/playground.png"), fullPage: true });

    const none = await enter("#pg-dsn", "#pg-dsn-status", "Subject: hello\r\n\r\nnot a bounce\r\n");
    expect(none.state).toBe("error");
    expect(none.text).toMatch(/^Not readable as a DSN: line \d+: .*\[not_a_dsn\]; checkDsn: [1-9]\d* errors?/);
  });

  test("ran with no error on the page and asked nothing of any server but the site's files", () => {
    expect(errorsOf(page)).toEqual([]);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
    expect(requested.filter((u) => u.includes("playground.js"))).not.toEqual([]);
  });
});
