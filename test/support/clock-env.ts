/**
 * The variables that carry a faked clock into child processes. The suite also runs under
 * `faketime -f +400d` (scripts/test.sh), which works by `LD_PRELOAD`ing libfaketime with its
 * settings in `FAKETIME*` variables. A test that gives a child a clean environment keeps these, so
 * the child lives at the same time as the test (a SigV4 signature from "now" must match the
 * emulator's "now").
 */
export function clockEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && (key === "LD_PRELOAD" || key.startsWith("FAKETIME") || key === "DONT_FAKE_MONOTONIC")) out[key] = value;
  return out;
}
