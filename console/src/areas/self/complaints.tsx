import { useRef, useState } from "react";
import { Link as RouterLink } from "react-router-dom";
import { Box, Button, Typography } from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  Datagrid,
  FormDataConsumer,
  List,
  RadioButtonGroupInput,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  required,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRedirect,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty } from "../../components/States";
import { ChoiceField, ForMe, MomentField, useChoices, useMyEmployeeId, useFormat } from "./common";
import { SELF_API, type Complaint, type Page, type Staff } from "./resources";

const AGAINST_KINDS = ["person", "team", "practice"] as const;

function NewComplaintButton() {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <Button component={RouterLink} to="/me/complaints/new" startIcon={<AddIcon />} variant="contained">
        {translate("self.complaints.new")}
      </Button>
    </TopToolbar>
  );
}

function NameField(_: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext<Complaint>();
  const translate = useTranslate();
  if (!record) return null;
  return <span>{translate(record.withhold_name ? "self.complaints.withheld" : "self.complaints.shown")}</span>;
}

function ComplaintDetails() {
  const record = useRecordContext<Complaint>();
  const translate = useTranslate();
  const format = useFormat();
  if (!record) return null;
  return (
    <Box sx={{ p: 1 }}>
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
        {translate("resources.my_complaints.fields.details")}
      </Typography>
      <Typography sx={{ whiteSpace: "pre-wrap" }}>{record.details}</Typography>
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mt: 1 }}>
        {translate("resources.my_complaints.fields.outcome")}
      </Typography>
      <Typography>
        {record.outcome
          ? translate("self.complaints.outcome", { outcome: record.outcome, when: format.moment(record.closed_at) })
          : translate("self.complaints.no_outcome")}
      </Typography>
    </Box>
  );
}

/** The complaints I filed (only mine, even for an HR officer), with their status and outcome. */
export function ComplaintList() {
  const translate = useTranslate();
  return (
    <ForMe>
      {() => (
        <List
          resource="my_complaints"
          title={translate("self.menu.complaints")}
          filter={{ mine: true }}
          sort={{ field: "", order: "ASC" }}
          perPage={25}
          actions={<NewComplaintButton />}
          disableSyncWithLocation
          empty={
            <Box sx={{ mt: 2 }}>
              <NewComplaintButton />
              <Empty message={translate("self.complaints.none")} />
            </Box>
          }
        >
          <Datagrid expand={<ComplaintDetails />} bulkActionButtons={false}>
            <MomentField source="filed_at" sortable={false} />
            <TextField source="summary" sortable={false} />
            <ChoiceField source="against_kind" group="against_kind" sortable={false} />
            <TextField source="against_description" sortable={false} />
            <NameField source="withhold_name" sortable={false} />
            <ChoiceField source="status" group="complaint_status" sortable={false} />
          </Datagrid>
        </List>
      )}
    </ForMe>
  );
}

/** Whom the complaint is about: a colleague found in the staff directory, else a team or a practice in words. */
function Against({ names }: { names: Map<string, string> }) {
  const translate = useTranslate();
  return (
    <FormDataConsumer>
      {({ formData }) => {
        const person = formData.against_kind === "person";
        return (
          <>
            {person && <PersonInput names={names} />}
            <TextInput
              source="against_description"
              validate={person ? undefined : required()}
              helperText={translate(`self.complaints.describe_${person ? "person" : formData.against_kind}`)}
              fullWidth
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </>
        );
      }}
    </FormDataConsumer>
  );
}

function PersonInput({ names }: { names: Map<string, string> }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { employeeId } = useMyEmployeeId();
  const [search, setSearch] = useState("");
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(null);
  const staff = useQuery({
    queryKey: ["self", "directory", search],
    queryFn: () => dataProvider.get<Page<Staff>>(SELF_API.directory, { q: search || undefined, limit: 20 }),
  });
  const found = (staff.data?.items ?? [])
    .filter((person) => person.employee_id !== employeeId) // nobody complains about themself
    .map((person) => ({ id: person.employee_id, name: person.name }));
  const choices = picked && !found.some((choice) => choice.id === picked.id) ? [picked, ...found] : found;
  return (
    <AutocompleteInput
      source="against_employee_id"
      choices={choices}
      setFilter={setSearch}
      isPending={staff.isPending}
      translateChoice={false}
      validate={required()}
      onChange={(_value, record) => {
        const choice = record ? { id: String(record.id), name: String(record.name) } : null;
        setPicked(choice);
        if (choice) names.set(choice.id, choice.name);
      }}
      fullWidth
    />
  );
}

/** File a complaint against a person, a team or a practice, my name withheld if I wish. */
export function ComplaintCreate() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const kinds = useChoices("against_kind", AGAINST_KINDS);
  const names = useRef(new Map<string, string>()).current; // the colleagues picked, by employee id
  return (
    <ForMe>
      {() => (
        <Create
          resource="my_complaints"
          title={translate("self.complaints.new")}
          transform={(data: Record<string, unknown>) => {
            if (data.against_kind !== "person") return { ...data, against_employee_id: null };
            const described = String(data.against_description ?? "").trim();
            return { ...data, against_description: described || names.get(String(data.against_employee_id)) || "" };
          }}
          mutationOptions={{
            onSuccess: () => {
              notify("self.complaints.filed", { type: "success" });
              redirect("/me/complaints");
            },
          }}
        >
          <SimpleForm defaultValues={{ against_kind: "person", withhold_name: false }}>
            <Typography sx={{ mb: 2 }}>{translate("self.complaints.intro")}</Typography>
            <RadioButtonGroupInput source="against_kind" choices={kinds} validate={required()} />
            <Against names={names} />
            <TextInput source="summary" validate={required()} fullWidth slotProps={{ htmlInput: { maxLength: 200 } }} />
            <TextInput source="details" validate={required()} multiline minRows={5} fullWidth />
            <BooleanInput source="withhold_name" helperText={translate("self.complaints.withhold_help")} />
          </SimpleForm>
        </Create>
      )}
    </ForMe>
  );
}
