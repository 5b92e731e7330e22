/**
 * Every exported function, class, interface, type and constant of every package has a doc comment
 * with an example: typedoc (configured by typedoc.json, with notDocumented validation as an error)
 * builds the API model, and this test walks it for @example tags.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";

interface Reflection {
  name: string;
  kind: number;
  comment?: { blockTags?: { tag: string }[] };
  signatures?: Reflection[];
  children?: Reflection[];
}

const KINDS: Record<number, string> = { 8: "enum", 32: "variable", 64: "function", 128: "class", 256: "interface", 2097152: "type" };
const root = resolve(import.meta.dirname, "../..");

test("typedoc builds the API without warnings, and every export has an @example", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dsnkit-api-"));
  try {
    const out = join(dir, "api.json");
    await promisify(execFile)(process.execPath, [join(root, "node_modules/typedoc/bin/typedoc"), "--json", out, "--out", join(dir, "html")], { cwd: root });
    const api = JSON.parse(readFileSync(out, "utf8")) as Reflection;
    const missing: string[] = [];
    let seen = 0;
    const walk = (r: Reflection, module: string) => {
      for (const c of r.children ?? []) {
        if (c.kind === 2) walk(c, c.name);
        if (KINDS[c.kind] === undefined) continue;
        seen++;
        const tags = [c, ...(c.signatures ?? [])].flatMap((s) => s.comment?.blockTags ?? []);
        if (!tags.some((t) => t.tag === "@example")) missing.push(`${module}: ${KINDS[c.kind]} ${c.name}`);
      }
    };
    walk(api, api.name);
    expect(seen).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
