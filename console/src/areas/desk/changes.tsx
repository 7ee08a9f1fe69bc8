/**
 * Change requests on a board: a column per state (requested, approved, implemented, reviewed, and the rejected
 * ones last), a card per change with its window, risk and who did each step, and the button for its next step.
 * The requester cannot approve or reject their own change: the buttons are off and say why (the API refuses too).
 */
import { useId, useState } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Typography,
} from "@mui/material";
import {
  DateTimeInput,
  Form,
  SaveButton,
  SelectInput,
  TextInput,
  Title,
  required,
  useDataProvider,
  useGetIdentity,
  useLocaleState,
  useTranslate,
} from "react-admin";
import { Link, useNavigate } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { liveQueryOptions } from "../../components/live";
import { formatDateTime } from "../../format";
import { CHANGE_PATHS } from "./resources";
import { changeColumns, isOwnChange, nextAction, type ChangeStatus } from "./changeboard";
import { isoMoment, useDeskAction } from "./deskAction";

type Change = components["schemas"]["helpdesk_ChangeRead"];
type Actor = components["schemas"]["helpdesk_Actor"];
type Step = "approve" | "reject" | "implemented" | "review";
type Values = Record<string, unknown>;

const RISK_COLORS = { low: "success", medium: "warning", high: "error" } as const;

function useChanges() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["desk", "changes"],
    queryFn: () =>
      dataProvider.get<components["schemas"]["helpdesk_ChangePage"]>(CHANGE_PATHS.list, { limit: 500 }),
    ...liveQueryOptions(),
  });
}

function StepLine({ step, who, when, outcome }: { step: string; who?: Actor | null; when?: string | null; outcome?: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!when) return null;
  return (
    <Typography variant="body2">
      {translate(`desk.changes.step.${step}`, {
        who: who?.name ?? translate("desk.changes.someone"),
        when: formatDateTime(when, locale),
        outcome: outcome ?? "",
      })}
    </Typography>
  );
}

/** The dialog of one step: approve (an optional note), reject (a reason), implemented (a note), review. */
function StepDialog({ change, step, onClose }: { change: Change; step: Step; onClose: () => void }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useDeskAction();
  const titleId = useId();
  const submit = (values: Values) => {
    const [path, body] =
      step === "approve" || step === "reject"
        ? [CHANGE_PATHS.decision, { decision: step, note: values.note || null }]
        : step === "implemented"
          ? [CHANGE_PATHS.implemented, { note: values.note || null }]
          : [CHANGE_PATHS.review, { outcome: values.outcome, notes: values.notes }];
    return run(
      () => dataProvider.post(fillPath(path, change.id), body),
      translate(`desk.changes.done.${step}`),
      onClose,
    );
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{translate(`desk.changes.${step}_title`, { title: change.title })}</DialogTitle>
      <Form onSubmit={submit}>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{translate(`desk.changes.${step}_content`)}</Typography>
          {step === "review" ? (
            <>
              <SelectInput
                source="outcome"
                label="desk.changes.fields.outcome"
                choices={["successful", "failed", "rolled_back"].map((id) => ({
                  id,
                  name: `desk.changes.outcome.${id}`,
                }))}
                validate={required()}
                fullWidth
              />
              <TextInput source="notes" label="desk.changes.fields.notes" multiline minRows={2} validate={required()} fullWidth />
            </>
          ) : (
            <TextInput
              source="note"
              label={step === "reject" ? "desk.changes.fields.reason" : "desk.changes.fields.note"}
              multiline
              minRows={2}
              validate={step === "reject" ? required() : undefined}
              fullWidth
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <SaveButton
            label={`desk.changes.${step}`}
            icon={<span />}
            alwaysEnable
            color={step === "reject" ? "error" : "primary"}
          />
        </DialogActions>
      </Form>
    </Dialog>
  );
}

function ChangeCard({ change, userId }: { change: Change; userId: string | number | undefined }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [step, setStep] = useState<Step | null>(null);
  const reasonId = useId();
  const next = nextAction(change.status);
  const own = isOwnChange(change, userId);
  const named = (key: string) => `${translate(key)}: ${change.title}`;
  const risk = change.risk as keyof typeof RISK_COLORS;
  return (
    <Card component="article" variant="outlined" aria-label={change.title}>
      <CardContent sx={{ pb: 0, px: 1.5 }}>
        <Typography component="h4" variant="subtitle1" sx={{ fontWeight: 600 }}>
          {change.title}
        </Typography>
        <Chip
          size="small"
          variant="outlined"
          color={RISK_COLORS[risk] ?? "default"}
          label={translate(`desk.changes.risk.${risk}`)}
          sx={{ my: 0.5 }}
        />
        <Typography variant="body2">{translate("desk.changes.system", { system: change.affected_system })}</Typography>
        <Typography variant="body2">
          {translate("desk.changes.window", {
            start: formatDateTime(change.planned_start, locale),
            end: formatDateTime(change.planned_end, locale),
          })}
        </Typography>
        <Box sx={{ mt: 1 }}>
          <StepLine step="requested" who={change.requested_by_actor} when={change.created_at} />
          <StepLine step={change.status === "rejected" ? "rejected" : "approved"} who={change.decided_by_actor} when={change.decided_at} />
          {change.decision_note && <Typography variant="body2">“{change.decision_note}”</Typography>}
          <StepLine step="implemented" who={change.implemented_by_actor} when={change.implemented_at} />
          {change.implementation_note && <Typography variant="body2">“{change.implementation_note}”</Typography>}
          <StepLine
            step="reviewed"
            who={change.reviewed_by_actor}
            when={change.reviewed_at}
            outcome={change.review_outcome ? translate(`desk.changes.outcome.${change.review_outcome}`) : ""}
          />
          {change.review_notes && <Typography variant="body2">“{change.review_notes}”</Typography>}
        </Box>
      </CardContent>
      {next && (
        <CardActions sx={{ flexWrap: "wrap", gap: 0.5, "& > :not(style) ~ :not(style)": { ml: 0 } }}>
          {next === "decide" ? (
            <>
              <Button
                size="small"
                variant="contained"
                disabled={own}
                aria-describedby={own ? reasonId : undefined}
                aria-label={named("desk.changes.approve")}
                onClick={() => setStep("approve")}
              >
                {translate("desk.changes.approve")}
              </Button>
              <Button
                size="small"
                color="error"
                disabled={own}
                aria-describedby={own ? reasonId : undefined}
                aria-label={named("desk.changes.reject")}
                onClick={() => setStep("reject")}
              >
                {translate("desk.changes.reject")}
              </Button>
              {own && (
                <Typography id={reasonId} variant="body2" sx={{ width: "100%" }}>
                  {translate("desk.changes.own")}
                </Typography>
              )}
            </>
          ) : (
            <Button size="small" variant="contained" aria-label={named(`desk.changes.${next}`)} onClick={() => setStep(next)}>
              {translate(`desk.changes.${next}`)}
            </Button>
          )}
        </CardActions>
      )}
      {step && <StepDialog change={change} step={step} onClose={() => setStep(null)} />}
    </Card>
  );
}

function Column({ status, changes, userId }: { status: ChangeStatus; changes: Change[]; userId: string | number | undefined }) {
  const translate = useTranslate();
  const headingId = useId();
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ bgcolor: "action.hover", borderRadius: 1, p: 1, minHeight: 80 }}
    >
      <Typography component="h3" variant="subtitle2" id={headingId} sx={{ mb: 1, fontWeight: 700 }}>
        {translate(`desk.changes.status.${status}`)} ({changes.length})
      </Typography>
      <Stack spacing={1}>
        {changes.length === 0 ? (
          <Typography variant="body2">{translate("desk.changes.column_empty")}</Typography>
        ) : (
          changes.map((change) => <ChangeCard key={change.id} change={change} userId={userId} />)
        )}
      </Stack>
    </Box>
  );
}

/** `/desk/changes`: the board. */
export function ChangeBoard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const changes = useChanges();
  return (
    <Box sx={{ p: 2 }}>
      <Title title={translate("desk.changes.title")} />
      <Box sx={{ display: "flex", alignItems: "center", gap: 2, mb: 2 }}>
        <Typography component="h1" variant="h5" sx={{ flexGrow: 1 }}>
          {translate("desk.changes.title")}
        </Typography>
        <Button variant="contained" component={Link} to="/desk/changes/new">
          {translate("desk.changes.new")}
        </Button>
      </Box>
      {changes.isPending ? (
        <Loading />
      ) : changes.error ? (
        <Failed error={changes.error} retry={() => changes.refetch()} />
      ) : changes.data.items.length === 0 ? (
        <Empty message={translate("desk.changes.empty")} />
      ) : (
        <Box
          sx={{
            display: "grid",
            gridAutoFlow: "column",
            gridAutoColumns: "minmax(200px, 1fr)",
            width: 0,
            minWidth: "100%",
            gap: 1,
            overflowX: "auto",
            alignItems: "start",
            pb: 1,
          }}
        >
          {changeColumns(changes.data.items).map(([status, items]) => (
            <Column key={status} status={status} changes={items} userId={identity?.id} />
          ))}
        </Box>
      )}
    </Box>
  );
}

/** `/desk/changes/new`: a change request; the API's refusals show under their fields. */
export function ChangeRequestForm() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useDeskAction();
  const submit = (values: Values) =>
    run(
      () =>
        dataProvider.post(CHANGE_PATHS.list, {
          title: values.title,
          description: values.description,
          affected_system: values.affected_system,
          risk: values.risk,
          planned_start: isoMoment(values.planned_start),
          planned_end: isoMoment(values.planned_end),
          rollback_plan: values.rollback_plan || null,
        }),
      translate("desk.changes.done.created"),
      () => navigate("/desk/changes"),
    );
  return (
    <Box sx={{ p: 2, maxWidth: 720 }}>
      <Title title={translate("desk.changes.new_title")} />
      <Typography component="h1" variant="h5" sx={{ mb: 2 }}>
        {translate("desk.changes.new_title")}
      </Typography>
      <Alert severity="info" sx={{ mb: 2 }}>
        {translate("desk.changes.approve_content")}
      </Alert>
      <Form onSubmit={submit} defaultValues={{ risk: "low" }}>
        <TextInput source="title" label="desk.changes.fields.title" validate={required()} fullWidth />
        <TextInput source="description" label="desk.changes.fields.description" multiline minRows={3} validate={required()} fullWidth />
        <TextInput source="affected_system" label="desk.changes.fields.affected_system" validate={required()} fullWidth />
        <SelectInput
          source="risk"
          label="desk.changes.fields.risk"
          choices={["low", "medium", "high"].map((id) => ({ id, name: `desk.changes.risk.${id}` }))}
          validate={required()}
        />
        <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
          <DateTimeInput source="planned_start" label="desk.changes.fields.planned_start" validate={required()} />
          <DateTimeInput source="planned_end" label="desk.changes.fields.planned_end" validate={required()} />
        </Stack>
        <TextInput source="rollback_plan" label="desk.changes.fields.rollback_plan" multiline minRows={2} fullWidth />
        <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
          <SaveButton label="desk.changes.new" icon={<span />} alwaysEnable />
          <Button component={Link} to="/desk/changes">
            {translate("ra.action.cancel")}
          </Button>
        </Stack>
      </Form>
    </Box>
  );
}
