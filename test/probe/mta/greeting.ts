/** Waiting for a freshly started MTA: until its SMTP port greets. */
import { connect } from "node:net";

/** True when something on 127.0.0.1:port sends a greeting within 2 s. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => (s.destroy(), resolve(false)), 2000);
    s.once("data", () => (clearTimeout(timer), s.destroy(), resolve(true)));
    s.once("error", () => (clearTimeout(timer), resolve(false)));
  });
}

/** Resolves once 127.0.0.1:port greets; false when `alive()` turns false or 15 s pass first. */
export async function waitForGreeting(port: number, alive: () => boolean = () => true): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    if (await greets(port)) return true;
    if (!alive()) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
