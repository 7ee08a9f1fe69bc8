import { useState, type FormEvent, type ReactNode } from "react";
import { Link as RouterLink, useParams } from "react-router-dom";
import {

  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Grid,
  Link,
  MenuItem,
  Paper,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import LockIcon from "@mui/icons-material/Lock";
import ReplyIcon from "@mui/icons-material/Reply";
import { Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { liveQueryOptions, useNow } from "../../components/live";
import { Empty, Failed, Loading } from "../../components/States";
import { useFormat } from "../self/common";
import { Countdown } from "./clock";
import { noteBody, replyBody, type NoteBody, type ReplyBody } from "./composer";
import { formatSpan } from "./sla";
import {
  TICKETS_API,
  type Agent,
  type Asset,
  type CannedPreview,
  type CannedResponse,
  type DeskComment,
  type DeskTicket,
  type HistoryEntry,
  type Page,
  type Person,
  type SearchHit,
} from "./resources";

/** An agent's moves, as the helpdesk allows them (helpdesk tickets/working.py TRANSITIONS). */
const MOVES: Record<string, string[]> = {
  new: ["open", "pending", "on_hold", "resolved"],
  open: ["pending", "on_hold", "resolved"],
  pending: ["open", "on_hold", "resolved"],
  on_hold: ["open", "pending", "resolved"],
  resolved: ["open", "closed"],
  closed: [],
};

function errorText(caught: unknown) {
  return caught instanceof Error ? caught.message : String(caught);
}

/** One ticket as its agents work it: conversation, the two composers, status, assignment, attachments, history. */
export function TicketScreen() {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const queryClient = useQueryClient();
  const ticket = useQuery({
    queryKey: ["desk", "ticket", id],
    queryFn: () => dataProvider.get<DeskTicket>(fillPath(TICKETS_API.ticket, id)),
    ...liveQueryOptions(),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["desk"] });
  if (ticket.isPending) return <Loading />;
  if (ticket.error || !ticket.data) return <Failed error={ticket.error} retry={() => ticket.refetch()} />;
  const record = ticket.data;
  const title = `${record.reference}: ${record.subject}`;
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={title} />
      <Link component={RouterLink} to="/desk_tickets">
        {translate("desk.tickets.ticket.back")}
      </Link>
      <Summary ticket={record} title={title} />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 7 }}>
          <Stack spacing={2}>
            <Conversation ticket={record} />
            {record.status !== "closed" && (
              <>
                <ReplyComposer ticket={record} onSent={refresh} />
                <NoteComposer ticket={record} onSent={refresh} />
              </>
            )}
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Stack spacing={2}>
            <SlaPanel ticket={record} />
            <StatusPanel ticket={record} onChanged={refresh} />
            <AssignPanel ticket={record} onChanged={refresh} />
            {(record.kind === "onboarding" || record.kind === "offboarding") && record.about_employee_id && (
              <PersonPanel ticket={record} employeeId={record.about_employee_id} />
            )}
            <AttachmentsPanel ticket={record} onChanged={refresh} />
            <HistoryPanel ticket={record} />
          </Stack>
        </Grid>
      </Grid>
    </Stack>
  );
}

function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <Card component="section" aria-labelledby={id}>
      <CardContent>
        <Typography component="h2" variant="h6" id={id} gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function Summary({ ticket, title }: { ticket: DeskTicket; title: string }) {
  const translate = useTranslate();
  const format = useFormat();
  const label = (group: string, value: string) => translate(`desk.tickets.choices.${group}.${value}`, { _: value });
  return (
    <Card>
      <CardContent>
        <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
          <Typography component="h1" variant="h5">
            {title}
          </Typography>
          <Chip label={label("status", ticket.status)} data-testid="ticket-status" />
          <Chip label={label("priority", ticket.priority)} variant="outlined" />
        </Stack>
        <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.5, mt: 2 }}>
          <dt>{translate("desk.tickets.fields.kind")}</dt>
          <dd>{label("kind", ticket.kind)}</dd>
          <dt>{translate("desk.tickets.fields.category")}</dt>
          <dd>{label("category", ticket.category)}</dd>
          <dt>{translate("desk.tickets.fields.requester")}</dt>
          <dd>{ticket.requester_name ?? ticket.requester_employee_id ?? "—"}</dd>
          <dt>{translate("desk.tickets.fields.assignee")}</dt>
          <dd>{ticket.assignee_name ?? translate("desk.tickets.ticket.unassigned")}</dd>
          <dt>{translate("desk.tickets.fields.opened_at")}</dt>
          <dd>{format.moment(ticket.opened_at)}</dd>
        </Box>
        {ticket.description && (
          <Box sx={{ mt: 2 }}>
            <Typography component="h2" variant="subtitle2">
              {translate("desk.tickets.ticket.description")}
            </Typography>
            <Typography sx={{ whiteSpace: "pre-wrap" }}>{ticket.description}</Typography>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function SlaPanel({ ticket }: { ticket: DeskTicket }) {
  const translate = useTranslate();
  const now = useNow();
  const sla = ticket.sla;
  const pausedNow = sla?.paused && sla.paused_since ? Math.max(0, (now.getTime() - Date.parse(sla.paused_since)) / 1000) : 0;
  return (
    <Section title={translate("desk.tickets.ticket.sla")} id="sla-title">
      <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.5, m: 0 }}>
        <dt>{translate("desk.tickets.fields.first_response")}</dt>
        <dd data-testid="first-response-clock">
          <Countdown sla={sla} clock={sla?.first_response} now={now} />
        </dd>
        <dt>{translate("desk.tickets.fields.resolution")}</dt>
        <dd data-testid="resolution-clock">
          <Countdown sla={sla} clock={sla?.resolution} now={now} />
        </dd>
      </Box>
      {sla && (sla.paused || sla.paused_wall_seconds > 0) && (
        <Typography variant="body2" color="text.secondary" data-testid="paused-total">
          {translate("desk.tickets.clock.total_paused", {
            // the API's total counts the pause under way up to its answer; count on from the pause's start
            span: formatSpan(sla.paused ? Math.max(sla.paused_wall_seconds, pausedNow) : sla.paused_wall_seconds),
          })}
        </Typography>
      )}
    </Section>
  );
}

function Conversation({ ticket }: { ticket: DeskTicket }) {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const comments = useQuery({
    queryKey: ["desk", "ticket-comments", ticket.id],
    queryFn: () => dataProvider.get<Page<DeskComment>>(fillPath(TICKETS_API.comments, ticket.id), { limit: 200 }),
    ...liveQueryOptions(),
  });
  const items = [...(comments.data?.items ?? [])].reverse(); // oldest first, as a conversation reads
  return (
    <Section title={translate("desk.tickets.ticket.conversation")} id="conversation-title">
      {comments.isPending ? (
        <Loading />
      ) : comments.error ? (
        <Failed error={comments.error} retry={() => comments.refetch()} />
      ) : items.length === 0 ? (
        <Empty message={translate("desk.tickets.ticket.no_replies")} />
      ) : (
        <Stack component="ol" spacing={1} sx={{ listStyle: "none", p: 0, m: 0 }}>
          {items.map((comment) => (
            <Paper
              component="li"
              key={comment.id}
              variant="outlined"
              data-comment={comment.internal ? "note" : "reply"}
              sx={
                comment.internal
                  ? { p: 1.5, bgcolor: "#fff8e1", borderColor: "#8d6e00", borderStyle: "dashed" }
                  : { p: 1.5 }
              }
            >
              <Stack direction="row" spacing={1} alignItems="center">
                {comment.internal ? <LockIcon fontSize="small" aria-hidden /> : <ReplyIcon fontSize="small" aria-hidden />}
                <Typography variant="subtitle2" component="p">
                  {translate(comment.internal ? "desk.tickets.ticket.internal_note" : "desk.tickets.ticket.public_reply")}
                  {" · "}
                  {translate("desk.tickets.ticket.wrote", {
                    who: comment.author_name,
                    when: format.moment(comment.created_at),
                  })}
                </Typography>
              </Stack>
              <Typography sx={{ whiteSpace: "pre-wrap", mt: 0.5 }}>{comment.body}</Typography>
            </Paper>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** Posts what a composer built: each composer passes only the body its own function makes. */
function usePostComment(ticket: DeskTicket) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return (body: ReplyBody | NoteBody) => dataProvider.post(fillPath(TICKETS_API.comments, ticket.id), body);
}

/** The public reply, written or from a canned response previewed with this ticket's details. */
function ReplyComposer({ ticket, onSent }: { ticket: DeskTicket; onSent: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const post = usePostComment(ticket);
  const [text, setText] = useState("");
  const [cannedId, setCannedId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const canned = useQuery({
    queryKey: ["desk", "canned"],
    queryFn: () => dataProvider.get<Page<CannedResponse>>(TICKETS_API.canned, { limit: 100 }),
  });

  async function pick(id: string) {
    setCannedId(id);
    if (!id) return;
    try {
      const preview = await dataProvider.get<CannedPreview>(fillPath(TICKETS_API.cannedPreview, ticket.id, id));
      setText(preview.body);
      setError(undefined);
    } catch (caught) {
      notify(errorText(caught), { type: "error" });
    }
  }

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) {
      setError(translate("ra.validation.required"));
      return;
    }
    setBusy(true);
    try {
      await post(replyBody(text));
      setText("");
      setCannedId("");
      setError(undefined);
      notify("desk.tickets.ticket.replied", { type: "success" });
      await onSent();
    } catch (caught) {
      setError((caught as { body?: { errors?: { body?: string } } }).body?.errors?.body);
      notify(errorText(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card component="section" aria-labelledby="reply-title" sx={{ borderTop: 4, borderColor: "primary.main" }}>
      <CardContent>
        <Typography component="h2" variant="h6" id="reply-title">
          {translate("desk.tickets.ticket.reply_title")}
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {translate("desk.tickets.ticket.reply_hint")}
        </Typography>
        <Box component="form" onSubmit={send} noValidate>
          <TextField
            select
            size="small"
            label={translate("desk.tickets.ticket.canned")}
            value={cannedId}
            onChange={(event) => pick(event.target.value)}
            sx={{ minWidth: 260, mb: 1 }}
            helperText={cannedId ? translate("desk.tickets.ticket.canned_preview") : undefined}
          >
            <MenuItem value="">{translate("desk.tickets.ticket.canned_none")}</MenuItem>
            {(canned.data?.items ?? []).map((item) => (
              <MenuItem key={item.id} value={item.id}>
                {item.title}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            name="reply"
            label={translate("desk.tickets.ticket.reply_label")}
            value={text}
            onChange={(event) => setText(event.target.value)}
            error={Boolean(error)}
            helperText={error}
            multiline
            minRows={3}
            fullWidth
            required
          />
          <Button type="submit" variant="contained" startIcon={<ReplyIcon />} sx={{ mt: 1 }} disabled={busy}>
            {translate("desk.tickets.ticket.send_reply")}
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
}

/** The internal note: its own form, colour and button; it can only ever build a note (composer.ts). */
function NoteComposer({ ticket, onSent }: { ticket: DeskTicket; onSent: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const post = usePostComment(ticket);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) {
      setError(translate("ra.validation.required"));
      return;
    }
    setBusy(true);
    try {
      await post(noteBody(text));
      setText("");
      setError(undefined);
      notify("desk.tickets.ticket.noted", { type: "success" });
      await onSent();
    } catch (caught) {
      notify(errorText(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper
      component="section"
      aria-labelledby="note-title"
      variant="outlined"
      sx={{ p: 2, bgcolor: "#fff8e1", borderColor: "#8d6e00", borderStyle: "dashed", borderWidth: 2 }}
    >
      <Stack direction="row" spacing={1} alignItems="center">
        <LockIcon aria-hidden />
        <Typography component="h2" variant="h6" id="note-title">
          {translate("desk.tickets.ticket.note_title")}
        </Typography>
      </Stack>
      <Box component="form" onSubmit={send} noValidate sx={{ mt: 1 }}>
        <TextField
          name="note"
          label={translate("desk.tickets.ticket.note_label")}
          value={text}
          onChange={(event) => setText(event.target.value)}
          error={Boolean(error)}
          helperText={error}
          multiline
          minRows={2}
          fullWidth
          required
          sx={{ bgcolor: "background.paper" }}
        />
        <Button type="submit" variant="outlined" color="inherit" startIcon={<LockIcon />} sx={{ mt: 1 }} disabled={busy}>
          {translate("desk.tickets.ticket.add_note")}
        </Button>
      </Box>
    </Paper>
  );
}

function StatusPanel({ ticket, onChanged }: { ticket: DeskTicket; onChanged: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [busy, setBusy] = useState(false);
  const moves = MOVES[ticket.status] ?? [];

  async function move(status: string) {
    setBusy(true);
    try {
      await dataProvider.post(fillPath(TICKETS_API.status, ticket.id), { status });
      notify("desk.tickets.ticket.status_changed", { type: "success" });
      await onChanged();
    } catch (caught) {
      notify(errorText(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={translate("desk.tickets.ticket.status_title")} id="status-title">
      <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
        {moves.map((status) => (
          <Button
            key={status}
            variant={status === "resolved" ? "contained" : "outlined"}
            disabled={busy}
            onClick={() => move(status)}
          >
            {translate(`desk.tickets.ticket.actions.${status}`)}
          </Button>
        ))}
      </Stack>
    </Section>
  );
}

function AssignPanel({ ticket, onChanged }: { ticket: DeskTicket; onChanged: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [choice, setChoice] = useState("");
  const [busy, setBusy] = useState(false);
  const agents = useQuery({
    queryKey: ["desk", "agents"],
    queryFn: () => dataProvider.get<Page<Agent>>(TICKETS_API.agents, { limit: 100 }),
  });

  async function assign(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await dataProvider.post(fillPath(TICKETS_API.assignee, ticket.id), choice ? { employee_id: choice } : {});
      notify("desk.tickets.ticket.assigned", { type: "success" });
      await onChanged();
    } catch (caught) {
      notify(errorText(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  if (ticket.status === "closed") return null;
  return (
    <Section title={translate("desk.tickets.ticket.assign_title")} id="assign-title">
      <Box component="form" onSubmit={assign} sx={{ display: "flex", gap: 1, flexWrap: "wrap", alignItems: "center" }}>
        <TextField
          select
          size="small"
          label={translate("desk.tickets.ticket.assign_to")}
          value={choice}
          onChange={(event) => setChoice(event.target.value)}
          sx={{ minWidth: 260 }}
        >
          <MenuItem value="">{translate("desk.tickets.ticket.round_robin")}</MenuItem>
          {(agents.data?.items ?? []).map((agent) => (
            <MenuItem key={agent.employee_id} value={agent.employee_id} disabled={!agent.available}>
              {agent.available
                ? translate("desk.tickets.ticket.agent_option", { name: agent.name, open: agent.open_tickets })
                : translate("desk.tickets.ticket.agent_away", { name: agent.name })}
            </MenuItem>
          ))}
        </TextField>
        <Button type="submit" variant="outlined" disabled={busy}>
          {translate("desk.tickets.ticket.assign")}
        </Button>
      </Box>
    </Section>
  );
}

function PersonPanel({ ticket, employeeId }: { ticket: DeskTicket; employeeId: string }) {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const person = useQuery({
    queryKey: ["desk", "person", employeeId],
    queryFn: () => dataProvider.get<Person>(fillPath(TICKETS_API.person, employeeId)),
  });
  const held = useQuery({
    queryKey: ["desk", "assets", employeeId],
    queryFn: () => dataProvider.get<Page<Asset>>(TICKETS_API.assets, { employee_id: employeeId, limit: 100 }),
    enabled: ticket.kind === "onboarding",
  });
  const leaving = ticket.kind === "offboarding";
  const equipment = leaving
    ? (ticket.assets_to_return ?? []).map((a) => ({ id: a.id, tag: a.tag, type: a.type, model: a.model, serial: a.serial }))
    : (held.data?.items ?? []).map((a) => ({ id: a.id, tag: a.tag, type: a.type, model: a.model, serial: a.serial }));
  return (
    <Section title={translate("desk.tickets.ticket.person")} id="person-title">
      {person.isPending ? (
        <Loading />
      ) : person.error || !person.data ? (
        <Failed error={person.error} retry={() => person.refetch()} />
      ) : (
        <Box>
          <Typography sx={{ fontWeight: 600 }}>{person.data.name}</Typography>
          <Typography variant="body2">
            {[person.data.position, person.data.department].filter(Boolean).join(", ")}
          </Typography>
          <Typography variant="body2">{person.data.email}</Typography>
          <Typography variant="body2">
            {leaving && person.data.end_date
              ? translate("desk.tickets.ticket.leaves", { day: format.day(person.data.end_date) })
              : translate("desk.tickets.ticket.starts", { day: format.day(person.data.start_date) })}
          </Typography>
        </Box>
      )}
      <Typography component="h3" variant="subtitle2" sx={{ mt: 2 }}>
        {translate(leaving ? "desk.tickets.ticket.equipment_collect" : "desk.tickets.ticket.equipment_hand_over")}
      </Typography>
      {equipment.length === 0 ? (
        <Typography variant="body2">{translate("desk.tickets.ticket.no_equipment")}</Typography>
      ) : (
        <Box component="ul" sx={{ pl: 2, m: 0 }}>
          {equipment.map((asset) => (
            <li key={asset.id}>
              {asset.tag}: {asset.type} {asset.model} ({asset.serial})
            </li>
          ))}
        </Box>
      )}
    </Section>
  );
}

function AttachmentsPanel({ ticket, onChanged }: { ticket: DeskTicket; onChanged: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [words, setWords] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);

  async function search(event: FormEvent) {
    event.preventDefault();
    if (!words.trim()) return;
    try {
      const page = await dataProvider.get<Page<SearchHit>>(TICKETS_API.docsSearch, { q: words, limit: 10 });
      setHits(page.items);
    } catch (caught) {
      notify(errorText(caught), { type: "error" });
    }
  }

  async function attach(documentId: string) {
    try {
      await dataProvider.post(fillPath(TICKETS_API.attachments, ticket.id), { document_ids: [documentId] });
      notify("desk.tickets.ticket.attached", { type: "success" });
      setHits(null);
      setWords("");
      await onChanged();
    } catch (caught) {
      notify(errorText(caught), { type: "error" });
    }
  }

  return (
    <Section title={translate("desk.tickets.ticket.attachments")} id="attachments-title">
      {ticket.attachments.length === 0 ? (
        <Typography variant="body2">{translate("desk.tickets.ticket.no_attachments")}</Typography>
      ) : (
        <Box component="ul" sx={{ pl: 2, mt: 0 }}>
          {ticket.attachments.map((documentId) => (
            <li key={documentId}>{documentId}</li>
          ))}
        </Box>
      )}
      {ticket.status !== "closed" && (
        <Box component="form" onSubmit={search} sx={{ display: "flex", gap: 1, mt: 1 }}>
          <TextField
            size="small"
            label={translate("desk.tickets.ticket.find_document")}
            value={words}
            onChange={(event) => setWords(event.target.value)}
          />
          <Button type="submit" variant="outlined">
            {translate("desk.tickets.ticket.search")}
          </Button>
        </Box>
      )}
      {hits !== null &&
        (hits.length === 0 ? (
          <Typography variant="body2" sx={{ mt: 1 }}>
            {translate("desk.tickets.ticket.no_documents")}
          </Typography>
        ) : (
          <Stack component="ul" spacing={1} sx={{ listStyle: "none", p: 0, mt: 1 }}>
            {hits.map((hit) => (
              <Stack component="li" direction="row" key={hit.document.id} spacing={1} alignItems="center">
                <Typography variant="body2" sx={{ flex: 1 }}>
                  {hit.document.title}
                </Typography>
                <Button size="small" onClick={() => attach(hit.document.id)}>
                  {translate("desk.tickets.ticket.attach")}
                </Button>
              </Stack>
            ))}
          </Stack>
        ))}
    </Section>
  );
}

function HistoryPanel({ ticket }: { ticket: DeskTicket }) {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const history = useQuery({
    queryKey: ["desk", "ticket-history", ticket.id, ticket.updated_at],
    queryFn: () => dataProvider.get<Page<HistoryEntry>>(fillPath(TICKETS_API.history, ticket.id), { limit: 100 }),
  });
  const label = (entry: HistoryEntry) => {
    const detail = entry.detail as Record<string, unknown>;
    if (entry.action === "status" && typeof detail.before === "string" && typeof detail.after === "string") {
      const status = (value: string) => translate(`desk.tickets.choices.status.${value}`, { _: value });
      return `${status(detail.before)} → ${status(detail.after)}`;
    }
    if (entry.action === "priority" && typeof detail.before === "string" && typeof detail.after === "string") {
      const priority = (value: string) => translate(`desk.tickets.choices.priority.${value}`, { _: value });
      return `${priority(detail.before)} → ${priority(detail.after)}`;
    }
    return translate(`desk.tickets.ticket.actions_done.${entry.action}`, { _: entry.action.replace(/_/g, " ") });
  };
  return (
    <Section title={translate("desk.tickets.ticket.history")} id="history-title">
      {history.isPending ? (
        <Loading />
      ) : history.error ? (
        <Failed error={history.error} retry={() => history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <Empty message={translate("desk.tickets.ticket.no_history")} />
      ) : (
        <Box component="ol" sx={{ pl: 2, m: 0 }}>
          {history.data.items.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <Typography variant="body2">
                {format.moment(entry.at)} ·{" "}
                {entry.by_actor?.name === "system" || !entry.by_actor?.name
                  ? translate("desk.tickets.ticket.system")
                  : entry.by_actor.name}{" "}
                · {label(entry)}
              </Typography>
            </li>
          ))}
        </Box>
      )}
    </Section>
  );
}
