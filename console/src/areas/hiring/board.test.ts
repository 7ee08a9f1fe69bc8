import { describe, expect, it } from "vitest";
import { CLOSED, columns, nextStage } from "./board";
import type { Application } from "./common";

const STAGES = ["applied", "screening", "interview", "offer", "hired"];

function application(id: string, stage: string, status: Application["status"] = "active"): Application {
  return {
    id,
    opening_id: "O1",
    candidate: { id: `C${id}`, given_name: id, family_name: "X", email: null, phone: null, source: "web", cv_document_id: null },
    stage,
    status,
    reason: null,
    employee_id: null,
    moves: [],
    average_rating: null,
    expected_rating: "3.5",
    interview_ids: [],
  } as Application;
}

describe("the pipeline board", () => {
  it("moves an application on one stage at a time, up to the offer, never to hired", () => {
    expect(nextStage(STAGES, "applied")).toBe("screening");
    expect(nextStage(STAGES, "interview")).toBe("offer");
    expect(nextStage(STAGES, "offer")).toBeUndefined(); // an accepted offer hires
    expect(nextStage(STAGES, "hired")).toBeUndefined();
    expect(nextStage(STAGES, "gone")).toBeUndefined();
    expect(nextStage(["sourced", "offer", "hired"], "sourced")).toBe("offer");
  });

  it("has a column per stage in the pipeline's order, then the closed ones", () => {
    const board = columns(STAGES, [
      application("a", "screening"),
      application("b", "applied"),
      application("c", "screening", "rejected"),
      application("d", "hired", "hired"),
      application("e", "interview", "withdrawn"),
      application("f", "screening"),
    ]);
    expect(board.map(([column]) => column)).toEqual([...STAGES, CLOSED]);
    const ids = Object.fromEntries(board.map(([column, items]) => [column, items.map((a) => a.id)]));
    expect(ids).toEqual({
      applied: ["b"],
      screening: ["a", "f"],
      interview: [],
      offer: [],
      hired: ["d"],
      [CLOSED]: ["c", "e"],
    });
  });

  it("still shows an application at a stage the pipeline no longer has, before the closed ones", () => {
    const board = columns(STAGES, [application("a", "assessment")]);
    expect(board.map(([column]) => column)).toEqual([...STAGES, "assessment", CLOSED]);
  });
});
