import { useState } from "react";
import { useParams } from "react-router-dom";
import { Alert, Box, Button, Card, CardContent, Chip, Stack, TextField, Typography } from "@mui/material";
import {
  Confirm,
  Datagrid,
  List,
  ShowBase,
  Title,
  useDataProvider,
  useNotify,
  useRecordContext,
  useShowContext,
  useTranslate,
} from "react-admin";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { ChoiceField, DayField, ForMe, LinkField, MomentField, useFormat } from "./common";
import { SELF_API, type Warning } from "./resources";

type WarningState = "acknowledged" | "ignored" | "overdue" | "to_acknowledge";

export function warningState(warning: Warning, now: Date = new Date()): WarningState {
  if (warning.acknowledged_at) return "acknowledged";
  if (warning.ignored_at) return "ignored";
  if (new Date(warning.acknowledge_by) <= now) return "overdue";
  return "to_acknowledge";
}

const STATE_COLOURS = { acknowledged: "success", ignored: "error", overdue: "error", to_acknowledge: "primary" } as const;

// The props are read by the Datagrid for its header.
function StateField(_: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext<Warning>();
  const translate = useTranslate();
  if (!record) return null;
  const state = warningState(record);
  return <Chip size="small" label={translate(`self.choices.warning_state.${state}`)} color={STATE_COLOURS[state]} />;
}

/** My warnings, newest first, with the day each must be acknowledged by. */
export function WarningList() {
  const translate = useTranslate();
  return (
    <ForMe>
      {(employeeId) => (
        <List
          resource="my_warnings"
          title={translate("self.menu.warnings")}
          filter={{ employee_id: employeeId }}
          sort={{ field: "", order: "ASC" }}
          perPage={25}
          actions={false}
          disableSyncWithLocation
          empty={<Empty message={translate("self.warnings.none")} />}
        >
          <Datagrid rowClick={(id) => `/me/warnings/${id}`} bulkActionButtons={false}>
            <MomentField source="issued_at" sortable={false} />
            <LinkField source="category" to={(id) => `/me/warnings/${id}`} sortable={false}>
              <ChoiceField source="category" group="warning_category" />
            </LinkField>
            <ChoiceField source="severity" group="warning_severity" sortable={false} />
            <DayField source="occurred_on" sortable={false} />
            <MomentField source="acknowledge_by" sortable={false} />
            <StateField source="state" sortable={false} />
          </Datagrid>
        </List>
      )}
    </ForMe>
  );
}

/** One warning: what happened, the deadline, and acknowledging it with a written response. */
export function WarningShow() {
  const { id } = useParams();
  return (
    <ShowBase resource="my_warnings" id={id}>
      <WarningView />
    </ShowBase>
  );
}

function WarningView() {
  const translate = useTranslate();
  const format = useFormat();
  const { record, isPending, error, refetch } = useShowContext<Warning>();
  if (isPending) return <Loading />;
  if (error || !record) return <Failed error={error} retry={() => refetch()} />;
  const state = warningState(record);
  const title = translate("self.warnings.title", { date: format.day(record.occurred_on) });
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={title} />
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} alignItems="center">
            <Typography component="h2" variant="h5">
              {title}
            </Typography>
            <Chip label={translate(`self.choices.warning_state.${state}`)} color={STATE_COLOURS[state]} />
          </Stack>
          <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, m: 0 }}>
            <dt>{translate("resources.my_warnings.fields.category")}</dt>
            <dd>{translate(`self.choices.warning_category.${record.category}`, { _: record.category })}</dd>
            <dt>{translate("resources.my_warnings.fields.severity")}</dt>
            <dd>{translate(`self.choices.warning_severity.${record.severity}`, { _: record.severity })}</dd>
            <dt>{translate("resources.my_warnings.fields.occurred_on")}</dt>
            <dd>{format.day(record.occurred_on)}</dd>
            <dt>{translate("resources.my_warnings.fields.issued_at")}</dt>
            <dd>{format.moment(record.issued_at)}</dd>
            <dt>{translate("resources.my_warnings.fields.acknowledge_by")}</dt>
            <dd>{format.moment(record.acknowledge_by)}</dd>
            <dt>{translate("resources.my_warnings.fields.expires_on")}</dt>
            <dd>{format.day(record.expires_on)}</dd>
          </Box>
          <Box>
            <Typography component="h3" variant="h6">
              {translate("resources.my_warnings.fields.facts")}
            </Typography>
            <Typography sx={{ whiteSpace: "pre-wrap" }}>{record.facts}</Typography>
          </Box>
          {state === "acknowledged" ? (
            <Box>
              <Alert severity="success">
                {translate("self.warnings.acknowledged", { when: format.moment(record.acknowledged_at) })}
              </Alert>
              <Typography component="h3" variant="h6" sx={{ mt: 2 }}>
                {translate("resources.my_warnings.fields.response")}
              </Typography>
              <Typography sx={{ whiteSpace: "pre-wrap" }}>
                {record.response || translate("self.warnings.no_response")}
              </Typography>
            </Box>
          ) : state === "to_acknowledge" ? (
            <Acknowledge warning={record} deadline={format.moment(record.acknowledge_by)} onDone={() => refetch()} />
          ) : (
            <Alert severity="error">
              {translate("self.warnings.too_late", { deadline: format.moment(record.acknowledge_by) })}
            </Alert>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}

function Acknowledge({ warning, deadline, onDone }: { warning: Warning; deadline: string; onDone: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [response, setResponse] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();

  async function acknowledge() {
    setBusy(true);
    setFieldError(undefined);
    try {
      await dataProvider.post(fillPath(SELF_API.acknowledgement, warning.id), { response: response.trim() || null });
      notify("self.warnings.done", { type: "success" });
      onDone();
    } catch (caught) {
      const errors = (caught as { body?: { errors?: { response?: string } } }).body?.errors;
      setFieldError(errors?.response);
      notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <Box component="form" onSubmit={(event) => (event.preventDefault(), setConfirming(true))}>
      <Alert severity="warning" sx={{ mb: 2 }}>
        {translate("self.warnings.deadline", { deadline })}
      </Alert>
      <TextField
        name="response"
        label={translate("self.warnings.response")}
        helperText={fieldError ?? translate("self.warnings.response_help")}
        error={Boolean(fieldError)}
        value={response}
        onChange={(event) => setResponse(event.target.value)}
        multiline
        minRows={4}
        fullWidth
        slotProps={{ htmlInput: { maxLength: 20000 } }}
      />
      <Button type="submit" variant="contained" sx={{ mt: 2 }} disabled={busy}>
        {translate("self.warnings.acknowledge")}
      </Button>
      <Confirm
        isOpen={confirming}
        loading={busy}
        title="self.warnings.confirm_title"
        content={response.trim() ? "self.warnings.confirm_with_response" : "self.warnings.confirm_content"}
        confirm="self.warnings.acknowledge"
        onConfirm={acknowledge}
        onClose={() => setConfirming(false)}
      />
    </Box>
  );
}
