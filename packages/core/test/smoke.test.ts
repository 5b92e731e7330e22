import { expect, test } from "vitest";
import { renderBounce } from "@dsnkit/core";
test("smoke", () => {
  const r = renderBounce({ OriginalMessageId: "a", BounceSender: "m@example.com", BouncedRecipientInfoList: [{ Recipient: "x@example.com", BounceType: "DoesNotExist" }] }, { originalSender: "s@example.org" });
  expect(r.raw).toContain("Status: 5.1.1");
});
