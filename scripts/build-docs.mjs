#!/usr/bin/env node
// Builds the docs site (`npm run docs`): typedoc's API reference with the guides (docs/*.md) as
// pages (typedoc.json), and the playground, @dsnkit/core bundled for the browser by esbuild into
// the site's assets/playground.js (docs/site/custom.js loads it on the playground page).
//
//   node scripts/build-docs.mjs [--out DIR] [typedoc options...]   (default DIR: docs/api)
//
// The site is static files: open DIR/index.html, from disk or any static host.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const at = args.indexOf("--out");
const out = resolve(at >= 0 && args[at + 1] !== undefined ? args[at + 1] : join(root, "docs/api"));
const typedoc = join(createRequire(join(root, "package.json")).resolve("typedoc/package.json"), "../bin/typedoc");

execFileSync(process.execPath, [typedoc, ...(at >= 0 ? args : [...args, "--out", out])], { stdio: "inherit", cwd: root });

await build({
  entryPoints: [join(root, "docs/site/playground.ts")],
  outfile: join(out, "assets/playground.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  // The workspace packages from their TypeScript sources (as the tests import them).
  conditions: ["dsnkit-source"],
  loader: { ".eml": "text" },
  tsconfig: join(root, "docs/site/tsconfig.json"),
  logLevel: "warning",
});
console.log(`docs: the site is in ${out} (open index.html); the playground is documents/site_playground.html`);
