#!/usr/bin/env node
// The `dsnkit` command as npm links it. It lives in git, not in dist/, so that `npm ci` in a
// fresh clone links it before the TypeScript build exists; it runs the build's entry point.
try {
  await import("../dist/bin.js");
} catch (e) {
  if (e?.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/bin.js")) {
    process.stderr.write("dsnkit: the command is not built yet: run `npm run build` (or `npx tsc -b`) in the repository first\n");
    process.exitCode = 1;
  } else throw e;
}
