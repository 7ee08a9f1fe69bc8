import { describe, expect, it } from "vitest";
import { clockState, formatSpan, isBreached } from "./sla";
import type { SlaClock, SlaRead } from "./resources";

const NOW = new Date("2026-03-02T10:00:00Z");

function clock(over: Partial<SlaClock> = {}): SlaClock {
  return {
    target_minutes: 60,
    due_at: "2026-03-02T10:30:00Z",
    met_at: null,
    elapsed_business_seconds: 1800,
    remaining_business_seconds: 1800,
    breached: false,
    breached_at: null,
    ...over,
  } as SlaClock;
}

function sla(over: Partial<SlaRead> = {}, first = clock(), resolution = clock({ due_at: "2026-03-02T17:00:00Z" })) {
  return {
    calendar_id: "c",
    paused: false,
    paused_since: null,
    paused_business_seconds: 0,
    paused_wall_seconds: 0,
    first_response: first,
    resolution,
    ...over,
  } as SlaRead;
}

describe("SLA clocks", () => {
  it("counts down to the deadline, second by second", () => {
    const s = sla();
    expect(clockState(s, s.first_response, NOW)).toEqual({ state: "running", seconds: 1800 });
    expect(clockState(s, s.first_response, new Date(NOW.getTime() + 1000))).toEqual({ state: "running", seconds: 1799 });
  });

  it("stops while the ticket waits and says for how long", () => {
    const s = sla({ paused: true, paused_since: "2026-03-02T09:58:00Z" }, clock({ due_at: null }));
    const paused = clockState(s, s.first_response, NOW);
    expect(paused).toEqual({ state: "paused", seconds: 1800, pausedSeconds: 120 });
    // a minute later the time left has not moved; the pause has
    expect(clockState(s, s.first_response, new Date(NOW.getTime() + 60_000))).toEqual({
      state: "paused",
      seconds: 1800,
      pausedSeconds: 180,
    });
  });

  it("is overdue past its deadline, and met once answered", () => {
    const late = sla({}, clock({ due_at: "2026-03-02T09:59:00Z" }));
    expect(clockState(late, late.first_response, NOW)).toEqual({ state: "overdue", seconds: 60 });
    expect(isBreached(late, NOW)).toBe(true);
    expect(isBreached(sla(), NOW)).toBe(false);
    const met = sla({}, clock({ met_at: "2026-03-02T09:10:00Z", due_at: null }));
    expect(clockState(met, met.first_response, NOW)).toEqual({ state: "met", late: false });
    expect(clockState(null, undefined, NOW)).toEqual({ state: "none" });
  });

  it("formats spans as a clock", () => {
    expect(formatSpan(65)).toBe("01:05");
    expect(formatSpan(3 * 3600 + 65)).toBe("03:01:05");
    expect(formatSpan(2 * 86_400 + 3600)).toBe("2 d 01:00:00");
  });
});
