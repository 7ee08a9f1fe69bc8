/**
 * What an SLA target shows at an instant, from the clocks the API gave (`helpdesk_SlaRead`): time left to its
 * deadline, ticking; stopped, with how long, while the ticket waits (pending or on hold); met; or overdue.
 * Pure functions, tested without React (sla.test.ts).
 */
import type { SlaClock, SlaRead } from "./resources";

export type ClockState =
  | { state: "none" }
  | { state: "met"; late: boolean }
  | { state: "running"; seconds: number }
  | { state: "overdue"; seconds: number }
  | { state: "paused"; seconds: number | null; pausedSeconds: number };

/** The state of one target (first response or resolution) at `now`. */
export function clockState(sla: SlaRead | null | undefined, clock: SlaClock | undefined, now: Date): ClockState {
  if (!sla || !clock || clock.target_minutes === null) return { state: "none" };
  if (clock.met_at) return { state: "met", late: clock.breached };
  if (sla.paused) {
    const since = sla.paused_since ? Date.parse(sla.paused_since) : now.getTime();
    return {
      state: "paused",
      seconds: clock.remaining_business_seconds,
      pausedSeconds: Math.max(0, Math.floor((now.getTime() - since) / 1000)),
    };
  }
  if (!clock.due_at) return { state: "none" };
  const left = Math.floor((Date.parse(clock.due_at) - now.getTime()) / 1000);
  if (clock.breached || left < 0) return { state: "overdue", seconds: Math.max(0, -left) };
  return { state: "running", seconds: left };
}

/** A span of time for a countdown: `2 d 04:05:06`, `04:05:06`, `05:06`. */
export function formatSpan(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const secs = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  const clock = hours > 0 || days > 0 ? `${two(hours)}:${two(minutes)}:${two(secs)}` : `${two(minutes)}:${two(secs)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

/** Whether any target of the ticket is past due at `now` (the queue shows these first and marks them). */
export function isBreached(sla: SlaRead | null | undefined, now: Date): boolean {
  if (!sla) return false;
  return [sla.first_response, sla.resolution].some((clock) => clockState(sla, clock, now).state === "overdue");
}
