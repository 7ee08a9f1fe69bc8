import { describe, expect, it } from "vitest";
import { noteBody, replyBody } from "./composer";

describe("the ticket's two composers", () => {
  it("builds an internal note that can never be a public reply", () => {
    const note = noteBody("toner supplier is slow");
    expect(note).toEqual({ body: "toner supplier is slow", internal: true });
    expect(Object.keys(note).sort()).toEqual(["body", "internal"]); // no canned response, no other switch
    // whatever text is typed, even one that looks like a reply, stays internal
    expect(noteBody("Hello Eve, this is fixed.").internal).toBe(true);
  });

  it("builds a public reply", () => {
    expect(replyBody("Hello Eve")).toEqual({ body: "Hello Eve", internal: false });
  });
});
