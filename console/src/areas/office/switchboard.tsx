/**
 * The switchboard, built for a receptionist under time pressure: the whole staff directory is loaded once (and
 * refreshed every 30 s), so the search answers on each keystroke without a request. The keyboard does everything:
 * type in the search (it has the focus), ↑/↓ choose, Enter selects the person; then the caller's name and Enter
 * put the call through, or Enter on "Transfer" passes the live call on (each hop is kept and shown as the call's
 * path); when nobody answers, "Take a message" (Alt+M) and Ctrl+Enter save it. Messages waiting and the recent
 * calls are polled (components/live.ts).
 */
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  FormControlLabel,
  Grid,
  MenuItem,
  Stack,
  TextField,
  Typography,
  type ChipProps,
} from "@mui/material";
import { Title, useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider, Page } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { liveQueryOptions } from "../../components/live";
import { formatDateTime } from "../../format";
import { indexDirectory, searchDirectory, waitingFor, type Staff } from "./directory";
import { CallPath, timeOf } from "./callpath";
import { SWITCHBOARD_API, type Call, type CallMessage } from "./resources";

/** The directory at once (`/directory/everyone`, compact): 1,000 people a request, the pages asked together. */
const DIRECTORY_PAGE = 1000;
const ROW_HEIGHT = 60;
const DIRECTORY_REFRESH_MS = 30_000;
const AVAILABILITY = ["available", "busy", "away", "off"] as const;
const LIVE_CALL = new Set(["connected", "waiting"]);

export function availabilityColour(value: string): ChipProps["color"] {
  return value === "available" ? "success" : value === "busy" ? "warning" : "default";
}

function useDirectory() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["switchboard-directory"],
    queryFn: async () => {
      const first = await dataProvider.get<Page<Staff>>(SWITCHBOARD_API.directory, { limit: DIRECTORY_PAGE });
      const rest = [];
      for (let offset = DIRECTORY_PAGE; offset < first.total; offset += DIRECTORY_PAGE) {
        rest.push(dataProvider.get<Page<Staff>>(SWITCHBOARD_API.directory, { limit: DIRECTORY_PAGE, offset }));
      }
      const people = [first, ...(await Promise.all(rest))].flatMap((page) => page.items);
      if (performance.getEntriesByName("switchboard:data").length === 0) performance.mark("switchboard:data");
      return { people, entries: indexDirectory(people) };
    },
    ...liveQueryOptions(DIRECTORY_REFRESH_MS),
  });
}

function useUnread() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["switchboard-unread"],
    queryFn: () => dataProvider.get<Page<CallMessage>>(SWITCHBOARD_API.messages, { unread: true, limit: 500 }),
    ...liveQueryOptions(),
  });
}

function useRecentCalls() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["switchboard-calls"],
    queryFn: () => dataProvider.get<Page<Call>>(SWITCHBOARD_API.calls, { limit: 30 }),
    ...liveQueryOptions(),
  });
}

function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Someone's availability in words, with a colour beside (never colour alone). */
export function AvailabilityChip({ value, note }: { value: string; note?: string | null }) {
  const translate = useTranslate();
  const words = translate(`office.switchboard.availability.${value}`, { _: value });
  // The words in the text's own colour (contrast on any row), the colour in a dot beside them.
  const dot = { success: "success.main", warning: "warning.main", default: "grey.500" }[
    (availabilityColour(value) ?? "default") as "success" | "warning" | "default"
  ];
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={<Box component="span" aria-hidden sx={{ width: 10, height: 10, borderRadius: "50%", bgcolor: dot }} />}
      label={note ? `${words}: ${note}` : words}
    />
  );
}

export function SwitchboardPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const directory = useDirectory();
  const unread = useUnread();
  const calls = useRecentCalls();
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [call, setCall] = useState<Call | null>(null);
  const [busy, setBusy] = useState(false);
  const [taking, setTaking] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const callerName = useRef<HTMLInputElement>(null);
  const transferButton = useRef<HTMLButtonElement>(null);
  const messageButton = useRef<HTMLButtonElement>(null);
  const messageBody = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const found = useMemo(() => (directory.data ? searchDirectory(directory.data.entries, text) : []), [directory.data, text]);
  const waiting = useMemo(() => waitingFor(unread.data?.items ?? []), [unread.data]);
  const people = useMemo(() => new Map((directory.data?.people ?? []).map((p) => [p.employee_id, p])), [directory.data]);
  const selected = selectedId ? (people.get(selectedId) ?? null) : null;
  const live = call !== null && LIVE_CALL.has(call.status);
  const lastHop = call?.path[call.path.length - 1];

  const virtualizer = useVirtualizer({
    count: found.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  // The first frame painted with the directory's rows: the measure bench/console.py reads.
  const marked = useRef(false);
  useEffect(() => {
    if (!directory.data || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark("switchboard:rows");
        performance.measure("switchboard", "switchboard:data", "switchboard:rows");
      }, 0),
    );
  }, [directory.data]);

  useEffect(() => {
    if (active >= found.length) setActive(0);
  }, [found.length, active]);

  function refresh() {
    void queryClient.invalidateQueries({ queryKey: ["switchboard-calls"] });
    void queryClient.invalidateQueries({ queryKey: ["switchboard-unread"] });
  }

  // At once, not at the next frame: what the receptionist types next must land in the search.
  function backToSearch() {
    search.current?.focus();
    search.current?.select();
  }

  /** After a call is put through or transferred: back to the search if someone has it, else to the message. */
  function afterHop(updated: Call) {
    setCall(updated);
    const hop = updated.path[updated.path.length - 1];
    if (hop?.outcome === "unavailable") {
      notify("office.switchboard.unavailable_notice", { type: "info", messageArgs: { name: hop.to_name } });
      requestAnimationFrame(() => messageButton.current?.focus());
    } else {
      notify("office.switchboard.connected_notice", { type: "success", messageArgs: { name: hop?.to_name ?? "" } });
      backToSearch();
    }
    refresh();
  }

  function choose(person: Staff | undefined) {
    if (!person) return;
    setSelectedId(person.employee_id);
    setTaking(false);
    requestAnimationFrame(() => {
      if (live) transferButton.current?.focus();
      else callerName.current?.focus();
    });
  }

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = Math.max(0, Math.min(found.length - 1, active + (event.key === "ArrowDown" ? 1 : -1)));
      setActive(next);
      virtualizer.scrollToIndex(next);
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(found[active]);
    } else if (event.key === "Escape") {
      setText("");
    }
  }

  async function logCall(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!selected || busy) return;
    const form = new FormData(event.currentTarget);
    const number = String(form.get("caller_number") ?? "").trim();
    setBusy(true);
    try {
      const created = await dataProvider.post<Call>(SWITCHBOARD_API.calls, {
        caller_name: String(form.get("caller_name") ?? "").trim(),
        caller_number: number || null,
        asked_for_employee_id: selected.employee_id,
      });
      (event.target as HTMLFormElement).reset();
      afterHop(created);
    } catch (error) {
      notify(problemText(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  async function transfer() {
    if (!call || !selected || busy) return;
    setBusy(true);
    try {
      afterHop(
        await dataProvider.post<Call>(fillPath(SWITCHBOARD_API.transfers, call.id), {
          to_employee_id: selected.employee_id,
        }),
      );
    } catch (error) {
      notify(problemText(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  async function takeMessage(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (!call || busy) return;
    const body = messageBody.current?.value.trim() ?? "";
    const callback = (document.getElementById("switchboard-callback") as HTMLInputElement | null)?.checked ?? false;
    setBusy(true);
    try {
      const ended = await dataProvider.post<Call>(fillPath(SWITCHBOARD_API.message, call.id), {
        body,
        callback_requested: callback,
      });
      notify("office.switchboard.message_taken", {
        type: "success",
        messageArgs: { name: ended.message?.for_name ?? "" },
      });
      setCall(ended);
      setTaking(false);
      backToSearch();
      refresh();
    } catch (error) {
      notify(problemText(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  async function endCall() {
    if (!call || busy) return;
    setBusy(true);
    try {
      setCall(await dataProvider.post<Call>(fillPath(SWITCHBOARD_API.end, call.id)));
      setTaking(false);
      backToSearch();
      refresh();
    } catch (error) {
      notify(problemText(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  async function setAvailability(person: Staff, availability: string) {
    try {
      await dataProvider.put(fillPath(SWITCHBOARD_API.availability, person.employee_id), { availability });
      await queryClient.invalidateQueries({ queryKey: ["switchboard-directory"] });
      notify("office.switchboard.availability_changed", {
        type: "success",
        messageArgs: { name: person.name, availability: translate(`office.switchboard.availability.${availability}`) },
      });
    } catch (error) {
      notify(problemText(error), { type: "error" });
    }
  }

  function onPageKey(event: KeyboardEvent<HTMLDivElement>) {
    if (!event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "m" && live) {
      event.preventDefault();
      setTaking(true);
      requestAnimationFrame(() => messageBody.current?.focus());
    } else if (key === "e" && live) {
      event.preventDefault();
      void endCall();
    } else if (key === "s") {
      event.preventDefault();
      backToSearch();
    }
  }

  const items = virtualizer.getVirtualItems();
  const activeId = found[active] ? `person-${found[active].employee_id}` : undefined;
  return (
    <Box onKeyDown={onPageKey} sx={{ mt: 1 }}>
      <Title title={translate("office.switchboard.title")} />
      <Typography variant="body2" id="switchboard-keys" sx={{ mb: 1 }}>
        {translate("office.switchboard.keys")}
      </Typography>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 5 }}>
          <Card variant="outlined">
            <CardContent>
              <Typography component="h2" variant="h6" id="directory-heading">
                {translate("office.switchboard.directory")}
              </Typography>
              <TextField
                inputRef={search}
                autoFocus
                fullWidth
                size="small"
                type="search"
                label={translate("office.switchboard.search")}
                value={text}
                onChange={(event) => {
                  setText(event.target.value);
                  setActive(0);
                  virtualizer.scrollToOffset(0);
                }}
                onKeyDown={onSearchKey}
                slotProps={{
                  htmlInput: {
                    role: "combobox",
                    "aria-expanded": true,
                    "aria-controls": "directory-list",
                    "aria-autocomplete": "list",
                    "aria-activedescendant": activeId,
                    "aria-describedby": "switchboard-keys",
                    autoComplete: "off",
                  },
                }}
                sx={{ my: 1 }}
              />
              {directory.isPending && <Loading />}
              {directory.error && <Failed error={directory.error} retry={() => directory.refetch()} />}
              {directory.data && (
                <>
                  <Typography variant="body2" role="status" aria-live="polite" data-testid="directory-count">
                    {translate("office.switchboard.count", {
                      smart_count: found.length,
                      total: directory.data.people.length,
                    })}
                  </Typography>
                  {/* The list is driven from the search box (↑ ↓ Enter); the scrolling box is also reachable with
                      Tab, so that a keyboard can scroll it (axe: scrollable-region-focusable). */}
                  <Box
                    ref={scroller}
                    role="region"
                    aria-labelledby="directory-heading"
                    tabIndex={0}
                    sx={{ height: 440, overflow: "auto", border: 1, borderColor: "divider", borderRadius: 1, mt: 1 }}
                  >
                    <Box
                      role="listbox"
                      id="directory-list"
                      aria-labelledby="directory-heading"
                      data-query={text}
                      data-count={found.length}
                      sx={{ position: "relative", height: virtualizer.getTotalSize() }}
                    >
                      {items.map((row) => {
                        const person = found[row.index];
                        const count = waiting.get(person.employee_id) ?? 0;
                        const isActive = row.index === active;
                        return (
                          <Box
                            key={person.employee_id}
                            id={`person-${person.employee_id}`}
                            role="option"
                            aria-selected={isActive}
                            onMouseDown={(event) => event.preventDefault()}
                            onClick={() => {
                              setActive(row.index);
                              choose(person);
                            }}
                            sx={{
                              position: "absolute",
                              top: 0,
                              left: 0,
                              right: 0,
                              height: ROW_HEIGHT,
                              transform: `translateY(${row.start}px)`,
                              px: 1.5,
                              display: "flex",
                              alignItems: "center",
                              gap: 1,
                              cursor: "pointer",
                              borderBottom: 1,
                              borderColor: "divider",
                              bgcolor: isActive ? "action.selected" : selectedId === person.employee_id ? "action.hover" : undefined,
                              outline: isActive ? "2px solid" : undefined,
                              outlineColor: "primary.main",
                              outlineOffset: -2,
                            }}
                          >
                            <Box sx={{ flex: 1, minWidth: 0 }}>
                              <Typography noWrap sx={{ fontWeight: 500 }}>
                                {person.name}
                              </Typography>
                              <Typography variant="body2" noWrap>
                                {[person.department, person.position].filter(Boolean).join(" · ")}
                                {person.extension ? ` · ${translate("office.switchboard.ext", { extension: person.extension })}` : ""}
                              </Typography>
                            </Box>
                            {count > 0 && (
                              <Chip
                                size="small"
                                color="primary"
                                label={translate("office.switchboard.waiting", { smart_count: count })}
                              />
                            )}
                            <AvailabilityChip value={person.availability} />
                          </Box>
                        );
                      })}
                    </Box>
                  </Box>
                  {found.length === 0 && <Empty message={translate("office.switchboard.nobody")} />}
                </>
              )}
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, md: 7 }}>
          <Stack spacing={2}>
            <Card variant="outlined">
              <CardContent>
                <Typography component="h2" variant="h6">
                  {live ? translate("office.switchboard.call_in_progress") : translate("office.switchboard.new_call")}
                </Typography>
                {call && (
                  <Box sx={{ my: 1 }} data-testid="current-call">
                    <Typography>
                      {translate("office.switchboard.call_from", {
                        caller: call.caller_name,
                        name: call.asked_for_name,
                      })}{" "}
                      <strong>{translate(`office.switchboard.status.${call.status}`)}</strong>
                    </Typography>
                    <CallPath call={call} />
                    {call.message && (
                      <Alert severity="info" sx={{ mt: 1 }}>
                        {translate("office.switchboard.message_for", { name: call.message.for_name })}:{" "}
                        {call.message.body}
                      </Alert>
                    )}
                  </Box>
                )}
                {!selected && !live && <Typography>{translate("office.switchboard.choose_first")}</Typography>}
                {selected && (
                  <Box sx={{ my: 1 }} data-testid="selected-person">
                    <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
                        {selected.name}
                      </Typography>
                      <AvailabilityChip value={selected.availability} note={selected.availability_note} />
                      <Typography variant="body2">
                        {[selected.department, selected.position].filter(Boolean).join(" · ")}
                        {selected.extension
                          ? ` · ${translate("office.switchboard.ext", { extension: selected.extension })}`
                          : ""}
                      </Typography>
                      <TextField
                        select
                        size="small"
                        fullWidth={false}
                        label={translate("office.switchboard.set_availability")}
                        value={selected.availability}
                        onChange={(event) => void setAvailability(selected, event.target.value)}
                        sx={{ minWidth: 180 }}
                      >
                        {AVAILABILITY.map((value) => (
                          <MenuItem key={value} value={value}>
                            {translate(`office.switchboard.availability.${value}`)}
                          </MenuItem>
                        ))}
                      </TextField>
                    </Stack>
                  </Box>
                )}
                {selected && !live && (
                  <Box component="form" onSubmit={logCall} aria-label={translate("office.switchboard.log_call")}>
                    <Stack direction={{ xs: "column", sm: "row" }} spacing={1} alignItems="flex-start">
                      <TextField
                        inputRef={callerName}
                        name="caller_name"
                        required
                        size="small"
                        label={translate("office.switchboard.caller_name")}
                        slotProps={{ htmlInput: { maxLength: 200 } }}
                      />
                      <TextField
                        name="caller_number"
                        size="small"
                        label={translate("office.switchboard.caller_number")}
                        slotProps={{ htmlInput: { maxLength: 40, inputMode: "tel" } }}
                      />
                      <Button type="submit" variant="contained" disabled={busy} sx={{ flexShrink: 0, whiteSpace: "nowrap" }}>
                        {translate("office.switchboard.put_through", { name: selected.name })}
                      </Button>
                    </Stack>
                  </Box>
                )}
                {live && (
                  <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap sx={{ mt: 1 }}>
                    <Button
                      ref={transferButton}
                      variant="contained"
                      disabled={busy || !selected || selected.employee_id === call.holder_employee_id}
                      onClick={() => void transfer()}
                    >
                      {selected
                        ? translate("office.switchboard.transfer_to", { name: selected.name })
                        : translate("office.switchboard.transfer")}
                    </Button>
                    <Button
                      ref={messageButton}
                      variant="outlined"
                      aria-keyshortcuts="Alt+M"
                      onClick={() => {
                        setTaking(true);
                        requestAnimationFrame(() => messageBody.current?.focus());
                      }}
                    >
                      {translate("office.switchboard.take_message")}
                    </Button>
                    <Button variant="outlined" color="inherit" aria-keyshortcuts="Alt+E" onClick={() => void endCall()}>
                      {translate("office.switchboard.end_call")}
                    </Button>
                  </Stack>
                )}
                {live && taking && (
                  <Box
                    component="form"
                    onSubmit={(event) => void takeMessage(event)}
                    aria-label={translate("office.switchboard.take_message")}
                    sx={{ mt: 2 }}
                  >
                    <Typography sx={{ mb: 1 }}>
                      {translate("office.switchboard.message_for", { name: lastHop?.to_name ?? call.asked_for_name })}
                    </Typography>
                    <TextField
                      inputRef={messageBody}
                      name="body"
                      required
                      multiline
                      minRows={3}
                      label={translate("office.switchboard.message")}
                      helperText={translate("office.switchboard.message_help")}
                      onKeyDown={(event) => {
                        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
                          event.preventDefault();
                          void takeMessage();
                        }
                      }}
                      slotProps={{ htmlInput: { maxLength: 5000 } }}
                    />
                    <FormControlLabel
                      control={<Checkbox id="switchboard-callback" />}
                      label={translate("office.switchboard.callback")}
                    />
                    <Button type="submit" variant="contained" disabled={busy}>
                      {translate("office.switchboard.save_message")}
                    </Button>
                  </Box>
                )}
              </CardContent>
            </Card>
            {selected && <WaitingFor person={selected} messages={unread.data?.items ?? []} />}
            <RecentCalls
              calls={calls}
              onContinue={(chosen) => {
                setCall(chosen);
                backToSearch();
              }}
            />
            <UnreadMessages unread={unread} />
          </Stack>
        </Grid>
      </Grid>
    </Box>
  );
}

function WaitingFor({ person, messages }: { person: Staff; messages: CallMessage[] }) {
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  const theirs = messages.filter((m) => m.for_employee_id === person.employee_id);
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h2" variant="h6">
          {translate("office.switchboard.waiting_for", { name: person.name })}
        </Typography>
        {theirs.length === 0 ? (
          <Typography>{translate("office.switchboard.none_waiting")}</Typography>
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {theirs.map((m) => (
              <li key={m.id}>
                {translate("office.switchboard.message_line", {
                  caller: m.caller_name,
                  when: formatDateTime(m.taken_at, locale),
                })}
                : {m.body}
              </li>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function RecentCalls({
  calls,
  onContinue,
}: {
  calls: ReturnType<typeof useRecentCalls>;
  onContinue: (call: Call) => void;
}) {
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h2" variant="h6">
          {translate("office.switchboard.recent_calls")}
        </Typography>
        {calls.isPending && <Loading />}
        {calls.error && <Failed error={calls.error} retry={() => calls.refetch()} />}
        {calls.data && calls.data.items.length === 0 && <Empty message={translate("office.switchboard.no_calls")} />}
        {calls.data && calls.data.items.length > 0 && (
          <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none" }} data-testid="recent-calls">
            {calls.data.items.map((c) => (
              <Box component="li" key={c.id} sx={{ py: 1, borderBottom: 1, borderColor: "divider" }} data-call={c.id}>
                <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                  <Typography variant="body2">{timeOf(c.received_at, locale)}</Typography>
                  <Typography>
                    {translate("office.switchboard.call_from", { caller: c.caller_name, name: c.asked_for_name })}
                  </Typography>
                  <Chip size="small" label={translate(`office.switchboard.status.${c.status}`)} />
                  {LIVE_CALL.has(c.status) && (
                    <Button size="small" onClick={() => onContinue(c)}>
                      {translate("office.switchboard.continue")}
                    </Button>
                  )}
                </Stack>
                <CallPath call={c} />
                {c.message && (
                  <Typography variant="body2">
                    {translate("office.switchboard.message_for", { name: c.message.for_name })}: {c.message.body}{" "}
                    ({translate(c.message.read_at ? "office.switchboard.read" : "office.switchboard.not_read")})
                  </Typography>
                )}
              </Box>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function UnreadMessages({ unread }: { unread: ReturnType<typeof useUnread> }) {
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h2" variant="h6">
          {translate("office.switchboard.unread_messages", { smart_count: unread.data?.total ?? 0 })}
        </Typography>
        {unread.isPending && <Loading />}
        {unread.error && <Failed error={unread.error} retry={() => unread.refetch()} />}
        {unread.data && unread.data.items.length === 0 && <Empty message={translate("office.switchboard.all_read")} />}
        {unread.data && unread.data.items.length > 0 && (
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {unread.data.items.map((m) => (
              <li key={m.id}>
                <strong>{m.for_name}</strong>:{" "}
                {translate("office.switchboard.message_line", {
                  caller: m.caller_name,
                  when: formatDateTime(m.taken_at, locale),
                })}
                : {m.body}
              </li>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
