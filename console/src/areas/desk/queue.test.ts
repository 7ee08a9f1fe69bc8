import { describe, expect, it } from "vitest";
import { DEFAULT_QUERY, moveSelection, queueParams, readSavedViews, withView } from "./queue";

describe("the ticket queue", () => {
  it("asks the API for a view's open tickets, most urgent first, a page at a time", () => {
    expect(queueParams(DEFAULT_QUERY, 0)).toEqual({
      order: "urgency",
      limit: 50,
      offset: 0,
      status: ["new", "open", "pending", "on_hold"],
      assigned_to_me: true,
    });
    expect(queueParams({ view: "unassigned", status: "on_hold", priority: "high", category: "network", team: "T1" }, 2)).toEqual({
      order: "urgency",
      limit: 50,
      offset: 100,
      status: ["on_hold"],
      unassigned: true,
      priority: "high",
      category: "network",
      team_id: "T1",
    });
    expect(queueParams({ ...DEFAULT_QUERY, view: "team" }, 0).my_teams).toBe(true);
    expect(queueParams({ ...DEFAULT_QUERY, view: "open" }, 0)).not.toHaveProperty("assigned_to_me");
  });

  it("keeps saved views, replacing one of the same name, and ignores what it cannot read", () => {
    const store = (value: string | null) => ({ getItem: () => value });
    expect(readSavedViews(store("not json"), "k")).toEqual([]);
    expect(readSavedViews(store(JSON.stringify([{ name: "x", query: { view: "nonsense" } }])), "k")).toEqual([]);
    const urgent = { name: "Urgent", query: { ...DEFAULT_QUERY, priority: "urgent" } };
    const views = withView(withView([], urgent), { name: "Net", query: { ...DEFAULT_QUERY, category: "network" } });
    expect(views.map((v) => v.name)).toEqual(["Net", "Urgent"]);
    expect(withView(views, { ...urgent, query: { ...urgent.query, view: "open" } })).toHaveLength(2);
    expect(readSavedViews(store(JSON.stringify(views)), "k")).toEqual(views);
  });

  it("moves through the rows with the arrows or j and k", () => {
    expect(moveSelection("j", 0, 3)).toBe(1);
    expect(moveSelection("ArrowDown", 2, 3)).toBe(2);
    expect(moveSelection("k", 0, 3)).toBe(0);
    expect(moveSelection("ArrowUp", 2, 3)).toBe(1);
    expect(moveSelection("End", 0, 3)).toBe(2);
    expect(moveSelection("x", 0, 3)).toBeNull();
    expect(moveSelection("j", 0, 0)).toBeNull();
  });
});
