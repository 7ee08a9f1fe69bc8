/**
 * Live updates of the screens people watch all day (the ticket queue, switchboard messages, document deliveries).
 *
 * The console polls: a watched query is asked again every LIVE_INTERVAL_MS while its tab is visible (react-query
 * pauses it in a hidden tab and asks at once when the tab or the network comes back). The services publish events
 * for few of these changes, so a push channel from the gateway would miss most of them; docs/CONSOLE.md
 * ("Live updates") says what that would take.
 */
import { useEffect, useState } from "react";

/** How often a watched list is asked again, in milliseconds. */
export const LIVE_INTERVAL_MS = 5_000;

/** Query options for a watched list or record: `useGetList(…, …, liveQueryOptions())`, `<List queryOptions=…>`. */
export function liveQueryOptions(interval: number = LIVE_INTERVAL_MS) {
  return { refetchInterval: interval, refetchIntervalInBackground: false, refetchOnWindowFocus: true } as const;
}

/**
 * The current time, ticking every `step` milliseconds: for countdowns (SLA targets) that must move on screen
 * between two answers of the API.
 */
export function useNow(step = 1_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), step);
    return () => window.clearInterval(timer);
  }, [step]);
  return now;
}
