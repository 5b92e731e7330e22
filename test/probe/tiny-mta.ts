/**
 * A tiny relaying MTA for the probe's own tests: it takes mail over SMTP (offering DSN, SMTPUTF8,
 * 8BITMIME and SIZE), relays each message to the host its routing names for the recipients'
 * domain, and bounces what the remote server refuses with a DSN rendered by @dsnkit/core, sent
 * with MAIL FROM:<> to the envelope sender through the same routing.
 *
 * Done right it breaks no property of the probe; a `bug` makes it break one on purpose:
 * - `drop-envid`: no Original-Envelope-Id, whatever ENVID said;
 * - `status-5.0.0`: Status 5.0.0 for every failure, whatever the remote server said.
 *
 * `twoDsns` makes it send each bounce twice, once returning the original's headers and once
 * returning nothing, in that order or reversed: as a real MTA whose queue delivers two notices of
 * one message at once, in either order.
 */
import { renderDsn } from "@dsnkit/core";
import type { Bounce, PerRecipientFields } from "@dsnkit/core";
import { decodeXtext } from "../../packages/testing/src/probe/xtext.js";
import { SmtpClient, startSmtpServer } from "../../packages/testing/src/node/smtp.js";
import type { SmtpServer } from "../../packages/testing/src/node/smtp.js";

export type TinyBug = "drop-envid" | "status-5.0.0";

export interface TinyMta {
  port: number;
  /** domain → port on 127.0.0.1; set once the probe's servers listen. */
  routes: Map<string, number>;
  /** Messages still being relayed or bounced. */
  busy(): number;
  close(): Promise<void>;
}

interface Job {
  sender: string;
  ret?: string;
  envid?: string;
  smtputf8: boolean;
  rcpts: { address: string; notify?: string[]; orcpt?: { type: string; address: string } }[];
  raw: Uint8Array;
}

function param(params: string, name: string): string | undefined {
  for (const p of params.split(/\s+/)) {
    const eq = p.indexOf("=");
    const key = eq < 0 ? p : p.slice(0, eq);
    if (key.toUpperCase() === name) return eq < 0 ? "" : p.slice(eq + 1);
  }
  return undefined;
}

/** RFC 6533 utf-8-addr-xtext to text. */
function decodeUtf8Addr(s: string): string {
  return s.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
}

export async function startTinyMta(options: { bug?: TinyBug; twoDsns?: "in order" | "reversed" } = {}): Promise<TinyMta> {
  const routes = new Map<string, number>();
  let busy = 0;
  let bounces = 0;
  const pending = new Set<Promise<void>>();

  async function deliver(host: number, sender: string, rcpts: string[], raw: Uint8Array, utf8: boolean) {
    const c = await SmtpClient.connect("127.0.0.1", host, 10_000);
    try {
      await c.reply();
      await c.command("EHLO tiny.test");
      await c.command(`MAIL FROM:<${sender}>${utf8 ? " SMTPUTF8" : ""} BODY=8BITMIME`);
      const replies = [];
      for (const r of rcpts) replies.push(await c.command(`RCPT TO:<${r}>`));
      let data: { code: number; lines: string[] } | undefined;
      if (replies.some((r) => r.code < 300) && (await c.command("DATA")).code === 354) data = await c.message(Buffer.from(raw).toString("utf8"), []);
      return { replies, data };
    } finally {
      await c.close();
    }
  }

  const domainOf = (a: string) => a.slice(a.lastIndexOf("@") + 1).toLowerCase();

  async function relay(job: Job) {
    const port = routes.get(domainOf(job.rcpts[0]!.address));
    if (port === undefined) return;
    const { replies, data } = await deliver(port, job.sender, job.rcpts.map((r) => r.address), job.raw, job.smtputf8);
    const failed: PerRecipientFields[] = [];
    job.rcpts.forEach((r, i) => {
      let reply = replies[i]!;
      if (reply.code < 300 && data !== undefined) reply = data;
      if (reply.code < 400) return;
      if (r.notify !== undefined && !r.notify.includes("FAILURE")) return;
      const m = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply.lines[0]!);
      const enhanced = m?.[1];
      const text = reply.lines.map((l) => l.slice(4).replace(/^[245]\.\d{1,3}\.\d{1,3} ?/, "").replace(/\t/g, " ")).join(" ").trim();
      const status = options.bug === "status-5.0.0" ? "5.0.0" : (enhanced ?? `${Math.floor(reply.code / 100)}.0.0`);
      const f: PerRecipientFields = {
        finalRecipient: { type: /[^\x00-\x7f]/.test(r.address) ? "utf-8" : "rfc822", address: r.address },
        action: "failed",
        status,
        remoteMta: { type: "dns", name: "remote.dsnkit-probe.test" },
        diagnosticCode: { type: "smtp", text: `${reply.code}${enhanced !== undefined ? " " + enhanced : ""}${text === "" ? "" : " " + text}` },
        extensionFields: [],
      };
      if (r.orcpt !== undefined) f.originalRecipient = r.orcpt;
      failed.push(f);
    });
    if (failed.length === 0) return;
    const n = ++bounces;
    const bounce: Bounce = {
      from: { name: "Mail Delivery System", address: "mailer-daemon@tiny.test" },
      to: job.sender,
      subject: "Undelivered Mail Returned to Sender",
      date: new Date(Date.UTC(2026, 1, 2, 10, 0, n % 60)),
      messageId: `<bounce-${n}@tiny.test>`,
      explanation: "The remote server refused the message for the recipients below.\n",
      deliveryStatus: { perMessage: { reportingMta: { type: "dns", name: "tiny.test" }, extensionFields: [] }, recipients: failed },
      original: job.raw,
    };
    if (job.envid !== undefined && options.bug !== "drop-envid") bounce.deliveryStatus.perMessage.originalEnvelopeId = job.envid;
    const dsns = [renderDsn(bounce, { returnOriginal: job.ret === "FULL" ? "message" : "headers" }).raw];
    if (options.twoDsns !== undefined) {
      dsns.push(renderDsn({ ...bounce, messageId: `<bounce-${n}-again@tiny.test>` }, { returnOriginal: "none" }).raw);
      if (options.twoDsns === "reversed") dsns.reverse();
    }
    const back = routes.get(domainOf(job.sender));
    if (back === undefined) return;
    for (const raw of dsns) {
      const c = await SmtpClient.connect("127.0.0.1", back, 10_000);
      try {
        await c.reply();
        await c.command("EHLO tiny.test");
        await c.command("MAIL FROM:<>");
        await c.command(`RCPT TO:<${job.sender}>`);
        if ((await c.command("DATA")).code === 354) await c.message(raw, []);
      } finally {
        await c.close();
      }
    }
  }

  const jobs = new WeakMap<object, Job>();
  const server: SmtpServer = await startSmtpServer({
    host: "127.0.0.1",
    port: 0,
    name: "tiny.test",
    extensions: ["DSN", "SMTPUTF8", "8BITMIME", "ENHANCEDSTATUSCODES", "SIZE 1048576"],
    maxMessage: 1048576,
    idleTimeout: 30_000,
    handlers: {
      rcpt(address, params, t) {
        let current = jobs.get(t);
        if (current === undefined) {
          const envid = param(t.mailParams, "ENVID");
          current = { sender: t.mailFrom, smtputf8: param(t.mailParams, "SMTPUTF8") !== undefined, rcpts: [], raw: new Uint8Array() };
          const ret = param(t.mailParams, "RET");
          if (ret !== undefined) current.ret = ret.toUpperCase();
          if (envid !== undefined) current.envid = decodeXtext(envid) ?? envid;
          jobs.set(t, current);
        }
        if (!routes.has(domainOf(address))) return { code: 554, enhanced: "5.7.1", lines: ["Relay access denied"] };
        const r: Job["rcpts"][number] = { address };
        const notify = param(params, "NOTIFY");
        if (notify !== undefined) r.notify = notify.toUpperCase().split(",");
        const orcpt = param(params, "ORCPT");
        if (orcpt !== undefined) {
          const semi = orcpt.indexOf(";");
          const type = orcpt.slice(0, semi).toLowerCase();
          const value = orcpt.slice(semi + 1);
          r.orcpt = { type, address: type === "utf-8" ? decodeUtf8Addr(value) : (decodeXtext(value) ?? value) };
        }
        current.rcpts.push(r);
        return { code: 250, enhanced: "2.1.5", lines: ["OK"] };
      },
      data(raw, t) {
        const job = { ...jobs.get(t)!, raw };
        busy++;
        const p = relay(job)
          .catch(() => undefined)
          .finally(() => {
            busy--;
            pending.delete(p);
          });
        pending.add(p);
        return { code: 250, enhanced: "2.0.0", lines: ["queued"] };
      },
    },
  });
  return {
    port: server.port,
    routes,
    busy: () => busy,
    async close() {
      await server.close();
      await Promise.all([...pending]);
    },
  };
}
