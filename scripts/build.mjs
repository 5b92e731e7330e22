#!/usr/bin/env node
// Builds the packages: the TypeScript build (`tsc -b`), then each package's CommonJS entry.
//
//   node scripts/build.mjs               every package (npm run build)
//   node scripts/build.mjs packages/ses  one package and what it references (its prepack script)
//
// The packages are ES modules. CommonJS callers get, per package:
//   - dist/<entry>.cjs: `module.exports = require("./<entry>.js")`, Node's require() of an ES
//     module (Node 20.19 and later, the packages' engines floor). The module graph is loaded once,
//     whether a program imports or requires it, so classes such as DsnValidationError are the same
//     objects on both sides (a second, compiled CommonJS copy would break `instanceof`).
//   - dist/**/*.d.cts: the declarations again, as CommonJS declarations (relative specifiers
//     `./x.js` become `./x.cjs`), so that a CommonJS TypeScript project (module node16 or
//     nodenext, a .cts file) type-checks `require("@dsnkit/core")` without TS1479.
//
// The command (packages/cli) is then bundled: see bundleCommand.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";

const root = resolve(import.meta.dirname, "..");
const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");

/** The package directories of the workspace, from the root package.json. */
function workspacePackages() {
  const { workspaces } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return workspaces.map((w) => join(root, w));
}

/** Every file under dir, recursively. */
function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

// A relative module specifier ending in .js, in `from "..."`, `import("...")` or
// `export * from "..."`. Declarations emitted by tsc with NodeNext always carry the extension.
const RELATIVE_JS = /(\bfrom\s+|\bimport\s*\(\s*)(["'])(\.{1,2}\/[^"'\n]*?)\.js\2/g;

/** Writes the CommonJS entries (one per export with a `require` condition) and declarations of the package in dir. */
function buildCommonJs(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const entries = Object.entries(pkg.exports ?? {}).filter(([, e]) => typeof e === "object" && e.require !== undefined);
  if (entries.length === 0) return;
  const dist = join(dir, "dist");
  for (const path of files(dist)) {
    if (!path.endsWith(".d.ts")) continue;
    const text = readFileSync(path, "utf8").replace(RELATIVE_JS, (_, lead, q, spec) => `${lead}${q}${spec}.cjs${q}`);
    writeFileSync(path.slice(0, -".d.ts".length) + ".d.cts", text);
  }
  for (const [subpath, { require, import: esmEntry }] of entries) {
    const entry = join(dir, require.default);
    const esm = "./" + relative(dirname(entry), join(dir, esmEntry.default));
    const name = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    writeFileSync(
      entry,
      `"use strict";\n// ${name} for require(): Node's require() of the ES module (Node 20.19 and later), one copy of it.\nmodule.exports = require(${JSON.stringify(esm)});\n`,
    );
    if (!existsSync(join(dir, require.types))) throw new Error(`${name}: ${require.types} was not built`);
  }
}

/**
 * commander requires node:child_process when it loads, for subcommands that are programs of their
 * own, which dsnkit has none of; loading it (with net, dgram and the stream modules it brings)
 * costs every dsnkit command some milliseconds. In the bundle commander gets a stand-in that
 * requires the real module the first time it is used.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${sep}node_modules${sep}commander${sep}`) ? { path: "lazy-child-process", namespace: "dsnkit" } : undefined,
    );
    build.onLoad({ filter: /^lazy-child-process$/, namespace: "dsnkit" }, () => ({
      contents: 'let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require("child_process"))[key] });\n',
      loader: "js",
    }));
  },
};

/**
 * Bundles the `dsnkit` command over its build: dist/bin.js becomes one file holding the program,
 * every command's definition, commander and what they share, and each command's work (run/*.js,
 * with the parts of @dsnkit/core it uses) becomes a chunk in dist/chunks/ that loads when the
 * command runs. Node's ES module loader spends about a millisecond on each file it loads, more than
 * the code in most of them takes: as tsc writes it, `dsnkit render` loads 64 files, bundled 7.
 * The packages a command loads for itself (the SES adapter, ses-local, the AWS SDK, YAML, the
 * progress bar) stay outside, so that they are one copy, shared with any other user.
 *
 * Only dist/bin.js, the command's entry, is replaced (main.js, what `import "dsnkit"` gives, stays as
 * tsc wrote it). So that a plain `tsc -b` afterwards writes every file again, the bundled bin.js
 * included, the package's tsbuildinfo is removed: the bundle never outlives the build it was made
 * from.
 */
async function bundleCommand(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pkg.name !== "dsnkit") return;
  const { build } = await import("esbuild");
  const dist = join(dir, "dist");
  rmSync(join(dist, "chunks"), { recursive: true, force: true });
  const outside = Object.keys(pkg.dependencies).filter((d) => d !== "@dsnkit/core" && d !== "commander");
  await build({
    entryPoints: [join(dist, "bin.js")],
    outdir: dist,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunks/[name]-[hash]",
    external: [...outside, ...outside.map((d) => `${d}/*`)],
    // commander is CommonJS: its require() of Node's modules needs a require in the ES module.
    banner: { js: 'import { createRequire as __dsnkitCreateRequire } from "node:module"; const require = __dsnkitCreateRequire(import.meta.url);' },
    plugins: [lazyChildProcess],
    // Less to read and parse at each start; names are kept, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    logLevel: "warning",
  });
  rmSync(join(dir, "tsconfig.tsbuildinfo"), { force: true });
}

const args = process.argv.slice(2);
const targets = args.length === 0 ? workspacePackages() : args.map((a) => resolve(a));
execFileSync(process.execPath, [tsc, "-b", ...(args.length === 0 ? [root] : targets)], { stdio: "inherit", cwd: root });
for (const dir of targets) buildCommonJs(dir);
for (const dir of targets) await bundleCommand(dir);
