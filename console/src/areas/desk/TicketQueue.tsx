import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link as RouterLink, useNavigate } from "react-router-dom";
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Link,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import { Title, useDataProvider, useGetIdentity, useTranslate } from "react-admin";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { liveQueryOptions, useNow } from "../../components/live";
import { Empty, Failed, Loading } from "../../components/States";
import { Countdown } from "./clock";
import { isBreached } from "./sla";
import {
  CATEGORIES,
  DEFAULT_QUERY,
  PAGE_SIZE,
  PRIORITIES,
  STATUSES,
  VIEWS,
  moveSelection,
  queueParams,
  readSavedViews,
  withView,
  type QueueQuery,
  type SavedView,
} from "./queue";
import { TICKETS_API, type DeskTicket, type Page, type Team } from "./resources";

// Dark enough for white text (WCAG AA); the word says the priority too, never the colour alone.
const PRIORITY_STYLE: Record<string, object> = {
  urgent: { bgcolor: "#b71c1c", color: "#fff", borderColor: "#b71c1c", fontWeight: 600 },
  high: { bgcolor: "#7a4100", color: "#fff", borderColor: "#7a4100" },
};

export const ticketPath = (id: string) => `/desk_tickets/${encodeURIComponent(id)}/show`;

/** Saved views, per person, in this browser. */
function useSavedViews(): [SavedView[], (views: SavedView[]) => void] {
  const { identity } = useGetIdentity();
  const key = `backoffice.desk.queue.views.${identity?.id ?? "anyone"}`;
  const [views, setViews] = useState<SavedView[]>([]);
  useEffect(() => setViews(readSavedViews(window.localStorage, key)), [key]);
  const save = useCallback(
    (next: SavedView[]) => {
      window.localStorage.setItem(key, JSON.stringify(next));
      setViews(next);
    },
    [key],
  );
  return [views, save];
}

/** The IT agents' queue: a view (mine, my team's, unassigned, all open), filters, SLA countdowns, keyboard. */
export function TicketQueue() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const now = useNow();
  const [query, setQuery] = useState<QueueQuery>(DEFAULT_QUERY);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState(0);
  const [savedViews, saveViews] = useSavedViews();
  const [viewName, setViewName] = useState("");
  const rowLinks = useRef<(HTMLAnchorElement | null)[]>([]);

  const tickets = useQuery({
    queryKey: ["desk", "queue", query, page],
    queryFn: () => dataProvider.get<Page<DeskTicket>>(TICKETS_API.tickets, queueParams(query, page)),
    placeholderData: keepPreviousData,
    ...liveQueryOptions(),
  });
  const teams = useQuery({
    queryKey: ["desk", "teams"],
    queryFn: () => dataProvider.get<Page<Team>>(TICKETS_API.teams, { limit: 100 }),
  });
  const rows = useMemo(() => tickets.data?.items ?? [], [tickets.data]);
  const total = tickets.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  useEffect(() => {
    if (rows.length) performance.mark("desk-queue:rows");
  }, [rows.length]);

  const change = (patch: Partial<QueueQuery>) => {
    setQuery((current) => ({ ...current, ...patch }));
    setPage(0);
    setSelected(0);
  };

  const focusRow = useCallback((index: number) => {
    setSelected(index);
    rowLinks.current[index]?.focus();
  }, []);

  // j/k and the arrows move through the queue from anywhere on the screen but a field being typed in.
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (target?.closest("input, textarea, select, [contenteditable='true'], [role='combobox'], [role='listbox']"))
        return;
      if (event.key === "Enter" && target === document.body && rows[selected]) {
        navigate(ticketPath(rows[selected].id));
        return;
      }
      const next = moveSelection(event.key, selected, rows.length);
      if (next === null) return;
      event.preventDefault();
      focusRow(next);
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [rows, selected, focusRow, navigate]);

  const label = (group: string, value: string) => translate(`desk.tickets.choices.${group}.${value}`, { _: value });
  const select = (name: keyof QueueQuery, values: readonly string[], group: string | null, emptyLabel: string) => (
    <TextField
      select
      size="small"
      label={translate(`desk.tickets.fields.${name}`)}
      value={query[name]}
      onChange={(event) => change({ [name]: event.target.value })}
      sx={{ width: { xs: "100%", sm: 200 } }}
    >
      <MenuItem value="">{emptyLabel}</MenuItem>
      {values.map((value) => (
        <MenuItem key={value} value={value}>
          {group ? label(group, value) : value}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("desk.tickets.queue.title")} />
      <Typography component="h1" variant="h5">
        {translate("desk.tickets.queue.title")}
      </Typography>
      <Typography id="queue-help" variant="body2" color="text.secondary">
        {translate("desk.tickets.queue.help")}
      </Typography>
      <Card>
        <CardContent>
          <Stack spacing={2}>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={query.view}
              onChange={(_, value) => value && change({ view: value })}
              aria-label={translate("desk.tickets.queue.view_label")}
            >
              {VIEWS.map((view) => (
                <ToggleButton key={view} value={view}>
                  {translate(`desk.tickets.queue.views.${view}`)}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
            <Stack direction="row" spacing={2} flexWrap="wrap" useFlexGap role="group" aria-label={translate("desk.tickets.queue.filters")}>
              {select("status", STATUSES, "status", translate("desk.tickets.queue.all_open"))}
              {select("priority", PRIORITIES, "priority", translate("desk.tickets.queue.any"))}
              {select("category", CATEGORIES, "category", translate("desk.tickets.queue.any"))}
              <TextField
                select
                size="small"
                label={translate("desk.tickets.fields.team")}
                value={query.team}
                onChange={(event) => change({ team: event.target.value })}
                sx={{ width: { xs: "100%", sm: 200 } }}
              >
                <MenuItem value="">{translate("desk.tickets.queue.any")}</MenuItem>
                {(teams.data?.items ?? []).map((team) => (
                  <MenuItem key={team.id} value={team.id}>
                    {team.name}
                  </MenuItem>
                ))}
              </TextField>
            </Stack>
            <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
              <Typography variant="subtitle2" component="h2">
                {translate("desk.tickets.queue.saved")}
              </Typography>
              {savedViews.map((view) => (
                <Chip
                  key={view.name}
                  label={view.name}
                  onClick={() => change(view.query)}
                  onDelete={() => saveViews(savedViews.filter((v) => v.name !== view.name))}
                />
              ))}
              <Box
                component="form"
                onSubmit={(event) => {
                  event.preventDefault();
                  if (!viewName.trim()) return;
                  saveViews(withView(savedViews, { name: viewName.trim(), query }));
                  setViewName("");
                }}
                sx={{ display: "flex", gap: 1 }}
              >
                <TextField
                  size="small"
                  label={translate("desk.tickets.queue.view_name")}
                  value={viewName}
                  onChange={(event) => setViewName(event.target.value)}
                />
                <Button type="submit" variant="outlined">
                  {translate("desk.tickets.queue.save_view")}
                </Button>
              </Box>
            </Stack>
          </Stack>
        </CardContent>
      </Card>
      {tickets.isPending ? (
        <Loading />
      ) : tickets.error ? (
        <Failed error={tickets.error} retry={() => tickets.refetch()} />
      ) : rows.length === 0 ? (
        <Empty message={translate("desk.tickets.queue.none")} />
      ) : (
        <Card>
          <Typography aria-live="polite" sx={{ px: 2, pt: 1 }} variant="body2">
            {translate("desk.tickets.queue.rows", { smart_count: total })}
          </Typography>
          <TableContainer>
            <Table
              size="small"
              aria-describedby="queue-help"
              aria-label={translate("desk.tickets.queue.title")}
              data-view={tickets.isPlaceholderData ? undefined : query.view}
              data-total={total}
            >
              <TableHead>
                <TableRow>
                  {["priority", "reference", "subject", "requester", "assignee", "status", "first_response", "resolution"].map(
                    (field) => (
                      <TableCell key={field} component="th" scope="col">
                        {translate(`desk.tickets.fields.${field}`)}
                      </TableCell>
                    ),
                  )}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((ticket, index) => {
                  const breached = isBreached(ticket.sla, now);
                  return (
                    <TableRow
                      key={ticket.id}
                      hover
                      selected={index === selected}
                      data-ticket={ticket.reference}
                      onClick={() => navigate(ticketPath(ticket.id))}
                      sx={{ cursor: "pointer", ...(breached && { boxShadow: "inset 4px 0 0 #b71c1c" }) }}
                    >
                      <TableCell>
                        <Chip
                          size="small"
                          label={label("priority", ticket.priority)}
                          variant="outlined"
                          sx={PRIORITY_STYLE[ticket.priority]}
                        />
                      </TableCell>
                      <TableCell>
                        <Link
                          component={RouterLink}
                          to={ticketPath(ticket.id)}
                          ref={(element: HTMLAnchorElement | null) => {
                            rowLinks.current[index] = element;
                          }}
                          onFocus={() => setSelected(index)}
                          onClick={(event) => event.stopPropagation()}
                        >
                          {ticket.reference}
                        </Link>
                        {breached && (
                          <Typography component="span" variant="caption" sx={{ color: "error.dark", ml: 1 }}>
                            {translate("desk.tickets.queue.breached")}
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell>{ticket.subject}</TableCell>
                      <TableCell>{ticket.requester_name ?? ticket.requester_employee_id}</TableCell>
                      <TableCell>{ticket.assignee_name ?? translate("desk.tickets.ticket.unassigned")}</TableCell>
                      <TableCell>{label("status", ticket.status)}</TableCell>
                      <TableCell>
                        <Countdown sla={ticket.sla} clock={ticket.sla?.first_response} now={now} />
                      </TableCell>
                      <TableCell>
                        <Countdown sla={ticket.sla} clock={ticket.sla?.resolution} now={now} />
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </TableContainer>
          <Stack direction="row" spacing={2} alignItems="center" justifyContent="flex-end" sx={{ p: 1 }}>
            <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
              {translate("desk.tickets.queue.previous")}
            </Button>
            <Typography variant="body2">{translate("desk.tickets.queue.page", { page: page + 1, pages })}</Typography>
            <Button disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              {translate("desk.tickets.queue.next")}
            </Button>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
