/**
 * What the fair-pay screens share: the period chosen (the last full calendar year by default), figures in the
 * chosen language (money and percentages from the API's decimal text, never through a float), the words for a
 * suppressed group, and whether the signed-in person records justifications and assessments.
 */
import { useState, type FormEvent } from "react";
import { Box, Button, MenuItem, Stack, TextField, Typography } from "@mui/material";
import { useGetIdentity, useLocaleState, useTranslate } from "react-admin";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from "../../format";
import { FAIRPAY_WRITERS } from "./resources";

export interface Period {
  from: string;
  to: string;
}

/** The last full calendar year before ``today``: what the API reports when no period is given. */
export function lastFullYear(today: Date = new Date()): Period {
  const year = today.getFullYear() - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The period a screen shows, kept while the person moves between the fair-pay screens. */
let remembered: Period | null = null;

export function usePeriod(): [Period, (period: Period) => void] {
  const [period, setPeriod] = useState<Period>(() => remembered ?? lastFullYear());
  return [
    period,
    (next: Period) => {
      remembered = next;
      setPeriod(next);
    },
  ];
}

/** A year (the usual choice) or any two dates, applied with a button so a half-typed date is not asked for. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const translate = useTranslate();
  const [draft, setDraft] = useState<Period>(period);
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, n) => thisYear - n);
  const year = /^(\d{4})-01-01$/.exec(draft.from)?.[1];
  const wholeYear = year && draft.to === `${year}-12-31` ? year : "";
  function submit(event: FormEvent) {
    event.preventDefault();
    onChange(draft);
  }
  return (
    <Box component="form" onSubmit={submit} aria-label={translate("fairpay.common.period")} sx={{ mb: 2 }}>
      <Box sx={{ display: "flex", flexWrap: "wrap", gap: 2, alignItems: "center" }}>
        <TextField
          select
          size="small"
          label={translate("fairpay.common.year")}
          value={wholeYear}
          onChange={(event) => setDraft({ from: `${event.target.value}-01-01`, to: `${event.target.value}-12-31` })}
          sx={{ width: 150 }}
        >
          <MenuItem value="" disabled>
            {translate("fairpay.common.custom")}
          </MenuItem>
          {years.map((y) => (
            <MenuItem key={y} value={String(y)}>
              {y}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="date"
          label={translate("fairpay.common.from")}
          value={draft.from}
          onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ width: 190 }}
        />
        <TextField
          size="small"
          type="date"
          label={translate("fairpay.common.to")}
          value={draft.to}
          onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ width: 190 }}
        />
        <Button type="submit" variant="contained" disabled={!draft.from || !draft.to} sx={{ flexShrink: 0 }}>
          {translate("fairpay.common.show")}
        </Button>
      </Box>
    </Box>
  );
}

/** Figures in the console's language. */
export function useFigures() {
  const [locale = "en"] = useLocaleState();
  return {
    locale,
    day: (value: string | null | undefined) => formatDate(value, locale),
    moment: (value: string | null | undefined) => formatDateTime(value, locale),
    money: (value: string | null | undefined, currency: string) =>
      value === null || value === undefined ? "—" : formatMoney(value, currency, locale),
    percent: (value: string | null | undefined) => (value === null || value === undefined ? "—" : formatPercent(value, locale)),
    count: (value: number | null | undefined) => (value === null || value === undefined ? "—" : formatNumber(value, locale)),
  };
}

/** Said instead of a group's figures when it has fewer workers than the threshold. */
export function Suppressed({ threshold }: { threshold: number }) {
  const translate = useTranslate();
  return (
    <Typography component="span" variant="body2" sx={{ fontStyle: "italic" }}>
      {translate("fairpay.common.suppressed", { threshold })}
    </Typography>
  );
}

/** Whether the signed-in person records justifications and joint pay assessments (HR and admins). */
export function useMayRecord(): boolean {
  const { identity } = useGetIdentity();
  const roles = (identity?.roles as string[] | undefined) ?? [];
  return FAIRPAY_WRITERS.some((role) => roles.includes(role));
}

/** A problem's text, for an alert. */
export function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The page size of the fair-pay lists (assessments, information requests). */
export const PAGE = 25;

/** Previous and next over a list the API pages (`limit`/`offset`). */
export function Pager({
  offset,
  total,
  onChange,
}: {
  offset: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
      <Button disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - PAGE))}>
        {translate("ra.navigation.previous")}
      </Button>
      <Button disabled={offset + PAGE >= total} onClick={() => onChange(offset + PAGE)}>
        {translate("ra.navigation.next")}
      </Button>
    </Stack>
  );
}
