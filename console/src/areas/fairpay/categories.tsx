/**
 * Job categories of work of equal value (HR's): the list with each category's four scores and the positions in use,
 * a new category, and one category's page with its versions, a new version, and the positions placed in it (an
 * overlapping placement is refused on its date field). Payroll and pay auditors read; HR and admins write.
 */
import { useState } from "react";
import { Link as RouterLink, useNavigate, useParams } from "react-router-dom";
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from "@mui/material";
import {
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  NumberInput,
  SimpleForm,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  maxValue,
  minValue,
  required,
  useLocaleState,
  useNotify,
  usePermissions,
  useTranslate,
} from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ProblemError } from "../../api/http";
import { fillPath, itemPath, resourceApi } from "../../api/resources";
import type { components } from "../../api/schema";
import { Empty, Failed, Loading } from "../../components/States";
import { formatDate, formatDateTime } from "../../format";
import { FAIRPAY_ACTIONS } from "./resources";

type Schemas = components["schemas"];
type Category = Schemas["hr_JobCategoryRead"];
type Placement = Schemas["hr_PlacementRead"];
type PositionRow = Schemas["hr_PositionRead"];
interface Page<T> {
  items: T[];
  total: number;
}
type Errors = Record<string, string | undefined>;

const RESOURCE = "fairpay_job_categories";
const CRITERIA = ["skills", "effort", "responsibility", "working_conditions"] as const;
const t = (key: string) => `fairpay.categories.${key}`;

/** HR and admins define categories and place positions; payroll and pay auditors only read. */
function useMayWrite(): boolean {
  const { permissions } = usePermissions<string[]>();
  return Boolean(permissions?.some((role) => role === "hr" || role === "admin"));
}

/** A problem's field errors as flat strings (`effective_from`, `scores.skills`), and the notification. */
function useProblemErrors() {
  const notify = useNotify();
  return (caught: unknown): Errors => {
    notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
    const errors: Errors = {};
    if (caught instanceof ProblemError) {
      for (const { field, message } of caught.problem.errors ?? []) {
        errors[field.replace(/^body\./, "")] = message;
      }
    }
    return errors;
  };
}

function useDay() {
  const [locale] = useLocaleState();
  return {
    day: (value: string | null | undefined) => formatDate(value, locale),
    moment: (value: string | null | undefined) => formatDateTime(value, locale),
  };
}

function ScoresText({ scores }: { scores: Category["scores"] }) {
  const translate = useTranslate();
  return (
    <>
      {CRITERIA.map((c) => `${translate(t(`fields.${c}`))} ${scores[c]}`).join(" · ")}
    </>
  );
}

// -- the list ------------------------------------------------------------------------------------------------------
function ListActions() {
  const mayWrite = useMayWrite();
  return <TopToolbar>{mayWrite && <CreateButton label={t("create")} />}</TopToolbar>;
}

export function CategoryList() {
  const translate = useTranslate();
  return (
    <Stack spacing={2}>
      <List
        resource={RESOURCE}
        title={translate(t("title"))}
        actions={<ListActions />}
        perPage={50}
        sort={{ field: "code", order: "ASC" }}
        empty={false}
      >
        <Typography variant="body2" sx={{ px: 2, pt: 2 }}>
          {translate(t("explain"))}
        </Typography>
        <Datagrid bulkActionButtons={false} rowClick="show">
          <TextField source="code" label={t("fields.code")} sortable={false} />
          <TextField source="name" label={t("fields.name")} sortable={false} />
          <TextField source="version" label={t("fields.version")} sortable={false} />
          {CRITERIA.map((c) => (
            <FunctionField
              key={c}
              label={t(`fields.${c}`)}
              sortable={false}
              render={(record: Category) => record.scores[c]}
            />
          ))}
        </Datagrid>
      </List>
      <PositionsInUse />
    </Stack>
  );
}

function PositionsInUse() {
  const translate = useTranslate();
  const positions = useQuery({
    queryKey: ["fairpay", "positions"],
    queryFn: () => api<Page<PositionRow>>(FAIRPAY_ACTIONS.positions, { query: { limit: 500 } }),
  });
  const title = translate(t("positions"));
  return (
    <Paper component="section" aria-label={title} sx={{ p: 2 }}>
      <Typography component="h2" variant="h6">
        {title}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate(t("positions_explain"))}
      </Typography>
      {positions.isPending ? (
        <Loading />
      ) : positions.error ? (
        <Failed error={positions.error} retry={() => positions.refetch()} />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate(t("fields.position"))}</TableCell>
              <TableCell>{translate(t("fields.employees"))}</TableCell>
              <TableCell>{translate(t("fields.category"))}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {positions.data.items.map((row) => (
              <TableRow key={row.position}>
                <TableCell>{row.position}</TableCell>
                <TableCell>{row.employees}</TableCell>
                <TableCell>
                  {row.placement ? (
                    <RouterLink to={`/${RESOURCE}/${encodeURIComponent(row.placement.category_id)}/show`}>
                      {`${row.category_code} · ${row.category_name}`}
                    </RouterLink>
                  ) : (
                    translate(t("not_placed"))
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}

// -- a new category ------------------------------------------------------------------------------------------------
function ScoreInputs() {
  const score = [required(), minValue(0), maxValue(100)];
  return (
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      {CRITERIA.map((c) => (
        <NumberInput
          key={c}
          source={`scores.${c}`}
          label={t(`fields.${c}`)}
          helperText={t("score_help")}
          validate={score}
          step={1}
        />
      ))}
    </Box>
  );
}

export function CategoryCreate() {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const problemErrors = useProblemErrors();
  async function save(values: Record<string, unknown>) {
    try {
      const made = await api<Category>(resourceApi(RESOURCE).list, { method: "POST", body: values });
      notify(translate(t("created"), { code: made.code }), { type: "success" });
      navigate(`/${RESOURCE}/${encodeURIComponent(made.id)}/show`);
      return undefined;
    } catch (caught) {
      return problemErrors(caught);
    }
  }
  return (
    <Paper sx={{ mt: 2, p: 2 }}>
      <Title title={translate(t("create"))} />
      <Typography component="h1" variant="h5">
        {translate(t("create"))}
      </Typography>
      <SimpleForm onSubmit={save} sx={{ px: 0 }}>
        <TextInput source="code" label={t("fields.code")} helperText={t("code_help")} validate={required()} />
        <TextInput source="name" label={t("fields.name")} validate={required()} fullWidth />
        <TextInput source="description" label={t("fields.description")} multiline minRows={2} fullWidth />
        <ScoreInputs />
      </SimpleForm>
    </Paper>
  );
}

// -- one category ---------------------------------------------------------------------------------------------------
export function CategoryShow() {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const category = useQuery({ queryKey: ["fairpay", "category", id], queryFn: () => api<Category>(itemPath(RESOURCE, id)) });
  if (category.isPending) return <Loading />;
  if (category.error) return <Failed error={category.error} retry={() => category.refetch()} />;
  const record = category.data;
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={`${record.code} · ${record.name}`} />
      <Box>
        <RouterLink to={`/${RESOURCE}`}>{translate(t("back"))}</RouterLink>
      </Box>
      <Paper component="section" aria-label={record.name} sx={{ p: 2 }}>
        <Typography component="h1" variant="h5">{`${record.code} · ${record.name}`}</Typography>
        {record.description && <Typography sx={{ mt: 1 }}>{record.description}</Typography>}
        <Typography sx={{ mt: 1 }}>
          <ScoresText scores={record.scores} />
        </Typography>
      </Paper>
      <Versions category={record} />
      <Placements category={record} />
    </Stack>
  );
}

function Versions({ category }: { category: Category }) {
  const translate = useTranslate();
  const { moment } = useDay();
  const mayWrite = useMayWrite();
  const title = translate(t("versions"));
  return (
    <Paper component="section" aria-label={title} sx={{ p: 2 }}>
      <Typography component="h2" variant="h6">
        {title}
      </Typography>
      <Box component="ol" sx={{ pl: 3 }} reversed>
        {(category.versions ?? []).map((v) => (
          <li key={v.version}>
            <Typography variant="body2">
              <strong>
                {translate(t("version_by"), {
                  version: v.version,
                  who: v.created_by_actor?.name ?? v.created_by ?? "—",
                  when: moment(v.created_at),
                })}
              </strong>
              {` — ${v.name}: `}
              <ScoresText scores={v.scores} />
            </Typography>
          </li>
        ))}
      </Box>
      {mayWrite && <NewVersion category={category} />}
    </Paper>
  );
}

function NewVersion({ category }: { category: Category }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const problemErrors = useProblemErrors();
  async function save(values: Record<string, unknown>) {
    try {
      const saved = await api<Category>(itemPath(RESOURCE, category.id), {
        method: "PUT",
        body: { name: values.name, description: values.description || null, scores: values.scores },
      });
      notify(translate(t("saved_version"), { version: saved.version }), { type: "success" });
      await queryClient.invalidateQueries({ queryKey: ["fairpay"] });
      return undefined;
    } catch (caught) {
      return problemErrors(caught);
    }
  }
  return (
    <Box sx={{ mt: 2 }}>
      <Typography component="h3" variant="subtitle1">
        {translate(t("new_version"))}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {translate(t("new_version_help"))}
      </Typography>
      <SimpleForm
        key={category.version}
        onSubmit={save}
        sx={{ px: 0 }}
        defaultValues={{ name: category.name, description: category.description ?? "", scores: category.scores }}
      >
        <TextInput source="name" label={t("fields.name")} validate={required()} fullWidth />
        <TextInput source="description" label={t("fields.description")} multiline minRows={2} fullWidth />
        <ScoreInputs />
      </SimpleForm>
    </Box>
  );
}

function Placements({ category }: { category: Category }) {
  const translate = useTranslate();
  const { day } = useDay();
  const mayWrite = useMayWrite();
  const placements = useQuery({
    queryKey: ["fairpay", "placements", category.id],
    queryFn: () =>
      api<Page<Placement>>(fillPath(FAIRPAY_ACTIONS.categoryPlacements, category.id), { query: { limit: 500 } }),
  });
  const title = translate(t("placements"));
  return (
    <Paper component="section" aria-label={title} sx={{ p: 2 }}>
      <Typography component="h2" variant="h6">
        {title}
      </Typography>
      {placements.isPending ? (
        <Loading />
      ) : placements.error ? (
        <Failed error={placements.error} retry={() => placements.refetch()} />
      ) : placements.data.items.length === 0 ? (
        <Empty message={translate(t("no_placements"))} />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate(t("fields.position"))}</TableCell>
              <TableCell>{translate(t("fields.effective_from"))}</TableCell>
              <TableCell>{translate(t("fields.effective_to"))}</TableCell>
              <TableCell>{translate(t("fields.placed_by"))}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {placements.data.items.map((p) => (
              <TableRow key={p.id}>
                <TableCell>{p.position}</TableCell>
                <TableCell>{day(p.effective_from)}</TableCell>
                <TableCell>{p.effective_to ? day(p.effective_to) : translate(t("open_ended"))}</TableCell>
                <TableCell>{p.created_by_actor?.name ?? p.created_by ?? "—"}</TableCell>
                <TableCell>{mayWrite && !p.effective_to && <EndPlacement placement={p} />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {mayWrite && <PlaceForm category={category} />}
    </Paper>
  );
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function PlaceForm({ category }: { category: Category }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const problemErrors = useProblemErrors();
  const positions = useQuery({
    queryKey: ["fairpay", "positions"],
    queryFn: () => api<Page<PositionRow>>(FAIRPAY_ACTIONS.positions, { query: { limit: 500 } }),
  });
  const [position, setPosition] = useState("");
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const missing: Errors = {};
    if (!position.trim()) missing.position = translate(t("required"));
    if (!from) missing.effective_from = translate(t("required"));
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await api(fillPath(FAIRPAY_ACTIONS.categoryPlacements, category.id), {
        method: "POST",
        body: { position: position.trim(), effective_from: from, effective_to: to || null },
      });
      notify(translate(t("placed"), { position: position.trim(), code: category.code }), { type: "success" });
      setPosition("");
      setTo("");
      await queryClient.invalidateQueries({ queryKey: ["fairpay"] });
    } catch (caught) {
      setErrors(problemErrors(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box component="form" onSubmit={submit} noValidate sx={{ mt: 2 }}>
      <Typography component="h3" variant="subtitle1">
        {translate(t("place"))}
      </Typography>
      <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "flex-start", mt: 1 }}>
        <Autocomplete
          freeSolo
          options={(positions.data?.items ?? []).map((p) => p.position)}
          inputValue={position}
          onInputChange={(_, value) => setPosition(value)}
          sx={{ minWidth: 280 }}
          renderInput={(params) => (
            <MuiTextField
              {...params}
              label={translate(t("fields.position"))}
              required
              error={Boolean(errors.position)}
              helperText={errors.position ?? translate(t("place_help"))}
            />
          )}
        />
        <MuiTextField
          type="date"
          label={translate(t("fields.effective_from"))}
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          required
          error={Boolean(errors.effective_from)}
          helperText={errors.effective_from}
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ maxWidth: 420 }}
        />
        <MuiTextField
          type="date"
          label={translate(t("fields.effective_to"))}
          value={to}
          onChange={(event) => setTo(event.target.value)}
          error={Boolean(errors.effective_to)}
          helperText={errors.effective_to ?? translate(t("to_help"))}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Button type="submit" variant="contained" disabled={busy} sx={{ mt: 1 }}>
          {translate(t("place"))}
        </Button>
      </Box>
    </Box>
  );
}

function EndPlacement({ placement }: { placement: Placement }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const problemErrors = useProblemErrors();
  const { day } = useDay();
  const [open, setOpen] = useState(false);
  const [last, setLast] = useState(today());
  const [error, setError] = useState<string | undefined>();
  async function end() {
    try {
      await api(fillPath(FAIRPAY_ACTIONS.endPlacement, placement.id), { method: "POST", body: { effective_to: last } });
      notify(translate(t("ended"), { position: placement.position, day: day(last) }), { type: "success" });
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ["fairpay"] });
    } catch (caught) {
      setError(problemErrors(caught).effective_to);
    }
  }
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`${translate(t("end"))}: ${placement.position}`}>
        {translate(t("end"))}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={`end-${placement.id}`}>
        <DialogTitle id={`end-${placement.id}`}>{translate(t("end_title"), { position: placement.position })}</DialogTitle>
        <DialogContent>
          <MuiTextField
            type="date"
            label={translate(t("end_on"))}
            value={last}
            onChange={(event) => setLast(event.target.value)}
            error={Boolean(error)}
            helperText={error}
            slotProps={{ inputLabel: { shrink: true } }}
            sx={{ mt: 1 }}
          />
          {error && <Alert severity="error" sx={{ mt: 1 }}>{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate(t("cancel"))}</Button>
          <Button variant="contained" onClick={end}>
            {translate(t("end"))}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
