/**
 * startSesLocal's start-up failures: each names the setting at fault (`host` for a host that
 * cannot be listened on, the port for a port in use), leaves nothing running, and is not also
 * logged as a runtime error.
 */
import { connect, createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { startSesLocal } from "@dsnkit/ses-local";
import { tempDir } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function scratch(): Promise<string> {
  const t = await tempDir();
  cleanups.push(t.remove);
  return t.dir;
}

/** A port in use on 127.0.0.1, freed after the test. */
async function occupied(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

async function failure(options: Parameters<typeof startSesLocal>[0]): Promise<{ error: Error & { setting?: string; code?: string }; lines: string[] }> {
  const lines: string[] = [];
  const line = (l: string) => void lines.push(l);
  const started = startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: await scratch(), log: line, warn: line, ...options });
  const error = await started.then(
    async (ses) => {
      await ses.close();
      throw new Error("startSesLocal should have failed");
    },
    (e: unknown) => e as Error & { setting?: string; code?: string },
  );
  return { error, lines };
}

describe("start-up failures", () => {
  test("a host that is not an address of this machine is the host's fault (EADDRNOTAVAIL), not the port's", async () => {
    const { error, lines } = await failure({ host: "192.0.2.1" });
    expect([error.setting, error.code, error.message]).toEqual(["host", "EADDRNOTAVAIL", "host: cannot listen on 192.0.2.1: it is not an address of this machine (EADDRNOTAVAIL)"]);
    expect(lines).toEqual([]);
  });

  test("a host name that does not resolve is the host's fault (ENOTFOUND, or EAI_AGAIN without DNS)", async () => {
    const { error, lines } = await failure({ host: "no-such-host.invalid" });
    expect(error.setting).toBe("host");
    expect(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"]).toContain(error.code);
    expect(error.message).toMatch(/^host: cannot listen on no-such-host\.invalid: /);
    expect(lines).toEqual([]);
  });

  test("an SMTP port in use is the port's fault, reported once: no log line besides the error", async () => {
    const port = await occupied();
    const { error, lines } = await failure({ smtpPort: port });
    expect([error.setting, error.code, error.message]).toEqual(["smtpPort", "EADDRINUSE", `smtpPort: cannot listen on 127.0.0.1:${port}: the address is in use`]);
    expect(lines).toEqual([]);
    const http = await failure({ httpPort: port });
    expect([http.error.setting, http.error.code]).toEqual(["httpPort", "EADDRINUSE"]);
    expect(http.lines).toEqual([]);
  });

  test("once listening, SMTP errors are still logged (a client resetting the connection mid-transaction)", async () => {
    const lines: string[] = [];
    const ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: await scratch(), warn: (l) => void lines.push(l) });
    try {
      const socket = connect(ses.smtpPort, "127.0.0.1");
      let seen = "";
      const waitFor = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (seen.includes(text)) {
              socket.off("data", onData);
              resolve();
            }
          };
          const onData = (chunk: Buffer) => {
            seen += chunk.toString("latin1");
            check();
          };
          socket.on("data", onData);
          socket.once("error", reject);
          check();
        });
      await waitFor("220 ");
      socket.write("EHLO client.example.org\r\n");
      await waitFor("250 ");
      seen = "";
      socket.write("MAIL FROM:<alice@example.org>\r\n");
      await waitFor("250 ");
      socket.resetAndDestroy();
      await expect.poll(() => lines, { timeout: 5_000 }).toEqual([expect.stringMatching(/^smtp: .*ECONNRESET/)]);
    } finally {
      await ses.close();
    }
  });
});
