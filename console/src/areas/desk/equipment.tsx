/**
 * Equipment (IT agents): every device with its status and warranty, who holds what, and handing a device to
 * someone or collecting it back (its whole history kept). Search by part of a tag, serial number, model, type or
 * the holder's name.
 */
import { useState } from "react";
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
  type ChipProps,
} from "@mui/material";
import {
  Create,
  CreateButton,
  Datagrid,
  DateInput,
  FilterButton,
  List,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  required,
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatDateTime } from "../../format";
import { DESK_EQUIPMENT_API, type AssetDetail, type StaffPage } from "./resources";

const STATUSES = ["in_stock", "assigned", "in_repair", "retired", "lost"] as const;
const K = "desk.equipment";

function statusColour(status: string): ChipProps["color"] {
  return status === "assigned" ? "primary" : status === "in_stock" ? "success" : status === "lost" ? "error" : "default";
}

function StatusField(_: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  return <Chip size="small" color={statusColour(String(record.status))} label={translate(`${K}.status.${record.status}`)} />;
}

/** The warranty's last day, with "expired" in words when it is past. */
function WarrantyField(_: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  if (!record) return null;
  if (!record.warranty_end) return <span>{translate(`${K}.no_warranty`)}</span>;
  return (
    <span>
      {formatDate(String(record.warranty_end), locale)}
      {record.warranty_expired ? ` (${translate(`${K}.expired`)})` : ""}
    </span>
  );
}

function HolderField(_: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  return <span>{record.assigned_name ?? (record.assigned_employee_id ? String(record.assigned_employee_id) : translate(`${K}.nobody`))}</span>;
}

function useStatusChoices() {
  const translate = useTranslate();
  return STATUSES.map((id) => ({ id, name: translate(`${K}.status.${id}`) }));
}

export function EquipmentList() {
  const translate = useTranslate();
  const statuses = useStatusChoices();
  const filters = [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate(`${K}.search`)} />,
    <SelectInput key="status" source="status" label={`${K}.fields.status`} choices={statuses} alwaysOn />,
    <TextInput key="type" source="type" label={`${K}.fields.type`} />,
  ];
  return (
    <List
      resource="desk_assets"
      title={translate(`${K}.title`)}
      filters={filters}
      sort={{ field: "", order: "ASC" }}
      perPage={50}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
          <CreateButton label={`${K}.register`} />
        </TopToolbar>
      }
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="tag" label={`${K}.fields.tag`} sortable={false} />
        <TextField source="type" label={`${K}.fields.type`} sortable={false} />
        <TextField source="model" label={`${K}.fields.model`} sortable={false} />
        <TextField source="serial" label={`${K}.fields.serial`} sortable={false} />
        <StatusField label={`${K}.fields.status`} sortable={false} />
        <HolderField label={`${K}.fields.holder`} sortable={false} />
        <WarrantyField label={`${K}.fields.warranty_end`} sortable={false} />
      </Datagrid>
    </List>
  );
}

export function EquipmentCreate() {
  const translate = useTranslate();
  return (
    <Create resource="desk_assets" title={translate(`${K}.register`)} redirect="show">
      <SimpleForm>
        <TextInput source="tag" label={`${K}.fields.tag`} validate={required()} />
        <TextInput source="type" label={`${K}.fields.type`} validate={required()} helperText={`${K}.type_help`} />
        <TextInput source="model" label={`${K}.fields.model`} validate={required()} />
        <TextInput source="serial" label={`${K}.fields.serial`} validate={required()} />
        <DateInput source="purchase_date" label={`${K}.fields.purchase_date`} />
        <DateInput source="warranty_end" label={`${K}.fields.warranty_end`} />
        <TextInput source="notes" label={`${K}.fields.notes`} multiline />
      </SimpleForm>
    </Create>
  );
}

/** A person of the directory, found as the agent types. */
function PersonPicker({ value, onChange }: { value: Staff | null; onChange: (person: Staff | null) => void }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [text, setText] = useState("");
  const found = useQuery({
    queryKey: ["desk-equipment-people", text],
    queryFn: () => dataProvider.get<StaffPage>(DESK_EQUIPMENT_API.directory, { q: text, limit: 20 }),
    enabled: text.trim().length > 0,
  });
  return (
    <Autocomplete
      sx={{ minWidth: 320 }}
      options={found.data?.items ?? []}
      value={value}
      onChange={(_, person) => onChange(person)}
      inputValue={text}
      onInputChange={(_, typed) => setText(typed)}
      getOptionLabel={(person) => `${person.name}${person.department ? ` (${person.department})` : ""}`}
      isOptionEqualToValue={(a, b) => a.employee_id === b.employee_id}
      filterOptions={(options) => options}
      loading={found.isFetching}
      noOptionsText={translate(`${K}.nobody_found`)}
      renderInput={(params) => <MuiTextField {...params} size="small" label={translate(`${K}.assign_to`)} />}
    />
  );
}

type Staff = StaffPage["items"][number];

function Actions() {
  const record = useRecordContext<AssetDetail>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [person, setPerson] = useState<Staff | null>(null);
  const [condition, setCondition] = useState("");
  const [back, setBack] = useState<"in_stock" | "in_repair" | "retired">("in_stock");
  const [busy, setBusy] = useState(false);
  if (!record) return null;

  async function act(path: string, body: unknown, done: string) {
    setBusy(true);
    try {
      await dataProvider.post(fillPath(path, String(record!.id)), body, { idempotent: false });
      notify(done, { type: "success", messageArgs: { tag: record!.tag, name: person?.name ?? "" } });
      setPerson(null);
      setCondition("");
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  if (record.status === "in_stock")
    return (
      <Stack direction="row" spacing={1} alignItems="center" component="section" aria-label={translate(`${K}.assign`)}>
        <PersonPicker value={person} onChange={setPerson} />
        <Button
          variant="contained"
          sx={{ flexShrink: 0, whiteSpace: "nowrap" }}
          disabled={!person || busy}
          onClick={() => void act(DESK_EQUIPMENT_API.assign, { employee_id: person?.employee_id }, `${K}.assigned`)}
        >
          {person ? translate(`${K}.assign_button`, { name: person.name }) : translate(`${K}.assign`)}
        </Button>
      </Stack>
    );
  if (record.status === "assigned")
    return (
      <Stack direction="row" spacing={1} alignItems="center" component="section" aria-label={translate(`${K}.collect`)}>
        <MuiTextField
          size="small"
          label={translate(`${K}.condition`)}
          value={condition}
          onChange={(event) => setCondition(event.target.value)}
          slotProps={{ htmlInput: { maxLength: 200 } }}
        />
        <MuiTextField
          select
          size="small"
          label={translate(`${K}.goes_to`)}
          value={back}
          onChange={(event) => setBack(event.target.value as typeof back)}
          sx={{ minWidth: 160 }}
        >
          {(["in_stock", "in_repair", "retired"] as const).map((value) => (
            <MenuItem key={value} value={value}>
              {translate(`${K}.status.${value}`)}
            </MenuItem>
          ))}
        </MuiTextField>
        <Button
          variant="contained"
          disabled={busy}
          onClick={() =>
            void act(DESK_EQUIPMENT_API.collect, { condition: condition.trim() || null, status: back }, `${K}.collected`)
          }
        >
          {translate(`${K}.collect_from`, { name: record.assigned_name ?? "" })}
        </Button>
      </Stack>
    );
  return null;
}

/** A person's name from the directory (cached), their id until it arrives. */
function PersonName({ employeeId }: { employeeId: string }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const person = useQuery({
    queryKey: ["desk-person", employeeId],
    queryFn: () => dataProvider.get<Staff>(fillPath(DESK_EQUIPMENT_API.person, employeeId)),
    staleTime: 300_000,
  });
  return <span>{person.data?.name ?? employeeId}</span>;
}

function History() {
  const record = useRecordContext<AssetDetail>();
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  if (!record) return null;
  // Just after the create, the record is the create's answer (no history yet) until the show's own arrives.
  const history = record.history ?? [];
  if (history.length === 0) return <Typography>{translate(`${K}.never_assigned`)}</Typography>;
  return (
    <Table size="small" aria-label={translate(`${K}.history`)}>
      <TableHead>
        <TableRow>
          <TableCell>{translate(`${K}.fields.holder`)}</TableCell>
          <TableCell>{translate(`${K}.handed_over`)}</TableCell>
          <TableCell>{translate(`${K}.returned`)}</TableCell>
          <TableCell>{translate(`${K}.condition`)}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {history.map((h) => (
          <TableRow key={`${h.employee_id}-${h.assigned_at}`}>
            <TableCell>
              <PersonName employeeId={h.employee_id} />
            </TableCell>
            <TableCell>
              {translate(`${K}.by`, { when: formatDateTime(h.assigned_at, locale), who: h.assigned_by_actor?.name ?? h.assigned_by })}
            </TableCell>
            <TableCell>
              {h.returned_at
                ? translate(`${K}.by`, {
                    when: formatDateTime(h.returned_at, locale),
                    who: h.returned_by_actor?.name ?? h.returned_by ?? "",
                  })
                : translate(`${K}.still_held`)}
            </TableCell>
            <TableCell>{h.return_condition ?? ""}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Details() {
  const record = useRecordContext<AssetDetail>();
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  if (!record) return null;
  const rows: [string, string][] = [
    ["type", record.type],
    ["model", record.model],
    ["serial", record.serial],
    ["purchase_date", record.purchase_date ? formatDate(record.purchase_date, locale) : "—"],
  ];
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
        <Typography component="h2" variant="h5">
          {record.tag}
        </Typography>
        <StatusField />
        {record.status === "assigned" && (
          <Typography data-testid="holder">{translate(`${K}.held_by`, { name: record.assigned_name ?? "" })}</Typography>
        )}
      </Stack>
      <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.5, m: 0 }}>
        {rows.map(([key, value]) => (
          <Box key={key} sx={{ display: "contents" }}>
            <Typography component="dt" sx={{ fontWeight: 600 }}>
              {translate(`${K}.fields.${key}`)}
            </Typography>
            <Typography component="dd" sx={{ m: 0 }}>
              {value}
            </Typography>
          </Box>
        ))}
        <Typography component="dt" sx={{ fontWeight: 600 }}>
          {translate(`${K}.fields.warranty_end`)}
        </Typography>
        <Typography component="dd" sx={{ m: 0 }}>
          <WarrantyField />
        </Typography>
      </Box>
      {record.notes && <Alert severity="info" sx={{ whiteSpace: "pre-wrap" }}>{record.notes}</Alert>}
      <Actions />
      <Typography component="h3" variant="h6">
        {translate(`${K}.history`)}
      </Typography>
      <History />
    </Stack>
  );
}

export function EquipmentShow() {
  const translate = useTranslate();
  return (
    <Show resource="desk_assets" title={translate(`${K}.title`)}>
      <Card variant="outlined">
        <CardContent>
          <Details />
        </CardContent>
      </Card>
    </Show>
  );
}
