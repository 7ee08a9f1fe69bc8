/**
 * The office's documents: a folder tree beside the folder's documents, uploads by drag and drop (or the file
 * input) with their progress, and a search whose matching words are marked. A document's own page is in
 * document.tsx.
 */
import { useCallback, useMemo, useRef, useState, type DragEvent, type ReactNode } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Link,
  List,
  ListItem,
  ListItemButton,
  ListItemText,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import FolderIcon from "@mui/icons-material/Folder";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import CreateNewFolderIcon from "@mui/icons-material/CreateNewFolder";
import { Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink, useSearchParams } from "react-router-dom";
import { api } from "../../api/http";
import { formatDateTime } from "../../format";
import { Empty, Failed, Loading } from "../../components/States";
import { DOCS_API, type DocumentRead, type Folder, type SearchHit } from "./resources";
import { folderTree, markedPieces, uploadWithProgress, type FolderNode } from "./upload";
import type { Page } from "../../providers/dataProvider";

const T = "office.documents";

/** Every folder the signed-in person may see (the API's largest page). */
export function useFolders() {
  return useQuery({
    queryKey: ["office", "folders"],
    queryFn: () => api<Page<Folder>>(DOCS_API.folders, { query: { limit: 500 } }),
  });
}

/** Text with the API's highlights in `<mark>`. */
export function Marked({ text, highlights }: { text: string; highlights: { start: number; end: number }[] }) {
  return (
    <>
      {markedPieces(text, highlights).map(([piece, marked], index) =>
        marked ? (
          <Box component="mark" key={index} sx={{ bgcolor: "#fff176", color: "#000", px: 0.25 }}>
            {piece}
          </Box>
        ) : (
          <span key={index}>{piece}</span>
        ),
      )}
    </>
  );
}

function FolderBranch({
  nodes,
  selected,
  onSelect,
  depth,
}: {
  nodes: FolderNode<Folder>[];
  selected: string | null;
  onSelect: (id: string) => void;
  depth: number;
}) {
  return (
    <List dense disablePadding>
      {nodes.map((node) => (
        <ListItem key={node.folder.id} disablePadding sx={{ display: "block" }}>
          <ListItemButton
            selected={node.folder.id === selected}
            aria-current={node.folder.id === selected ? "true" : undefined}
            onClick={() => onSelect(node.folder.id)}
            sx={{ pl: 1 + depth * 2 }}
          >
            <FolderIcon fontSize="small" sx={{ mr: 1 }} aria-hidden />
            <ListItemText primary={node.folder.name} />
          </ListItemButton>
          {node.children.length > 0 && (
            <FolderBranch nodes={node.children} selected={selected} onSelect={onSelect} depth={depth + 1} />
          )}
        </ListItem>
      ))}
    </List>
  );
}

function NewFolder({ parent, onMade }: { parent: Folder | null; onMade: (folder: Folder) => void }) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function save() {
    setError(null);
    try {
      const made = await api<Folder>(DOCS_API.folders, {
        method: "POST",
        body: { name, parent_id: parent?.id ?? null },
      });
      setOpen(false);
      setName("");
      onMade(made);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }
  return (
    <>
      <Button size="small" startIcon={<CreateNewFolderIcon />} onClick={() => setOpen(true)}>
        {translate(`${T}.new_folder`)}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="new-folder-title">
        <DialogTitle id="new-folder-title">{translate(`${T}.new_folder`)}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate(`${T}.inside`, { path: parent?.path ?? "/" })}
          </Typography>
          <TextField
            autoFocus
            fullWidth
            label={translate(`${T}.folder_name`)}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={Boolean(error)}
            helperText={error ?? " "}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</Button>
          <Button variant="contained" onClick={save} disabled={!name.trim()}>
            {translate("ra.action.save")}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

interface Sending {
  key: string;
  name: string;
  fraction: number;
  error: string | null;
  done: boolean;
}

/** A drop zone (and a file input for the keyboard) uploading each file to `path` with its progress. */
export function Uploader({
  path,
  fields,
  label,
  onUploaded,
}: {
  path: string;
  fields: Record<string, string>;
  label: string;
  onUploaded: (document: DocumentRead) => void;
}) {
  const translate = useTranslate();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [sending, setSending] = useState<Sending[]>([]);

  const send = useCallback(
    (files: FileList | File[]) => {
      for (const file of Array.from(files)) {
        const key = `${file.name}-${Date.now()}-${Math.random()}`;
        setSending((list) => [...list, { key, name: file.name, fraction: 0, error: null, done: false }]);
        const update = (change: Partial<Sending>) =>
          setSending((list) => list.map((s) => (s.key === key ? { ...s, ...change } : s)));
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
        form.append("file", file, file.name);
        uploadWithProgress<DocumentRead>(path, form, (fraction) => update({ fraction })).done.then(
          (document) => {
            update({ done: true, fraction: 1 });
            onUploaded(document);
          },
          (caught) => update({ error: caught instanceof Error ? caught.message : String(caught) }),
        );
      }
    },
    [fields, onUploaded, path],
  );

  function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    if (event.dataTransfer.files.length) send(event.dataTransfer.files);
  }

  return (
    <Stack spacing={1}>
      <Box
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        sx={{
          border: 2,
          borderStyle: "dashed",
          borderColor: over ? "primary.main" : "divider",
          bgcolor: over ? "action.hover" : "transparent",
          borderRadius: 1,
          p: 2,
          textAlign: "center",
        }}
      >
        <Typography>{label}</Typography>
        <Button component="label" startIcon={<UploadFileIcon />} sx={{ mt: 1 }}>
          {translate(`${T}.choose_files`)}
          <input
            ref={input}
            hidden
            type="file"
            multiple
            aria-label={translate(`${T}.choose_files`)}
            onChange={(event) => {
              if (event.target.files?.length) send(event.target.files);
              event.target.value = "";
            }}
          />
        </Button>
      </Box>
      {sending.map((s) => (
        <Box key={s.key} aria-live="polite">
          <Typography variant="body2" id={`progress-${s.key}`}>
            {s.error
              ? translate(`${T}.upload_failed`, { name: s.name, message: s.error })
              : s.done
                ? translate(`${T}.uploaded`, { name: s.name })
                : translate(`${T}.uploading`, { name: s.name, percent: Math.round(s.fraction * 100) })}
          </Typography>
          {!s.done && !s.error && (
            <LinearProgress
              variant="determinate"
              value={Math.round(s.fraction * 100)}
              aria-labelledby={`progress-${s.key}`}
            />
          )}
        </Box>
      ))}
    </Stack>
  );
}

function DocumentRows({ children, empty }: { children: ReactNode[]; empty: string }) {
  const translate = useTranslate();
  if (children.length === 0) return <Empty message={empty} />;
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{translate(`${T}.title_column`)}</TableCell>
          <TableCell>{translate(`${T}.type_column`)}</TableCell>
          <TableCell>{translate(`${T}.tags_column`)}</TableCell>
          <TableCell>{translate(`${T}.filed_column`)}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>{children}</TableBody>
    </Table>
  );
}

function DocumentRow({ document, title }: { document: DocumentRead; title?: ReactNode }) {
  const [locale] = useLocaleState();
  return (
    <TableRow>
      <TableCell>
        <Link component={RouterLink} to={`/office/documents/${encodeURIComponent(document.id)}`}>
          {title ?? document.title}
        </Link>
      </TableCell>
      <TableCell>{document.type}</TableCell>
      <TableCell>
        <Stack direction="row" spacing={0.5} flexWrap="wrap">
          {document.tags.map((tag) => (
            <Chip key={tag} size="small" label={tag} />
          ))}
        </Stack>
      </TableCell>
      <TableCell>{formatDateTime(document.created_at, locale)}</TableCell>
    </TableRow>
  );
}

function FolderDocuments({ folder }: { folder: Folder | null }) {
  const translate = useTranslate();
  const queryClient = useQueryClient();
  const folderId = folder?.id ?? null;
  const listed = useQuery({
    queryKey: ["office", "documents", folderId ?? "all"],
    queryFn: () =>
      api<Page<DocumentRead>>(DOCS_API.documents, { query: { folder_id: folder?.id, limit: 200 } }),
  });
  const fields = useMemo<Record<string, string>>(() => { const found: Record<string, string> = {}; if (folderId) found.folder_id = folderId; return found; }, [folderId]);
  const uploaded = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: ["office", "documents", folderId ?? "all"] }),
    [queryClient, folderId],
  );
  return (
    <Stack spacing={2}>
      <Typography variant="h6" component="h2">
        {folder ? folder.path : translate(`${T}.all_documents`)}
      </Typography>
      <Uploader
        path={DOCS_API.documents}
        fields={fields}
        label={translate(folder ? `${T}.drop_here` : `${T}.drop_here_no_folder`, { path: folder?.path ?? "" })}
        onUploaded={uploaded}
      />
      {listed.isPending ? (
        <Loading />
      ) : listed.error ? (
        <Failed error={listed.error} retry={() => void listed.refetch()} />
      ) : (
        <DocumentRows empty={translate(`${T}.folder_empty`)}>
          {listed.data.items.map((document) => (
            <DocumentRow key={document.id} document={document} />
          ))}
        </DocumentRows>
      )}
    </Stack>
  );
}

function SearchResults({ q, folder }: { q: string; folder: Folder | null }) {
  const translate = useTranslate();
  const found = useQuery({
    queryKey: ["office", "search", q, folder?.id ?? null],
    queryFn: () =>
      api<Page<SearchHit> & { total_is_exact: boolean }>(DOCS_API.search, {
        query: { q, folder_id: folder?.id, limit: 50 },
      }),
  });
  if (found.isPending) return <Loading />;
  if (found.error) return <Failed error={found.error} retry={() => void found.refetch()} />;
  const hits = found.data.items;
  return (
    <Stack spacing={1}>
      <Typography variant="h6" component="h2" aria-live="polite">
        {translate(`${T}.results`, { smart_count: found.data.total, q })}
      </Typography>
      {hits.length === 0 ? (
        <Empty message={translate(`${T}.no_results`)} />
      ) : (
        <List aria-label={translate(`${T}.results_list`)}>
          {hits.map((hit) => (
            <ListItem key={hit.document.id} divider alignItems="flex-start" sx={{ display: "block" }}>
              <Link
                component={RouterLink}
                to={`/office/documents/${encodeURIComponent(hit.document.id)}`}
                variant="subtitle1"
              >
                <Marked text={hit.document.title} highlights={hit.title_highlights} />
              </Link>
              {hit.snippet && (
                <Typography variant="body2" data-testid="snippet">
                  <Marked text={hit.snippet} highlights={hit.snippet_highlights} />
                </Typography>
              )}
              <Typography variant="caption" color="text.secondary">
                {hit.document.type}
                {hit.document.tags.length ? ` · ${hit.document.tags.join(", ")}` : ""}
              </Typography>
            </ListItem>
          ))}
        </List>
      )}
    </Stack>
  );
}

export function DocumentsPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const folders = useFolders();
  const selectedId = params.get("folder");
  const q = params.get("q") ?? "";
  const [typed, setTyped] = useState(q);
  const all = folders.data?.items ?? [];
  const selected = all.find((f) => f.id === selectedId) ?? null;

  function choose(id: string | null) {
    const next = new URLSearchParams(params);
    if (id) next.set("folder", id);
    else next.delete("folder");
    setParams(next);
  }
  function search(text: string) {
    const next = new URLSearchParams(params);
    if (text.trim()) next.set("q", text.trim());
    else next.delete("q");
    setParams(next);
  }

  return (
    <Box sx={{ p: 2 }}>
      <Title title={translate(`${T}.title`)} />
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {translate(`${T}.title`)}
      </Typography>
      <Box
        component="form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          search(typed);
        }}
        sx={{ display: "flex", gap: 1, mb: 2 }}
      >
        <TextField
          size="small"
          type="search"
          label={translate(`${T}.search_label`)}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          sx={{ flex: 1, maxWidth: 480 }}
        />
        <Button type="submit" variant="contained">
          {translate(`${T}.search`)}
        </Button>
        {q && (
          <Button
            onClick={() => {
              setTyped("");
              search("");
            }}
          >
            {translate(`${T}.clear_search`)}
          </Button>
        )}
      </Box>
      <Stack direction={{ xs: "column", md: "row" }} spacing={2} alignItems="flex-start">
        <Card sx={{ width: { xs: "100%", md: 300 }, flexShrink: 0 }}>
          <CardContent>
            <Stack direction="row" justifyContent="space-between" alignItems="center">
              <Typography variant="h6" component="h2" id="folders-heading">
                {translate(`${T}.folders`)}
              </Typography>
              <NewFolder
                parent={selected}
                onMade={(made) => {
                  void queryClient.invalidateQueries({ queryKey: ["office", "folders"] });
                  notify(translate(`${T}.folder_made`, { path: made.path }), { type: "success" });
                  choose(made.id);
                }}
              />
            </Stack>
            <Box component="nav" aria-labelledby="folders-heading">
              <List dense disablePadding>
                <ListItem disablePadding>
                  <ListItemButton
                    selected={!selected}
                    aria-current={!selected ? "true" : undefined}
                    onClick={() => choose(null)}
                  >
                    <ListItemText primary={translate(`${T}.all_documents`)} />
                  </ListItemButton>
                </ListItem>
              </List>
              {folders.isPending ? (
                <Loading />
              ) : folders.error ? (
                <Failed error={folders.error} retry={() => void folders.refetch()} />
              ) : (
                <FolderBranch nodes={folderTree(all)} selected={selected?.id ?? null} onSelect={choose} depth={0} />
              )}
            </Box>
          </CardContent>
        </Card>
        <Card sx={{ flex: 1, width: "100%" }}>
          <CardContent>
            {q ? <SearchResults q={q} folder={selected} /> : <FolderDocuments folder={selected} />}
          </CardContent>
        </Card>
      </Stack>
      {folders.data && folders.data.total > all.length && (
        <Alert severity="info" sx={{ mt: 2 }}>
          {translate(`${T}.more_folders`, { shown: all.length, total: folders.data.total })}
        </Alert>
      )}
    </Box>
  );
}
