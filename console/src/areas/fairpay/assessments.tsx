/**
 * Joint pay assessments: the list (latest first), and one assessment's findings, measures (owner, due date, how
 * each goes) and follow-ups, to which HR and admins append; nothing recorded is edited.
 */
import { useState, type FormEvent } from "react";
import { Link as RouterLink, useParams } from "react-router-dom";
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
import { Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { PAGE, Pager, problemText, useFigures, useMayRecord } from "./common";
import { STATUSES, measureStatus, type Status } from "./measures";
import { FAIRPAY_ACTIONS, type Assessment, type Page } from "./resources";
import { fillPath } from "../../api/resources";


function StatusChip({ status }: { status: Status }) {
  const translate = useTranslate();
  const color = status === "done" ? "success" : status === "in_progress" ? "primary" : "default";
  return <Chip size="small" color={color} label={translate(`fairpay.assessments.status.${status}`)} />;
}

export function AssessmentList() {
  const translate = useTranslate();
  const f = useFigures();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [offset, setOffset] = useState(0);
  const list = useQuery({
    queryKey: ["fairpay", "assessments", offset],
    queryFn: () => dataProvider.get<Page<Assessment>>(FAIRPAY_ACTIONS.assessments, { limit: PAGE, offset }),
  });
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("fairpay.assessments.title")} />
      <CardContent>
        <Typography component="h2" variant="h5" gutterBottom>
          {translate("fairpay.assessments.title")}
        </Typography>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate("fairpay.assessments.intro")}
        </Typography>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <Failed error={list.error} retry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Empty message={translate("fairpay.assessments.none")} />
        ) : (
          <>
            <Table size="small" aria-label={translate("fairpay.assessments.title")}>
              <TableHead>
                <TableRow>
                  {["category", "period", "recorded", "measures", "done"].map((key) => (
                    <TableCell key={key} component="th" scope="col">
                      {translate(`fairpay.assessments.${key}`)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {list.data.items.map((a) => (
                  <TableRow key={a.id}>
                    <TableCell>
                      <Link component={RouterLink} to={`/fairpay/assessments/${a.id}`}>
                        {a.category_name ?? a.category_id}
                      </Link>
                    </TableCell>
                    <TableCell>
                      {translate("fairpay.common.period_text", { from: f.day(a.period_start), to: f.day(a.period_end) })}
                    </TableCell>
                    <TableCell>{f.moment(a.created_at)}</TableCell>
                    <TableCell>{f.count(a.measures.length)}</TableCell>
                    <TableCell>
                      {f.count(a.measures.filter((_, n) => measureStatus(a.follow_ups, n) === "done").length)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pager offset={offset} total={list.data.total} onChange={setOffset} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

export function AssessmentPage() {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const f = useFigures();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const mayRecord = useMayRecord();
  const found = useQuery({
    queryKey: ["fairpay", "assessment", id],
    queryFn: () => dataProvider.get<Assessment>(fillPath(FAIRPAY_ACTIONS.assessment, id)),
  });
  if (found.isPending) return <Loading />;
  if (found.isError) return <Failed error={found.error} retry={() => void found.refetch()} />;
  const a = found.data;
  const title = translate("fairpay.assessments.one", { name: a.category_name ?? a.category_id });
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={title} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5" gutterBottom>
            {title}
          </Typography>
          <Typography variant="body2">
            {translate("fairpay.common.period_text", { from: f.day(a.period_start), to: f.day(a.period_end) })} ·{" "}
            {translate("fairpay.assessments.recorded_by", {
              date: f.moment(a.created_at),
              who: a.created_by_actor?.name ?? a.created_by ?? "—",
            })}
          </Typography>
          <Typography component="h3" variant="h6" sx={{ mt: 2 }}>
            {translate("fairpay.assessments.findings")}
          </Typography>
          <Typography sx={{ whiteSpace: "pre-wrap" }}>{a.findings}</Typography>
          <Typography component="h3" variant="h6" sx={{ mt: 2 }}>
            {translate("fairpay.assessments.measures")}
          </Typography>
          <Table size="small" aria-label={translate("fairpay.assessments.measures")}>
            <TableHead>
              <TableRow>
                {["number", "measure", "owner", "due", "state"].map((key) => (
                  <TableCell key={key} component="th" scope="col">
                    {translate(`fairpay.assessments.${key}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {a.measures.map((m, n) => (
                <TableRow key={n}>
                  <TableCell>{n + 1}</TableCell>
                  <TableCell>{m.description}</TableCell>
                  <TableCell>{m.owner}</TableCell>
                  <TableCell>{f.day(m.due)}</TableCell>
                  <TableCell>
                    <StatusChip status={measureStatus(a.follow_ups, n)} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography component="h3" variant="h6" gutterBottom>
            {translate("fairpay.assessments.follow_ups")}
          </Typography>
          {a.follow_ups.length === 0 ? (
            <Empty message={translate("fairpay.assessments.no_follow_ups")} />
          ) : (
            <Box component="ol" sx={{ pl: 3 }}>
              {a.follow_ups.map((fu) => (
                <li key={fu.id}>
                  <Typography variant="body2">
                    {f.moment(fu.created_at)} · {fu.created_by_actor?.name ?? fu.created_by ?? "—"} ·{" "}
                    {fu.measure_index === null || fu.measure_index === undefined
                      ? translate("fairpay.assessments.all_measures")
                      : translate("fairpay.assessments.measure_n", { n: fu.measure_index + 1 })}{" "}
                    <StatusChip status={fu.status as Status} />
                  </Typography>
                  <Typography sx={{ whiteSpace: "pre-wrap", mb: 1 }}>{fu.note}</Typography>
                </li>
              ))}
            </Box>
          )}
          {mayRecord && <FollowUpForm assessment={a} onDone={() => void found.refetch()} />}
        </CardContent>
      </Card>
      <Link component={RouterLink} to="/fairpay/assessments">
        {translate("fairpay.assessments.back")}
      </Link>
    </Stack>
  );
}

function FollowUpForm({ assessment, onDone }: { assessment: Assessment; onDone: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [note, setNote] = useState("");
  const [measure, setMeasure] = useState<string>("all");
  const [status, setStatus] = useState<Status>("in_progress");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await dataProvider.post(fillPath(FAIRPAY_ACTIONS.followUps, assessment.id), {
        note,
        status,
        measure_index: measure === "all" ? null : Number(measure),
      });
      notify("fairpay.assessments.followed_up", { type: "success" });
      setNote("");
      onDone();
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Box component="form" onSubmit={submit} aria-label={translate("fairpay.assessments.add_follow_up")} sx={{ mt: 2 }}>
      <Typography component="h4" variant="subtitle1" gutterBottom>
        {translate("fairpay.assessments.add_follow_up")}
      </Typography>
      {problem && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {problem}
        </Alert>
      )}
      <Stack direction={{ xs: "column", md: "row" }} spacing={1} alignItems="flex-start">
        <TextField
          select
          size="small"
          label={translate("fairpay.assessments.measure")}
          value={measure}
          onChange={(event) => setMeasure(event.target.value)}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="all">{translate("fairpay.assessments.all_measures")}</MenuItem>
          {assessment.measures.map((m, n) => (
            <MenuItem key={n} value={String(n)}>
              {translate("fairpay.assessments.measure_n", { n: n + 1 })}: {m.description.slice(0, 40)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={translate("fairpay.assessments.state")}
          value={status}
          onChange={(event) => setStatus(event.target.value as Status)}
          sx={{ minWidth: 160 }}
        >
          {STATUSES.map((s) => (
            <MenuItem key={s} value={s}>
              {translate(`fairpay.assessments.status.${s}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label={translate("fairpay.assessments.note")}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          required
          multiline
          sx={{ flex: 1, minWidth: 240 }}
        />
        <Button type="submit" variant="contained" disabled={busy || !note.trim()}>
          {translate("fairpay.assessments.append")}
        </Button>
      </Stack>
    </Box>
  );
}
