/**
 * Running an action of the change board or the SLA screens against the API: a notification saying it was done
 * (or the problem the API answered), then everything shown read again. `run` answers a problem's field errors for
 * a react-admin form's `onSubmit` (shown under the fields), or undefined when it succeeded.
 */
import { useState } from "react";
import { useNotify } from "react-admin";
import { useQueryClient } from "@tanstack/react-query";
import { ProblemError } from "../../api/http";

export function useDeskAction() {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  async function run<T>(
    action: () => Promise<T>,
    done: string,
    after?: (result: T) => void,
  ): Promise<Record<string, unknown> | undefined> {
    setBusy(true);
    try {
      const result = await action();
      notify(done, { type: "success" });
      await queryClient.invalidateQueries();
      after?.(result);
      return undefined;
    } catch (caught) {
      notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
      return caught instanceof ProblemError ? caught.body.errors : undefined;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy };
}

/** A moment typed in a datetime-local input, in the person's time zone, as the API takes it. */
export function isoMoment(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
