/**
 * The code blocks of README.md and docs/*.md that are marked runnable: fenced with ```ts runnable
 * (or ~~~, or `typescript`). A runnable block is a complete ES module that type-checks under
 * strict tsc and runs with node, in a directory holding the files of docs/examples/. The marker is
 * opt-in: other blocks (fragments, signatures, blocks that need AWS) are left alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One runnable block: the file it is in (relative to the root), its first line, its code. */
export interface Snippet {
  file: string;
  line: number;
  code: string;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)(.*)$/;

/** The runnable blocks of one markdown text, in order; `file` names it in the results. */
export function runnableBlocks(markdown: string, file: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (open === null) continue;
    const [, indent, fence, lang, rest] = open as unknown as [string, string, string, string, string];
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    const runnable = (lang === "ts" || lang === "typescript") && rest.trim().split(/\s+/).includes("runnable");
    if (runnable) {
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
      out.push({ file, line: i + 2, code: body.join("\n") + "\n" });
    }
    i = end;
  }
  return out;
}

/** The runnable blocks of README.md and every docs/*.md under root. */
export function docSnippets(root: string): Snippet[] {
  const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
  return files.flatMap((f) => runnableBlocks(readFileSync(join(root, f), "utf8"), f));
}

/** A file name for a snippet: docs/ses.md line 51 → docs-ses-md-L51. */
export function snippetName(s: Snippet): string {
  return `${s.file.replace(/[^A-Za-z0-9]+/g, "-")}-L${s.line}`;
}
