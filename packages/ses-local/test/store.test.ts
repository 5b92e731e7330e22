/**
 * The store, the outbox, ids and the rate limiter.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { isSesMessageId, sesMessageId, sesMessageIdSequence, sesMessageIdTime, startSesLocal } from "@dsnkit/ses-local";
import { SesLocalStore } from "../src/store.js";
import { RateLimiter } from "../src/rate.js";
import { bounceParams, deliver, mail, signedCall, tempDir } from "./helpers.js";

describe("SES message ids", () => {
  test("the documented shape", () => {
    expect(sesMessageId(Date.UTC(2026, 10, 26, 10), "1b4e28ba-2fa1-41d2-883f-0016d3cca427")).toBe("010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000");
    expect(() => sesMessageId(-1)).toThrow(RangeError);
    expect(() => sesMessageId(0, "NOT-A-UUID")).toThrow(RangeError);
  });

  fcTest.prop([fc.array(fc.integer({ min: 0, max: 2 ** 48 - 1 }), { minLength: 2, maxLength: 50 })])("sort as their times do, and carry them", (times) => {
    const ids = times.map((t) => sesMessageId(t));
    for (const [i, id] of ids.entries()) {
      expect(isSesMessageId(id)).toBe(true);
      expect(sesMessageIdTime(id)!.getTime()).toBe(times[i]);
    }
    const byId = [...ids].sort();
    const byTime = ids.map((id, i) => [times[i]!, id] as const).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)).map(([, id]) => id);
    expect(byId).toEqual(byTime);
  });

  test("a sequence never goes back in time, and never repeats", () => {
    const next = sesMessageIdSequence();
    const ids = [10, 5, 20, 20, 0].map((ms) => next(new Date(ms)));
    expect(ids.map((id) => sesMessageIdTime(id)!.getTime())).toEqual([10, 10, 20, 20, 20]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("RateLimiter", () => {
  test("one call per second: a burst of one, then one per second; a refused call takes nothing", () => {
    let t = 0;
    const l = new RateLimiter(1, () => t);
    expect([l.take("a"), l.take("a"), l.take("b")]).toEqual([true, false, true]);
    t = 999;
    expect(l.take("a")).toBe(false);
    t = 1000;
    expect([l.take("a"), l.take("a")]).toEqual([true, false]);
    t = 5000; // idle time does not build up more than the burst
    expect([l.take("a"), l.take("a")]).toEqual([true, false]);
  });

  test("a rate of 5 allows a burst of 5; 0 means no limit", () => {
    let t = 0;
    const l = new RateLimiter(5, () => t);
    expect(Array.from({ length: 6 }, () => l.take("k"))).toEqual([true, true, true, true, true, false]);
    t = 200;
    expect(l.take("k")).toBe(true);
    const none = new RateLimiter(0, () => 0);
    expect(Array.from({ length: 100 }, () => none.take("k")).every(Boolean)).toBe(true);
  });
});

describe("SesLocalStore", () => {
  test("messages added in one turn commit together and are there after reopening", async () => {
    const t = await tempDir();
    try {
      const path = join(t.dir, "s.db");
      const store = SesLocalStore.open(path);
      const ids = Array.from({ length: 50 }, (_, i) => sesMessageId(1000 + i));
      await Promise.all(ids.map((messageId, i) => store.addMessage({ messageId, arrival: new Date(1000 + i), mailFrom: `s${i}@example.org`, rcptTo: [`r${i}@example.com`], raw: Buffer.from(`m${i}`) })));
      expect(store.countMessages()).toBe(50);
      await store.close();
      const again = SesLocalStore.open(path);
      expect(again.listMessages().map((m) => m.messageId)).toEqual(ids);
      expect(again.getMessage(ids[7]!)!.raw.toString()).toBe("m7");
      expect(again.listMessages({ limit: 2, offset: 3 }).map((m) => m.messageId)).toEqual(ids.slice(3, 5));
      await again.close();
    } finally {
      await t.remove();
    }
  });

  test("a message added after close is refused, not lost in silence", async () => {
    const store = SesLocalStore.open(":memory:");
    await store.close();
    await expect(store.addMessage({ messageId: "x", arrival: new Date(), mailFrom: "", rcptTo: [], raw: Buffer.alloc(0) })).rejects.toThrow("the store is closed");
  });

  test("a store of schema 1 (before receipt rules) is upgraded: its bounces are read, new ones name their rule, rule sets are kept", async () => {
    const t = await tempDir();
    try {
      const path = join(t.dir, "v1.db");
      const v1 = new Database(path);
      v1.exec(await readFile(join(import.meta.dirname, "fixtures/schema-v1.sql"), "utf8"));
      v1.prepare("INSERT INTO messages (id, arrival, mail_from, rcpt_to, size, raw) VALUES ('m1', 1000, 'a@example.org', '[\"b@example.com\"]', 1, x'41')").run();
      v1.prepare(
        "INSERT INTO bounces (id, original_id, created, bounce_sender, rcpt_to, access_key, request, relay_state, size, raw) VALUES ('b1', 'm1', 2000, 'd@example.com', '[\"a@example.org\"]', 'AKID', '{}', 'none', 1, x'42')",
      ).run();
      v1.pragma("user_version = 1");
      v1.close();

      const store = SesLocalStore.open(path);
      expect(store.getBounce("b1")).toMatchObject({ bounceId: "b1", accessKeyId: "AKID", raw: Buffer.from("B") });
      expect(store.getBounce("b1")!.receiptRule).toBeUndefined();
      store.addBounce({ bounceId: "b2", originalMessageId: "m1", created: new Date(3000), bounceSender: "d@example.com", rcptTo: ["a@example.org"], raw: Buffer.from("C"), request: "{}", accessKeyId: "", relay: { state: "none", attempts: 0 }, receiptRule: "default/unknown" });
      expect(store.listBounces().map((b) => [b.bounceId, b.receiptRule])).toEqual([
        ["b1", undefined],
        ["b2", "default/unknown"],
      ]);
      expect(store.createRuleSet("default", new Date(4000))).toBe(true);
      expect(store.createRuleSet("default", new Date(5000))).toBe(false);
      store.setActiveRuleSet("default");
      await store.close();

      const again = SesLocalStore.open(path);
      expect([again.activeRuleSet(), again.listRuleSets()]).toEqual(["default", [{ name: "default", created: new Date(4000), rules: 0 }]]);
      await again.close();
      const db = new Database(path, { readonly: true });
      expect(db.pragma("user_version", { simple: true })).toBe(2);
      db.close();
    } finally {
      await t.remove();
    }
  });

  test("identities compare case-insensitively", async () => {
    const store = SesLocalStore.open(":memory:");
    expect(store.addIdentity("Ops@Example.com", "EmailAddress", new Date())).toBe(true);
    expect(store.addIdentity("ops@example.com", "EmailAddress", new Date())).toBe(false);
    expect(store.hasIdentity("OPS@EXAMPLE.COM")).toBe(true);
    await store.close();
  });
});

describe("the outbox", () => {
  test("a bounce whose file is missing (a crash between commit and write) is written again on start", async () => {
    const t = await tempDir();
    try {
      const options = { smtpPort: 0, httpPort: 0, dataDir: t.dir, domains: ["example.com"], rate: 0 };
      const first = await startSesLocal(options);
      const id = await deliver(first.smtpPort, mail());
      const r = await signedCall(first.httpPort, bounceParams(id, { BounceSender: "postmaster@example.com" }));
      const bounceId = /<MessageId>([^<]+)</.exec(r.body)![1]!;
      const path = first.outboxPath(bounceId);
      const bytes = await readFile(path);
      await first.close();
      await rm(path);
      const second = await startSesLocal(options);
      try {
        expect(await readFile(path)).toEqual(bytes);
      } finally {
        await second.close();
      }
    } finally {
      await t.remove();
    }
  });
});
