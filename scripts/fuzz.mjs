#!/usr/bin/env node
// Runs the fuzz targets of test/fuzz for longer than CI does: `npm run fuzz -- --minutes N`
// (default 5), shared among the targets. `--target TEXT` runs only the targets whose name holds
// TEXT; `--seed N` replays a run (a failure prints its seed and the shrunk input).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const usage = "usage: npm run fuzz -- [--minutes N] [--target TEXT] [--seed N]";
const args = process.argv.slice(2);
const env = { ...process.env, DSNKIT_FUZZ_MINUTES: "5" };
const vitestArgs = ["run", "test/fuzz"];
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  const value = args[i + 1];
  if (flag === "--help" || flag === "-h") {
    console.log(usage);
    process.exit(0);
  }
  if (value === undefined) {
    console.error(`fuzz: ${flag} needs a value\n${usage}`);
    process.exit(2);
  }
  i++;
  if (flag === "--minutes" && /^\d+(\.\d+)?$/.test(value) && Number(value) > 0) env.DSNKIT_FUZZ_MINUTES = value;
  else if (flag === "--seed" && /^-?\d+$/.test(value)) env.DSNKIT_FUZZ_SEED = value;
  else if (flag === "--target") env.DSNKIT_FUZZ_TARGET = value;
  else {
    console.error(`fuzz: ${flag} ${value}: not understood\n${usage}`);
    process.exit(2);
  }
}
const child = spawn(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), ...vitestArgs], { cwd: root, env, stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
