// Preloaded by bench/lib/startup.mjs into each process it times: writes the process's CPU time
// (process.cpuUsage(), microseconds) to file descriptor 3 as it exits.
"use strict";
const { writeSync } = require("node:fs");
process.on("exit", () => {
  try {
    writeSync(3, JSON.stringify(process.cpuUsage()));
  } catch {
    // fd 3 is not open: not run by the bench
  }
});
