/**
 * One document for the office: its PDF shown in the page, its versions (upload the next one, download any), a
 * copy to another folder, its tags, who has access to it, sending it by e-mail or fax with each delivery's status
 * and retries (polled: components/live.ts), its retention and legal hold, and its audit trail.
 */
import { useState, type ReactNode } from "react";
import {
  Alert,
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
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { Confirm, Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink, useParams } from "react-router-dom";
import { api, call } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { Problem } from "../../api/problems";
import { formatDateTime, formatNumber } from "../../format";
import { liveQueryOptions } from "../../components/live";
import { Empty, Failed, Loading } from "../../components/States";
import { PdfDocument } from "../self/common";
import {
  DOCS_API,
  type AuditEntry,
  type Delivery,
  type DocumentAccess,
  type DocumentRead,
  type DocumentVersion,
} from "./resources";
import { Uploader, useFolders } from "./documents";
import { visuallyHidden } from "../../components/a11y";
import type { Page } from "../../providers/dataProvider";

const T = "office.documents";

// Read by screen readers, not shown (the column of the download buttons has a name).
function message(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Card component="section" aria-labelledby={id}>
      <CardContent>
        <Typography variant="h6" component="h2" id={id} sx={{ mb: 1 }}>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function useMoment() {
  const [locale = "en"] = useLocaleState();
  return (value: string | null | undefined) => formatDateTime(value, locale);
}

/** Saves a version's file: fetched with the session's token, then handed to the browser from an object URL. */
async function download(documentId: string, version: DocumentVersion) {
  const response = await call(fillPath(DOCS_API.content, documentId), { query: { version: version.number } });
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = version.filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Versions({ doc, mayChange, onChanged }: { doc: DocumentRead; mayChange: boolean; onChanged: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const moment = useMoment();
  const [locale = "en"] = useLocaleState();
  const versions = useQuery({
    queryKey: ["office", "versions", doc.id, doc.current_version],
    queryFn: () => api<Page<DocumentVersion>>(fillPath(DOCS_API.versions, doc.id)),
  });
  return (
    <Section title={translate(`${T}.versions`)} id="versions-heading">
      {versions.isPending ? (
        <Loading />
      ) : versions.error ? (
        <Failed error={versions.error} retry={() => void versions.refetch()} />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate(`${T}.version_column`)}</TableCell>
              <TableCell>{translate(`${T}.file_column`)}</TableCell>
              <TableCell align="right">{translate(`${T}.size_column`)}</TableCell>
              <TableCell>{translate(`${T}.filed_column`)}</TableCell>
              <TableCell>
                <Box component="span" sx={visuallyHidden}>
                  {translate(`${T}.download`)}
                </Box>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {versions.data.items.map((v) => (
              <TableRow key={v.number}>
                <TableCell>{v.number}</TableCell>
                <TableCell>{v.filename}</TableCell>
                <TableCell align="right">
                  {translate(`${T}.kilobytes`, { size: formatNumber(String(v.size / 1024), locale, 1) })}
                </TableCell>
                <TableCell>
                  {moment(v.created_at)} · {v.created_by_actor?.name ?? v.created_by}
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() =>
                      download(doc.id, v).catch((caught) => notify(message(caught), { type: "error" }))
                    }
                    aria-label={translate(`${T}.download_version`, { number: v.number })}
                  >
                    {translate(`${T}.download`)}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {mayChange && doc.status === "active" && (
        <Box sx={{ mt: 2 }}>
          <Uploader
            path={fillPath(DOCS_API.versions, doc.id)}
            fields={{}}
            label={translate(`${T}.drop_version`)}
            onUploaded={() => {
              notify(translate(`${T}.version_added`), { type: "success" });
              onChanged();
            }}
          />
        </Box>
      )}
    </Section>
  );
}

function Tags({ doc, mayChange, onChanged }: { doc: DocumentRead; mayChange: boolean; onChanged: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [tag, setTag] = useState("");
  async function save(tags: string[]) {
    try {
      await api(fillPath(DOCS_API.document, doc.id), { method: "PATCH", body: { tags } });
      setTag("");
      onChanged();
    } catch (caught) {
      notify(message(caught), { type: "error" });
    }
  }
  return (
    <Section title={translate(`${T}.tags`)} id="tags-heading">
      <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap sx={{ mb: 1 }}>
        {doc.tags.length === 0 && <Typography variant="body2">{translate(`${T}.no_tags`)}</Typography>}
        {doc.tags.map((t) => (
          <Chip
            key={t}
            label={t}
            onDelete={mayChange ? () => void save(doc.tags.filter((x) => x !== t)) : undefined}
          />
        ))}
      </Stack>
      {mayChange && (
        <Box
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (tag.trim()) void save([...doc.tags, tag.trim()]);
          }}
          sx={{ display: "flex", gap: 1, alignItems: "center" }}
        >
          <TextField
            size="small"
            label={translate(`${T}.new_tag`)}
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            sx={{ width: 260 }}
          />
          <Button type="submit" disabled={!tag.trim()} sx={{ whiteSpace: "nowrap" }}>
            {translate(`${T}.add_tag`)}
          </Button>
        </Box>
      )}
    </Section>
  );
}

function CopyTo({ doc, onCopied }: { doc: DocumentRead; onCopied: () => void }) {
  const translate = useTranslate();
  const folders = useFolders();
  const [target, setTarget] = useState("");
  const [copied, setCopied] = useState<DocumentRead | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function copy() {
    setError(null);
    setCopied(null);
    try {
      setCopied(await api<DocumentRead>(fillPath(DOCS_API.copy, doc.id), { method: "POST", body: { folder_id: target } }));
      onCopied();
    } catch (caught) {
      setError(message(caught));
    }
  }
  const others = (folders.data?.items ?? []).filter((f) => f.id !== doc.folder_id);
  return (
    <Section title={translate(`${T}.copy`)} id="copy-heading">
      <Stack direction="row" spacing={1} alignItems="flex-start">
        <TextField
          select
          size="small"
          label={translate(`${T}.copy_to`)}
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          sx={{ minWidth: 260 }}
        >
          {others.map((f) => (
            <MenuItem key={f.id} value={f.id}>
              {f.path}
            </MenuItem>
          ))}
        </TextField>
        <Button variant="outlined" onClick={copy} disabled={!target}>
          {translate(`${T}.copy_action`)}
        </Button>
      </Stack>
      {copied && (
        <Alert severity="success" sx={{ mt: 1 }}>
          {translate(`${T}.copied`, {
            path: folders.data?.items.find((f) => f.id === copied.folder_id)?.path ?? "",
          })}{" "}
          <Link component={RouterLink} to={`/office/documents/${encodeURIComponent(copied.id)}`}>
            {translate(`${T}.open_copy`)}
          </Link>
        </Alert>
      )}
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      )}
    </Section>
  );
}

function AccessPanel({ access }: { access: DocumentAccess }) {
  const translate = useTranslate();
  const rows: [string, ReactNode][] = [
    [translate(`${T}.owner`), access.owner_user_id_actor?.name ?? access.owner_user_id],
    [
      translate(`${T}.roles`),
      access.roles.length ? access.roles.map((r) => translate(`app.roles.${r}`, { _: r })).join(", ") : "—",
    ],
    [translate(`${T}.employee`), access.employee_id ? (access.employee_name ?? access.employee_id) : "—"],
    [
      translate(`${T}.ticket_readers`),
      access.ticket_readers.length
        ? access.ticket_readers.map((r) => `${r.name ?? r.reader} (${r.ticket_id})`).join(", ")
        : "—",
    ],
    [translate(`${T}.admins`), translate(`${T}.admins_always`)],
  ];
  return (
    <Section title={translate(`${T}.access`)} id="access-heading">
      <Table size="small">
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row" sx={{ width: 220 }}>
                {label}
              </TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="body2" sx={{ mt: 1 }}>
        {translate(access.you_may_change ? `${T}.you_change` : `${T}.you_read`)}
      </Typography>
    </Section>
  );
}

const STATUS_COLOURS: Record<string, "default" | "info" | "success" | "error" | "warning"> = {
  queued: "info",
  sent: "warning",
  delivered: "success",
  failed: "error",
};

function Send({ doc, onSent }: { doc: DocumentRead; onSent: () => void }) {
  const translate = useTranslate();
  const moment = useMoment();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<"email" | "fax">("email");
  const [address, setAddress] = useState("");
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const key = ["office", "deliveries", doc.id];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => api<Page<Delivery>>(fillPath(DOCS_API.deliveries, doc.id), { query: { limit: 50 } }),
    ...liveQueryOptions(),
  });
  async function send() {
    setErrors({});
    setError(null);
    try {
      await api(fillPath(DOCS_API.deliveries, doc.id), {
        method: "POST",
        body: { recipients: [{ channel, address, name: name || null }], subject: doc.title, message: text },
      });
      setAddress("");
      setText("");
      void queryClient.invalidateQueries({ queryKey: key });
      onSent();
    } catch (caught) {
      const problem = (caught as { body?: { problem?: Problem } }).body?.problem;
      const byField: Record<string, string> = {};
      for (const { field, message: words } of problem?.errors ?? []) byField[field.split(".").pop() ?? field] = words;
      setErrors(byField);
      if (!byField.address) setError(message(caught));
    }
  }
  return (
    <Section title={translate(`${T}.send`)} id="send-heading">
      <Box
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Stack direction={{ xs: "column", md: "row" }} spacing={1} alignItems="flex-start">
          <TextField
            select
            size="small"
            label={translate(`${T}.channel`)}
            value={channel}
            onChange={(event) => setChannel(event.target.value as "email" | "fax")}
            sx={{ minWidth: 140 }}
          >
            <MenuItem value="email">{translate(`${T}.channels.email`)}</MenuItem>
            <MenuItem value="fax">{translate(`${T}.channels.fax`)}</MenuItem>
          </TextField>
          <TextField
            size="small"
            required
            label={translate(channel === "email" ? `${T}.email_address` : `${T}.fax_number`)}
            value={address}
            onChange={(event) => setAddress(event.target.value)}
            error={Boolean(errors.address)}
            helperText={errors.address ?? " "}
          />
          <TextField size="small" label={translate(`${T}.recipient_name`)} value={name} onChange={(e) => setName(e.target.value)} />
        </Stack>
        <TextField
          fullWidth
          multiline
          minRows={2}
          size="small"
          label={translate(`${T}.message`)}
          value={text}
          onChange={(event) => setText(event.target.value)}
          sx={{ my: 1 }}
        />
        <Button type="submit" variant="contained" disabled={!address.trim()}>
          {translate(`${T}.send_action`)}
        </Button>
        {error && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {error}
          </Alert>
        )}
      </Box>
      <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
        {translate(`${T}.deliveries`)}
      </Typography>
      {deliveries.isPending ? (
        <Loading />
      ) : deliveries.error ? (
        <Failed error={deliveries.error} retry={() => void deliveries.refetch()} />
      ) : deliveries.data.items.length === 0 ? (
        <Empty message={translate(`${T}.no_deliveries`)} />
      ) : (
        <Table size="small" aria-live="polite">
          <TableHead>
            <TableRow>
              <TableCell>{translate(`${T}.recipient`)}</TableCell>
              <TableCell>{translate(`${T}.status`)}</TableCell>
              <TableCell align="right">{translate(`${T}.attempts`)}</TableCell>
              <TableCell>{translate(`${T}.next_attempt`)}</TableCell>
              <TableCell>{translate(`${T}.last_error`)}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {deliveries.data.items.map((d) => (
              <TableRow key={d.id} data-testid="delivery">
                <TableCell>
                  {translate(`${T}.channels.${d.channel}`)}: {d.recipient_name ? `${d.recipient_name} <${d.recipient}>` : d.recipient}
                </TableCell>
                <TableCell>
                  <Chip
                    size="small"
                    color={STATUS_COLOURS[d.status] ?? "default"}
                    label={translate(`${T}.delivery_status.${d.status}`, { _: d.status })}
                  />
                </TableCell>
                <TableCell align="right">{d.attempts}</TableCell>
                <TableCell>
                  {d.status === "queued" || d.status === "sent" ? moment(d.next_attempt_at) : moment(d.finished_at)}
                </TableCell>
                <TableCell>{d.last_error ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

function Retention({
  doc,
  access,
  onChanged,
}: {
  doc: DocumentRead;
  access: DocumentAccess;
  onChanged: () => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const moment = useMoment();
  const [reason, setReason] = useState("");
  const [confirm, setConfirm] = useState<"trash" | "restore" | null>(null);
  const r = access.retention;
  async function hold(on: boolean) {
    try {
      await api(fillPath(DOCS_API.legalHold, doc.id), { method: "PUT", body: { hold: on, reason } });
      setReason("");
      onChanged();
    } catch (caught) {
      notify(message(caught), { type: "error" });
    }
  }
  async function trash(action: "trash" | "restore") {
    setConfirm(null);
    try {
      await api(fillPath(action === "trash" ? DOCS_API.trash : DOCS_API.restore, doc.id), { method: "POST" });
      onChanged();
    } catch (caught) {
      notify(message(caught), { type: "error" });
    }
  }
  return (
    <Section title={translate(`${T}.retention`)} id="retention-heading">
      <Stack spacing={1}>
        <Typography variant="body2">
          {r.trash_after_days === null
            ? translate(`${T}.no_policy`, { type: doc.type })
            : translate(`${T}.policy`, {
                type: doc.type,
                trash: r.trash_after_days,
                delete: r.delete_after_days ?? "",
              })}
        </Typography>
        {r.legal_hold ? (
          <Alert severity="warning">{translate(`${T}.held`)}</Alert>
        ) : (
          <Typography variant="body2">
            {translate(`${T}.trash_on`, { when: r.trash_on ? moment(r.trash_on) : translate(`${T}.never`) })}
            {" · "}
            {translate(`${T}.delete_on`, { when: r.delete_on ? moment(r.delete_on) : translate(`${T}.never`) })}
          </Typography>
        )}
        {access.you_may_hold ? (
          <Stack direction="row" spacing={1} alignItems="flex-start">
            <TextField
              size="small"
              label={translate(`${T}.hold_reason`)}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
            <Button variant="outlined" disabled={!reason.trim()} onClick={() => void hold(!r.legal_hold)}>
              {translate(r.legal_hold ? `${T}.lift_hold` : `${T}.place_hold`)}
            </Button>
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {translate(`${T}.hold_by_hr`)}
          </Typography>
        )}
        {access.you_may_change && doc.status !== "deleted" && (
          <Box>
            <Button
              color={doc.status === "active" ? "error" : "primary"}
              disabled={doc.status === "active" && doc.legal_hold}
              onClick={() => setConfirm(doc.status === "active" ? "trash" : "restore")}
            >
              {translate(doc.status === "active" ? `${T}.trash` : `${T}.restore`)}
            </Button>
          </Box>
        )}
      </Stack>
      <Confirm
        isOpen={confirm !== null}
        title={translate(confirm === "restore" ? `${T}.restore` : `${T}.trash`)}
        content={translate(confirm === "restore" ? `${T}.restore_explained` : `${T}.trash_explained`)}
        onConfirm={() => confirm && void trash(confirm)}
        onClose={() => setConfirm(null)}
      />
    </Section>
  );
}

function Audit({ doc }: { doc: DocumentRead }) {
  const translate = useTranslate();
  const moment = useMoment();
  const trail = useQuery({
    queryKey: ["office", "audit", doc.id],
    queryFn: () => api<Page<AuditEntry>>(fillPath(DOCS_API.audit, doc.id), { query: { limit: 100 } }),
  });
  return (
    <Section title={translate(`${T}.audit`)} id="audit-heading">
      {trail.isPending ? (
        <Loading />
      ) : trail.error ? (
        <Failed error={trail.error} retry={() => void trail.refetch()} />
      ) : trail.data.items.length === 0 ? (
        <Empty />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate(`${T}.when`)}</TableCell>
              <TableCell>{translate(`${T}.who`)}</TableCell>
              <TableCell>{translate(`${T}.action`)}</TableCell>
              <TableCell>{translate(`${T}.version_column`)}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {trail.data.items.map((entry, index) => (
              <TableRow key={`${entry.at}-${index}`}>
                <TableCell>{moment(entry.at)}</TableCell>
                <TableCell>{entry.user_id_actor?.name ?? entry.user_id}</TableCell>
                <TableCell>{translate(`${T}.actions.${entry.action}`, { _: entry.action })}</TableCell>
                <TableCell>{entry.version ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

export function DocumentPage() {
  const translate = useTranslate();
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const folders = useFolders();
  const loaded = useQuery({
    queryKey: ["office", "document", id],
    queryFn: () => api<DocumentRead>(fillPath(DOCS_API.document, id)),
  });
  const access = useQuery({
    queryKey: ["office", "access", id],
    queryFn: () => api<DocumentAccess>(fillPath(DOCS_API.access, id)),
  });
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: ["office", "document", id] });
    void queryClient.invalidateQueries({ queryKey: ["office", "access", id] });
    void queryClient.invalidateQueries({ queryKey: ["office", "audit", id] });
  };
  if (loaded.isPending || access.isPending) return <Loading />;
  if (loaded.error) return <Failed error={loaded.error} retry={() => void loaded.refetch()} />;
  if (access.error) return <Failed error={access.error} retry={() => void access.refetch()} />;
  const doc = loaded.data;
  const mayChange = access.data.you_may_change;
  const folder = folders.data?.items.find((f) => f.id === doc.folder_id);
  return (
    <Box sx={{ p: 2 }}>
      <Title title={doc.title} />
      <Stack spacing={2}>
        <Box>
          <Link component={RouterLink} to={`/office/documents${folder ? `?folder=${encodeURIComponent(folder.id)}` : ""}`}>
            {translate(`${T}.back`, { path: folder?.path ?? translate(`${T}.all_documents`) })}
          </Link>
          <Stack direction="row" spacing={1} alignItems="center" sx={{ mt: 1 }}>
            <Typography variant="h5" component="h1">
              {doc.title}
            </Typography>
            <Chip size="small" label={translate(`${T}.statuses.${doc.status}`)} />
            {doc.legal_hold && <Chip size="small" color="warning" label={translate(`${T}.legal_hold`)} />}
          </Stack>
          <Typography variant="body2" color="text.secondary">
            {doc.type} · {doc.version.filename} · {translate(`${T}.version_n`, { number: doc.current_version })}
            {doc.copied_from_document_id ? ` · ${translate(`${T}.is_copy`)}` : ""}
          </Typography>
        </Box>
        {doc.version.content_type === "application/pdf" && doc.status === "active" && (
          <Section title={translate(`${T}.preview`)} id="preview-heading">
            <PdfDocument key={doc.current_version} documentId={doc.id} title={doc.title} filename={doc.version.filename} />
          </Section>
        )}
        <Versions doc={doc} mayChange={mayChange} onChanged={changed} />
        <Tags doc={doc} mayChange={mayChange} onChanged={changed} />
        {mayChange && doc.status === "active" && <CopyTo doc={doc} onCopied={changed} />}
        <AccessPanel access={access.data} />
        {mayChange && doc.status === "active" && <Send doc={doc} onSent={changed} />}
        <Retention doc={doc} access={access.data} onChanged={changed} />
        {mayChange && <Audit doc={doc} />}
      </Stack>
    </Box>
  );
}
