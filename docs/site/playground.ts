/**
 * The docs site's playground: @dsnkit/core in the browser, no server. Two panels:
 *
 * - an SES SendBounce request (JSON) → validateBounceRequest, then renderBounce: the DSN, or every
 *   issue with its JSON path;
 * - any DSN → parseDsn's model and tolerances, checkDsn's findings, and the DSN line by line with
 *   the lines of the findings and tolerances highlighted.
 *
 * scripts/build-docs.mjs bundles this file with esbuild into the site's assets/playground.js;
 * docs/site/custom.js loads it on the page that holds #dsnkit-playground. test/docs/site.test.ts
 * drives it in headless Chromium.
 */
import { DsnParseError, DsnValidationError, checkDsn, formatPath, parseDsn, renderBounce, validateBounceRequest } from "@dsnkit/core";
import type { Finding, Issue, ParsedDsn, Tolerance } from "@dsnkit/core";
import exampleRequest from "../examples/does-not-exist.json";
import exampleDsn from "../examples/bounce.eml";

const STYLE = `
#dsnkit-playground { display: grid; gap: 1.5rem; }
#dsnkit-playground section { border: 1px solid var(--color-accent); border-radius: 0.5rem; padding: 0 1rem 1rem; }
#dsnkit-playground textarea { width: 100%; box-sizing: border-box; font-family: var(--font-family-code, monospace); font-size: 0.85rem;
  background: var(--color-background-secondary); color: var(--color-text); border: 1px solid var(--color-accent); border-radius: 0.25rem; padding: 0.5rem; }
#dsnkit-playground input { font: inherit; background: var(--color-background-secondary); color: var(--color-text); border: 1px solid var(--color-accent); border-radius: 0.25rem; padding: 0.2rem 0.4rem; min-width: 16rem; }
#dsnkit-playground button { font: inherit; cursor: pointer; margin: 0.25rem 0.5rem 0.25rem 0; padding: 0.2rem 0.6rem; border-radius: 0.25rem;
  border: 1px solid var(--color-accent); background: var(--color-background-secondary); color: var(--color-text); }
#dsnkit-playground .pg-row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin: 0.5rem 0; }
#dsnkit-playground .pg-status { font-weight: 600; margin: 0.5rem 0; }
#dsnkit-playground .pg-status[data-state="ok"] { color: #2e8b57; }
#dsnkit-playground .pg-status[data-state="invalid"], #dsnkit-playground .pg-status[data-state="error"] { color: #d0384b; }
#dsnkit-playground ul { padding-left: 1.2rem; }
#dsnkit-playground li code { white-space: pre-wrap; }
#dsnkit-playground pre { max-height: 28rem; overflow: auto; }
#dsnkit-playground .pg-lines { font-family: var(--font-family-code, monospace); font-size: 0.8rem; max-height: 28rem; overflow: auto;
  margin: 0; padding: 0.5rem 0; list-style: none; background: var(--color-background-secondary); border-radius: 0.25rem; counter-reset: none; }
#dsnkit-playground .pg-lines li { white-space: pre; padding: 0 0.5rem; }
#dsnkit-playground .pg-lines li::before { content: attr(data-line); display: inline-block; width: 3.5em; margin-right: 0.75em; text-align: right; opacity: 0.55; }
#dsnkit-playground .pg-lines li.pg-error { background: rgba(208, 56, 75, 0.22); }
#dsnkit-playground .pg-lines li.pg-warning { background: rgba(230, 160, 0, 0.22); }
#dsnkit-playground .pg-lines li.pg-tolerance { box-shadow: inset 4px 0 0 #3b82f6; }
#dsnkit-playground .pg-sev-error { color: #d0384b; font-weight: 600; }
#dsnkit-playground .pg-sev-warning { color: #b07800; font-weight: 600; }
`;

const HTML = `
<section id="pg-request-panel" aria-labelledby="pg-request-title">
  <h2 id="pg-request-title">SendBounce request → DSN</h2>
  <p>The request exactly as SES takes it (and <code>aws ses send-bounce --cli-input-json</code>). It is checked with
  <code>validateBounceRequest</code> and rendered with <code>renderBounce</code>.</p>
  <div class="pg-row">
    <button type="button" id="pg-example-request">Example request</button>
    <label>Original sender (the bounce goes there) <input id="pg-sender" value="sender@example.org" spellcheck="false"></label>
  </div>
  <textarea id="pg-request" rows="14" spellcheck="false" aria-label="SendBounce request (JSON)" placeholder="Paste a SendBounce request (JSON)"></textarea>
  <div id="pg-request-status" class="pg-status" role="status"></div>
  <ul id="pg-request-issues"></ul>
  <div id="pg-request-output" hidden>
    <div class="pg-row"><button type="button" id="pg-read-rendered">Read this DSN in the panel below</button></div>
    <pre><code id="pg-request-dsn"></code></pre>
  </div>
</section>
<section id="pg-dsn-panel" aria-labelledby="pg-dsn-title">
  <h2 id="pg-dsn-title">DSN → model, tolerances and findings</h2>
  <p>Any Delivery Status Notification: Postfix, Exim, Gmail, Exchange, SES, yours. <code>parseDsn</code> reads it,
  <code>checkDsn</code> lists the RFC rules it breaks.</p>
  <div class="pg-row"><button type="button" id="pg-example-dsn">Example: a real Postfix bounce</button></div>
  <textarea id="pg-dsn" rows="14" spellcheck="false" aria-label="DSN (the raw message)" placeholder="Paste a DSN (the whole message, headers first)"></textarea>
  <div id="pg-dsn-status" class="pg-status" role="status"></div>
  <div id="pg-dsn-output" hidden>
    <h3>Findings of <code>checkDsn</code></h3>
    <ul id="pg-findings"></ul>
    <h3>Tolerances of <code>parseDsn</code></h3>
    <ul id="pg-tolerances"></ul>
    <h3>The DSN, line by line</h3>
    <ol id="pg-lines" class="pg-lines"></ol>
    <h3>The model <code>parseDsn</code> returns</h3>
    <pre><code id="pg-model"></code></pre>
  </div>
</section>
`;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`playground: #${id} is missing`);
  return element as T;
}

/** A list item with plain text parts; a part in an array is set in <code>. */
function item(...parts: (string | [string] | HTMLElement)[]): HTMLLIElement {
  const li = document.createElement("li");
  for (const part of parts) {
    if (typeof part === "string") li.append(part);
    else if (Array.isArray(part)) {
      const code = document.createElement("code");
      code.textContent = part[0];
      li.append(code);
    } else li.append(part);
  }
  return li;
}

function setStatus(element: HTMLElement, state: "ok" | "invalid" | "error" | "", text: string): void {
  element.dataset["state"] = state;
  element.textContent = text;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

// ---- request → DSN -------------------------------------------------------------------------

function showIssues(issues: readonly Issue[]): void {
  setStatus(byId("pg-request-status"), "invalid", `Invalid: ${plural(issues.length, "issue")}`);
  byId("pg-request-issues").replaceChildren(
    ...issues.map((i) => {
      const li = item([formatPath(i.path)], ": ", i.message, " ", [`[${i.code}]`]);
      li.dataset["path"] = formatPath(i.path);
      li.dataset["code"] = i.code;
      return li;
    }),
  );
}

function updateRequest(): void {
  const status = byId("pg-request-status");
  const output = byId("pg-request-output");
  byId("pg-request-issues").replaceChildren();
  output.hidden = true;
  const text = byId<HTMLTextAreaElement>("pg-request").value;
  if (text.trim() === "") {
    setStatus(status, "", "");
    return;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    setStatus(status, "error", `Not JSON: ${(e as Error).message}`);
    return;
  }
  const result = validateBounceRequest(input);
  if (!result.ok) {
    showIssues(result.issues);
    return;
  }
  try {
    const { raw, envelope } = renderBounce(result.value, { originalSender: byId<HTMLInputElement>("pg-sender").value.trim() });
    const lines = raw.split("\r\n").length - 1;
    setStatus(status, "ok", `Valid: the DSN has ${plural(lines, "line")} (CRLF), MAIL FROM:<${envelope.mailFrom}> RCPT TO:<${envelope.rcptTo.join(">, <")}>`);
    byId("pg-request-dsn").textContent = raw;
    output.hidden = false;
  } catch (e) {
    if (e instanceof DsnValidationError) showIssues(e.issues);
    else setStatus(status, "error", `renderBounce failed: ${(e as Error).message}`);
  }
}

// ---- DSN → model, tolerances, findings ---------------------------------------------------------

/** The model for display: Dates as ISO strings, the returned original without its body. */
function modelJson(dsn: ParsedDsn): string {
  const { headers, message, deliveryStatus, original, explanation } = dsn;
  const shown = {
    message,
    deliveryStatus,
    explanation,
    original: original === undefined ? undefined : { type: original.type, line: original.line, headers: original.headers.length },
    headers: headers.length,
  };
  return JSON.stringify(shown, null, 2); // Dates as ISO strings (Date.prototype.toJSON)
}

function lineLink(line: number): HTMLElement | string {
  if (line <= 0) return "";
  const a = document.createElement("a");
  a.href = `#pg-line-${line}`;
  a.textContent = `line ${line}`;
  a.addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById(`pg-line-${line}`)?.scrollIntoView({ block: "center" });
  });
  return a;
}

function showLines(raw: string, findings: readonly Finding[], tolerances: readonly Tolerance[]): void {
  const marks = new Map<number, { severity?: "error" | "warning"; notes: string[]; tolerated: boolean }>();
  const mark = (line: number) => {
    let m = marks.get(line);
    if (m === undefined) marks.set(line, (m = { notes: [], tolerated: false }));
    return m;
  };
  for (const f of findings) {
    const m = mark(f.line);
    if (f.severity === "error" || m.severity === undefined) m.severity = f.severity;
    m.notes.push(`${f.severity} ${f.rule}: ${f.message}`);
  }
  for (const t of tolerances) {
    const m = mark(t.line);
    m.tolerated = true;
    m.notes.push(`tolerated ${t.code}: ${t.message}`);
  }
  const lines = raw.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  byId("pg-lines").replaceChildren(
    ...lines.map((text, i) => {
      const li = document.createElement("li");
      const n = i + 1;
      li.id = `pg-line-${n}`;
      li.dataset["line"] = String(n);
      li.textContent = text;
      const m = marks.get(n);
      if (m !== undefined) {
        if (m.severity !== undefined) li.classList.add(`pg-${m.severity}`);
        if (m.tolerated) li.classList.add("pg-tolerance");
        li.title = m.notes.join("\n");
      }
      return li;
    }),
  );
}

function updateDsn(): void {
  const status = byId("pg-dsn-status");
  const output = byId("pg-dsn-output");
  const raw = byId<HTMLTextAreaElement>("pg-dsn").value;
  output.hidden = true;
  if (raw.trim() === "") {
    setStatus(status, "", "");
    return;
  }
  const findings = checkDsn(raw);
  const errors = findings.filter((f) => f.severity === "error").length;
  const checked = `checkDsn: ${plural(errors, "error")}, ${plural(findings.length - errors, "warning")}`;
  let parsed: ParsedDsn | undefined;
  let failure = "";
  try {
    parsed = parseDsn(raw);
  } catch (e) {
    if (!(e instanceof DsnParseError)) throw e;
    failure = `parseDsn cannot read it: ${e.message} [${e.code}]`;
  }
  byId("pg-findings").replaceChildren(
    ...(findings.length === 0
      ? [item("none: no RFC rule broken")]
      : findings.map((f) => {
          const severity = document.createElement("span");
          severity.className = `pg-sev-${f.severity}`;
          severity.textContent = f.severity;
          const li = item(severity, " ", [f.rule], " ", lineLink(f.line), ": ", f.message, ` (${f.rfc})`);
          li.dataset["rule"] = f.rule;
          li.dataset["line"] = String(f.line);
          return li;
        })),
  );
  const tolerances = parsed?.tolerances ?? [];
  byId("pg-tolerances").replaceChildren(
    ...(parsed === undefined
      ? [item(failure)]
      : tolerances.length === 0
        ? [item("none: nothing had to be tolerated")]
        : tolerances.map((t) => {
            const li = item([t.code], " ", lineLink(t.line), ": ", t.message, " ", [`(${t.rule})`]);
            li.dataset["code"] = t.code;
            li.dataset["line"] = String(t.line);
            return li;
          })),
  );
  showLines(raw, findings, tolerances);
  byId("pg-model").textContent = parsed === undefined ? failure : modelJson(parsed);
  if (parsed === undefined) setStatus(status, "error", `Not readable as a DSN: ${failure.replace(/^parseDsn cannot read it: /, "")}; ${checked}`);
  else {
    const recipients = parsed.deliveryStatus.recipients.length;
    setStatus(status, errors === 0 ? "ok" : "invalid", `Read: ${plural(recipients, "recipient")}, ${plural(tolerances.length, "tolerance")}; ${checked}`);
  }
  output.hidden = false;
}

// ---- wiring --------------------------------------------------------------------------------

function debounce(run: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
}

function start(mount: HTMLElement): void {
  const style = document.createElement("style");
  style.textContent = STYLE;
  document.head.append(style);
  mount.innerHTML = HTML;
  const request = byId<HTMLTextAreaElement>("pg-request");
  const dsn = byId<HTMLTextAreaElement>("pg-dsn");
  const onRequest = debounce(updateRequest, 120);
  const onDsn = debounce(updateDsn, 120);
  request.addEventListener("input", onRequest);
  byId("pg-sender").addEventListener("input", onRequest);
  dsn.addEventListener("input", onDsn);
  byId("pg-example-request").addEventListener("click", () => {
    request.value = JSON.stringify(exampleRequest, null, 2);
    updateRequest();
  });
  byId("pg-example-dsn").addEventListener("click", () => {
    dsn.value = exampleDsn;
    updateDsn();
  });
  byId("pg-read-rendered").addEventListener("click", () => {
    dsn.value = byId("pg-request-dsn").textContent ?? "";
    updateDsn();
    dsn.scrollIntoView({ block: "start" });
  });
  mount.dataset["ready"] = "true";
}

const mount = document.getElementById("dsnkit-playground");
if (mount !== null) start(mount);
