/**
 * HR's complaints: the queue, and a complaint with its investigation. What is shown is what the API returns to
 * HR, never more: the notes are shown only when the API sends them (it does to HR only), and the filer's name
 * is kept from nobody here because only HR reads this screen; `withhold_name` is shown so HR keeps it out of what
 * it shares with the person complained about.
 */
import { useState, type ReactNode } from "react";
import { Alert, Box, Card, CardContent, Stack, Typography } from "@mui/material";
import {
  AutocompleteInput,
  Datagrid,
  FileField,
  FileInput,
  Form,
  FunctionField,
  List,
  RadioButtonGroupInput,
  ReferenceField,
  ReferenceInput,
  required,
  SaveButton,
  SelectField,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { fillPath } from "../../api/resources";
import type { components } from "../../api/schema";
import { formatDateTime } from "../../format";
import { HR_ACTIONS } from "./resources";
import {
  AGAINST_KINDS,
  COMPLAINT_STATUSES,
  DownloadButton,
  fullName,
  MomentField,
  useActionSubmit,
  type FieldValues,
  useConfirmation,
  useDataApi,
} from "./shared";

type Complaint = components["schemas"]["hr_ComplaintRead"];
type Employee = components["schemas"]["hr_EmployeeRead"];

const personName = (record: Employee) => fullName(record);

const filters = [<SelectInput key="status" source="status" choices={COMPLAINT_STATUSES} alwaysOn />];

/** The queue of complaints (HR sees all, the API decides). */
export function ComplaintList() {
  return (
    <List filters={filters} perPage={50} sort={{ field: "", order: "ASC" }} exporter={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="summary" sortable={false} />
        <SelectField source="against_kind" choices={AGAINST_KINDS} sortable={false} />
        <TextField source="against_description" sortable={false} />
        <SelectField source="status" choices={COMPLAINT_STATUSES} sortable={false} />
        <ReferenceField source="investigator_id" reference="employees" link={false} sortable={false} emptyText="—">
          <FunctionField render={personName} />
        </ReferenceField>
        <MomentField source="filed_at" />
      </Datagrid>
    </List>
  );
}

function ComplaintTitle() {
  const record = useRecordContext<Complaint>();
  const translate = useTranslate();
  return <span>{record?.summary ?? translate("resources.hr_complaints.name", { smart_count: 1 })}</span>;
}

export function ComplaintShow() {
  return (
    <Show title={<ComplaintTitle />}>
      <SimpleShowLayout>
        <TextField source="summary" />
        <TextField source="details" />
        <SelectField source="against_kind" choices={AGAINST_KINDS} />
        <TextField source="against_description" />
        <ReferenceField source="against_employee_id" reference="employees" link="show" emptyText="—">
          <FunctionField render={personName} />
        </ReferenceField>
        <ReferenceField source="filed_by" reference="employees" link="show">
          <FunctionField render={personName} />
        </ReferenceField>
        <WithheldNotice label={false} />
        <SelectField source="status" choices={COMPLAINT_STATUSES} />
        <ReferenceField source="investigator_id" reference="employees" link="show" emptyText="—">
          <FunctionField render={personName} />
        </ReferenceField>
        <MomentField source="filed_at" />
        <TextField source="outcome" emptyText="—" />
        <MomentField source="closed_at" />
        <Notes label={false} />
        <Investigation label={false} />
      </SimpleShowLayout>
    </Show>
  );
}

function WithheldNotice(_: { label?: false }) {
  const record = useRecordContext<Complaint>();
  const translate = useTranslate();
  if (!record?.withhold_name) return null;
  return <Alert severity="info">{translate("hr.complaints.withheld")}</Alert>;
}

/** The investigation notes, as the API returns them (to HR only; absent for anyone else). */
function Notes(_: { label?: false }) {
  const record = useRecordContext<Complaint>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record || !record.notes) return null;
  return (
    <Stack spacing={1}>
      <Typography component="h2" variant="h6">
        {translate("hr.complaints.notes")}
      </Typography>
      {record.notes.length === 0 && <Typography>{translate("hr.complaints.no_notes")}</Typography>}
      {record.notes.map((note) => (
        <Card key={note.id} variant="outlined">
          <CardContent>
            <Typography variant="body2" color="text.secondary">
              {formatDateTime(note.written_at, locale)}
            </Typography>
            <Typography sx={{ whiteSpace: "pre-wrap" }}>{note.text}</Typography>
            {note.evidence_document_id && <Evidence documentId={note.evidence_document_id} />}
          </CardContent>
        </Card>
      ))}
    </Stack>
  );
}

function Evidence({ documentId }: { documentId: string }) {
  return (
    <ReferenceField record={{ id: documentId, document_id: documentId }} source="document_id" reference="hr_documents" link={false}>
      <DownloadButton />
    </ReferenceField>
  );
}

/** Assign an investigator, add notes with evidence, close: for an open complaint. */
function Investigation(_: { label?: false }) {
  const record = useRecordContext<Complaint>();
  const translate = useTranslate();
  if (!record || record.status === "resolved" || record.status === "unfounded") return null;
  return (
    <Stack spacing={2} sx={{ pt: 2 }}>
      <Section title={translate("hr.complaints.assign_title")}>
        <AssignForm complaint={record} />
      </Section>
      <Section title={translate("hr.complaints.note_title")}>
        <NoteForm complaint={record} />
      </Section>
      {record.investigator_id && (
        <Section title={translate("hr.complaints.close_title")}>
          <CloseForm complaint={record} />
        </Section>
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h2" variant="h6" sx={{ mb: 1 }}>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function AssignForm({ complaint }: { complaint: Complaint }) {
  const translate = useTranslate();
  const data = useDataApi();
  const refresh = useRefresh();
  const notify = useNotify();
  const submit = useActionSubmit(async (values: FieldValues) => {
    await data.post(fillPath(HR_ACTIONS.investigator, complaint.id), { investigator_id: values.investigator_id });
    notify("hr.complaints.assigned", { type: "success" });
    refresh();
  });
  return (
    <Form onSubmit={submit} record={{ investigator_id: complaint.investigator_id ?? "" }}>
      <Box sx={{ display: "flex", gap: 2, alignItems: "flex-start", flexWrap: "wrap" }}>
        <ReferenceInput source="investigator_id" reference="employees">
          <AutocompleteInput
            label="hr.complaints.investigator"
            optionText={(record: Employee) => `${fullName(record)} (${record.email})`}
            filterToQuery={(q: string) => ({ q })}
            helperText={translate("hr.complaints.investigator_help")}
            validate={required()}
            sx={{ minWidth: 360 }}
          />
        </ReferenceInput>
        <SaveButton label={translate("hr.complaints.assign")} alwaysEnable sx={{ mt: 1 }} />
      </Box>
    </Form>
  );
}

function NoteForm({ complaint }: { complaint: Complaint }) {
  const translate = useTranslate();
  const data = useDataApi();
  const refresh = useRefresh();
  const notify = useNotify();
  const [version, setVersion] = useState(0); // a new form (empty) once a note was added
  const submit = useActionSubmit(async (values: FieldValues) => {
    let evidence: string | null = null;
    const file = values.evidence?.rawFile as File | undefined;
    if (file) {
      // Evidence is HR's: filed readable by HR only, linked to no employee (who could then read it).
      const upload = new FormData();
      upload.append("file", file);
      upload.append("title", file.name);
      upload.append("type", "evidence");
      upload.append("roles", "hr");
      upload.append("tags", "complaint");
      evidence = (await data.post<{ id: string }>("/api/docs/documents", upload)).id;
    }
    await data.post(fillPath(HR_ACTIONS.notes, complaint.id), { text: values.text, evidence_document_id: evidence });
    setVersion((n) => n + 1);
    notify("hr.complaints.noted", { type: "success" });
    refresh();
  });
  return (
    <Form key={version} onSubmit={submit} record={{ text: "" }}>
      <TextInput source="text" label="hr.complaints.note_text" multiline minRows={3} validate={required()} fullWidth />
      <FileInput
        source="evidence"
        label="hr.complaints.evidence"
        helperText={translate("hr.complaints.evidence_help")}
        inputProps={{ "aria-label": translate("hr.complaints.evidence") }}
      >
        <FileField source="src" title="title" />
      </FileInput>
      <SaveButton label={translate("hr.complaints.add_note")} alwaysEnable />
    </Form>
  );
}

function CloseForm({ complaint }: { complaint: Complaint }) {
  const translate = useTranslate();
  const data = useDataApi();
  const refresh = useRefresh();
  const notify = useNotify();
  const { ask, dialog } = useConfirmation();
  const submit = useActionSubmit(async (values: FieldValues) => {
    const outcome = COMPLAINT_STATUSES.find((s) => s.id === values.status);
    const sure = await ask(
      translate("hr.complaints.confirm_close_title"),
      translate("hr.complaints.confirm_close", { status: outcome ? translate(outcome.name) : values.status }),
    );
    if (!sure) return;
    await data.post(fillPath(HR_ACTIONS.closing, complaint.id), { status: values.status, outcome: values.outcome });
    notify("hr.complaints.closed", { type: "success" });
    refresh();
  });
  return (
    <>
      <Form onSubmit={submit} record={{ status: "resolved", outcome: "" }}>
        <RadioButtonGroupInput
          source="status"
          label="hr.complaints.closing_status"
          choices={COMPLAINT_STATUSES.filter((s) => s.id === "resolved" || s.id === "unfounded")}
        />
        <TextInput
          source="outcome"
          label="hr.complaints.outcome"
          helperText={translate("hr.complaints.outcome_help")}
          multiline
          minRows={2}
          validate={required()}
          fullWidth
        />
        <SaveButton label={translate("hr.complaints.close")} alwaysEnable />
      </Form>
      {dialog}
    </>
  );
}
