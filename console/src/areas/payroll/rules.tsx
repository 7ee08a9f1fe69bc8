import { Fragment, useState } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  IconButton,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
  type Theme,
} from "@mui/material";
import DeleteIcon from "@mui/icons-material/Delete";
import {
  Datagrid,
  FunctionField,
  List,
  SelectInput,
  Show,
  TextField,
  Title,
  useDataProvider,
  useGetList,
  useLocaleState,
  useNotify,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { Link as RouterLink, useNavigate, useSearchParams } from "react-router-dom";
import { fillPath } from "../../api/resources";
import { ProblemError } from "../../api/http";
import { ruleSetErrors } from "./ruleErrors";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatNumber } from "../../format";
import { Failed, Loading } from "../../components/States";
import { DayField } from "./common";
import { payrollResources } from "./resources";

/** A rule as the API sends it: decimals are text, kept as text (never a JS number). */
export interface Rule {
  kind: "hours" | "salary" | "item" | "fixed" | "percentage" | "brackets";
  code: string;
  description: string;
  pay_types?: string[];
  hours_kind?: string;
  multiplier?: string;
  item_kind?: string;
  category?: string;
  amount?: string;
  percent?: string;
  base?: string[];
  period_cap?: string | null;
  annual_cap?: string | null;
  reduces_taxable?: boolean;
  brackets?: { up_to: string | null; percent: string }[];
}

interface RuleSet {
  id: string;
  pay_group: string;
  version: number;
  effective_from: string;
  effective_to: string | null;
  in_force_to: string | null;
  standard_hours_per_year: string;
  rules: Rule[];
  created_by_actor?: { name: string | null } | null;
}

interface PayGroup {
  code: string;
  name: string;
  currency: string;
}

const LIST = payrollResources.payroll_rule_sets.list;
const WITHHOLDING = ["fixed", "percentage", "brackets"];
/** The field of a rule's one number, by kind: a rate, an amount or a multiplier. */
const VALUE_FIELD: Partial<Record<Rule["kind"], "percent" | "amount" | "multiplier">> = {
  percentage: "percent",
  fixed: "amount",
  hours: "multiplier",
};

/** The versions of every pay group's rules, with the days each is in force. */
export function RuleSetList() {
  const translate = useTranslate();
  const groups = useGetList<PayGroup & { id: string }>("payroll_pay_groups", { pagination: { page: 1, perPage: 100 } });
  return (
    <List
      title={translate("payroll.rules.title")}
      filters={[
        <SelectInput
          key="pay_group"
          source="pay_group"
          label="payroll.rules.pay_group"
          alwaysOn
          choices={(groups.data ?? []).map((g) => ({ id: g.code, name: `${g.name} (${g.code})` }))}
        />,
      ]}
      actions={
        <Button component={RouterLink} to="/payroll_rule_sets/create" variant="contained" sx={{ my: 1 }}>
          {translate("payroll.rules.new_version")}
        </Button>
      }
      sort={{ field: "", order: "ASC" }}
      perPage={100}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="pay_group" label="payroll.rules.pay_group" sortable={false} />
        <TextField source="version" label="payroll.rules.version" sortable={false} />
        <DayField source="effective_from" label="payroll.rules.effective_from" sortable={false} />
        <FunctionField
          label="payroll.rules.in_force_to"
          render={(record: RuleSet) => <InForceTo record={record} />}
        />
        <FunctionField label="payroll.rules.rule_count" render={(record: RuleSet) => record.rules.length} />
        <FunctionField
          label="payroll.rules.created_by"
          render={(record: RuleSet) => record.created_by_actor?.name ?? ""}
        />
      </Datagrid>
    </List>
  );
}

function InForceTo({ record }: { record: RuleSet }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return <>{record.in_force_to ? formatDate(record.in_force_to, locale) : translate("payroll.rules.open")}</>;
}

/** One version read as tables: the rules in the order they apply, brackets as rows of their own. */
export function RuleSetShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("payroll.rules.one")} actions={false}>
      <RuleSetBody />
    </Show>
  );
}

function RuleSetBody() {
  const record = useRecordContext<RuleSet>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <CardContent>
      <Typography component="h2" variant="h5">
        {translate("payroll.rules.heading", { group: record.pay_group, version: record.version })}
      </Typography>
      <Typography gutterBottom>
        {record.in_force_to
          ? translate("payroll.rules.in_force", {
              from: formatDate(record.effective_from, locale),
              to: formatDate(record.in_force_to, locale),
            })
          : translate("payroll.rules.in_force_open", { from: formatDate(record.effective_from, locale) })}{" "}
        · {translate("payroll.rules.standard_hours")}: {formatNumber(record.standard_hours_per_year, locale)}
      </Typography>
      <Button
        component={RouterLink}
        to={`/payroll_rule_sets/create?from=${encodeURIComponent(record.id)}`}
        variant="contained"
        sx={{ my: 1 }}
      >
        {translate("payroll.rules.new_from_this")}
      </Button>
      <RulesTable rules={record.rules} />
    </CardContent>
  );
}

interface Editing {
  change: (index: number, rule: Rule) => void;
  remove: (index: number) => void;
  errors: Record<string, string>;
}

/** The rules of a set as one table (a row per rule, its brackets in rows beneath); editable when `editing`. */
function RulesTable({ rules, editing }: { rules: Rule[]; editing?: Editing }) {
  const translate = useTranslate();
  return (
    <Table size="small" aria-label={translate("payroll.rules.rules")} sx={{ my: 2 }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate("payroll.rules.code")}</TableCell>
          <TableCell>{translate("payroll.rules.description")}</TableCell>
          <TableCell>{translate("payroll.rules.kind")}</TableCell>
          <TableCell>{translate("payroll.rules.applies")}</TableCell>
          <TableCell>{translate("payroll.rules.base")}</TableCell>
          <TableCell align="right">{translate("payroll.rules.value")}</TableCell>
          <TableCell align="right">{translate("payroll.rules.period_cap")}</TableCell>
          <TableCell align="right">{translate("payroll.rules.annual_cap")}</TableCell>
          {editing && <TableCell>{translate("payroll.rules.actions")}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {rules.map((rule, index) => (
          <RuleRows key={index} rule={rule} index={index} editing={editing} />
        ))}
      </TableBody>
    </Table>
  );
}

function RuleRows({ rule, index, editing }: { rule: Rule; index: number; editing?: Editing }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const key = `rules.${index}`;
  const errors = editing?.errors ?? {};
  const rowError = errors[key];
  const set = (patch: Partial<Rule>) => editing?.change(index, { ...rule, ...patch });
  const valueField = VALUE_FIELD[rule.kind];
  const withholding = WITHHOLDING.includes(rule.kind);
  const kindName = translate(`payroll.rules.kinds.${rule.kind}`, { _: rule.kind });
  const applies = [
    rule.category ? translate(`payroll.rules.categories.${rule.category}`, { _: rule.category }) : "",
    rule.hours_kind ? translate(`payroll.rules.hours_kinds.${rule.hours_kind}`, { _: rule.hours_kind }) : "",
    rule.item_kind ? translate(`payroll.rules.item_kinds.${rule.item_kind}`, { _: rule.item_kind }) : "",
    (rule.pay_types ?? []).map((t) => translate(`payroll.rules.pay_types.${t}`, { _: t })).join(", "),
    rule.reduces_taxable ? translate("payroll.rules.pre_tax") : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const number = (value: string | null | undefined, percent: boolean) =>
    value === null || value === undefined || value === ""
      ? ""
      : percent
        ? `${formatNumber(value, locale)} %`
        : formatNumber(value, locale);

  function cell(field: keyof Rule, label: string, width = 110) {
    const error = errors[`${key}.${String(field)}`];
    return (
      <MuiTextField
        size="small"
        value={(rule[field] as string | null | undefined) ?? ""}
        onChange={(event) => set({ [field]: event.target.value } as Partial<Rule>)}
        error={Boolean(error)}
        helperText={error}
        inputProps={{ "aria-label": `${label} (${rule.code || index + 1})`, inputMode: "decimal" }}
        sx={{ width }}
      />
    );
  }

  // A rule with any error (its own, a field's, a bracket's) is marked by a red bar at its start.
  const marked = Object.keys(errors).some((k) => k === key || k.startsWith(`${key}.`));
  const rowSx = marked ? { boxShadow: (theme: Theme) => `inset 4px 0 0 ${theme.palette.error.main}` } : {};
  return (
    <Fragment>
      <TableRow sx={rowSx} data-rule={rule.code}>
        <TableCell>
          {editing ? (
            <MuiTextField
              size="small"
              value={rule.code}
              onChange={(event) => set({ code: event.target.value })}
              error={Boolean(errors[`${key}.code`])}
              helperText={errors[`${key}.code`]}
              inputProps={{ "aria-label": `${translate("payroll.rules.code")} (${index + 1})` }}
              sx={{ width: 140 }}
            />
          ) : (
            <code>{rule.code}</code>
          )}
        </TableCell>
        <TableCell>
          {editing ? (
            <MuiTextField
              size="small"
              value={rule.description}
              onChange={(event) => set({ description: event.target.value })}
              error={Boolean(errors[`${key}.description`])}
              helperText={errors[`${key}.description`]}
              inputProps={{ "aria-label": `${translate("payroll.rules.description")} (${rule.code || index + 1})` }}
              sx={{ minWidth: 180 }}
            />
          ) : (
            rule.description
          )}
        </TableCell>
        <TableCell>{kindName}</TableCell>
        <TableCell>{applies}</TableCell>
        <TableCell>
          {"base" in rule || rule.kind === "percentage" || rule.kind === "brackets" ? (
            editing ? (
              <MuiTextField
                size="small"
                value={(rule.base ?? ["gross"]).join(", ")}
                onChange={(event) =>
                  set({
                    base: event.target.value
                      .split(",")
                      .map((part) => part.trim())
                      .filter(Boolean),
                  })
                }
                error={Boolean(errors[`${key}.base`])}
                helperText={errors[`${key}.base`]}
                inputProps={{ "aria-label": `${translate("payroll.rules.base")} (${rule.code || index + 1})` }}
                sx={{ width: 130 }}
              />
            ) : (
              (rule.base ?? ["gross"]).map((b) => translate(`payroll.rules.bases.${b}`, { _: b })).join(" + ")
            )
          ) : (
            ""
          )}
        </TableCell>
        <TableCell align="right">
          {valueField
            ? editing
              ? cell(valueField, translate(`payroll.rules.values.${valueField}`))
              : valueField === "amount"
                ? number(rule.amount, false)
                : valueField === "percent"
                  ? number(rule.percent, true)
                  : `× ${number(rule.multiplier ?? "1", false)}`
            : rule.kind === "brackets"
              ? translate("payroll.rules.see_brackets")
              : ""}
        </TableCell>
        <TableCell align="right">
          {withholding
            ? editing
              ? cell("period_cap", translate("payroll.rules.period_cap"))
              : number(rule.period_cap, false)
            : ""}
        </TableCell>
        <TableCell align="right">
          {withholding
            ? editing
              ? cell("annual_cap", translate("payroll.rules.annual_cap"))
              : number(rule.annual_cap, false)
            : ""}
        </TableCell>
        {editing && (
          <TableCell>
            <IconButton
              aria-label={translate("payroll.rules.remove_rule", { code: rule.code || index + 1 })}
              onClick={() => editing.remove(index)}
            >
              <DeleteIcon />
            </IconButton>
          </TableCell>
        )}
      </TableRow>
      {rowError && (
        <TableRow sx={rowSx}>
          <TableCell colSpan={editing ? 9 : 8}>
            <Alert severity="error" role="alert">
              {rowError}
            </Alert>
          </TableCell>
        </TableRow>
      )}
      {rule.kind === "brackets" && (
        <TableRow>
          <TableCell />
          <TableCell colSpan={editing ? 8 : 7}>
            <BracketsTable rule={rule} index={index} editing={editing} set={set} />
          </TableCell>
        </TableRow>
      )}
    </Fragment>
  );
}

/** A progressive rule's slices: from the previous bound up to its own, at its rate; the last takes the rest. */
function BracketsTable({
  rule,
  index,
  editing,
  set,
}: {
  rule: Rule;
  index: number;
  editing?: Editing;
  set: (patch: Partial<Rule>) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const brackets = rule.brackets ?? [];
  const errors = editing?.errors ?? {};
  const change = (at: number, patch: Partial<{ up_to: string | null; percent: string }>) =>
    set({ brackets: brackets.map((b, i) => (i === at ? { ...b, ...patch } : b)) });
  return (
    <Box>
      <Table size="small" aria-label={translate("payroll.rules.brackets_of", { code: rule.code })}>
        <TableHead>
          <TableRow>
            <TableCell align="right">{translate("payroll.rules.from")}</TableCell>
            <TableCell align="right">{translate("payroll.rules.up_to")}</TableCell>
            <TableCell align="right">{translate("payroll.rules.rate")}</TableCell>
            {editing && <TableCell>{translate("payroll.rules.actions")}</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {brackets.map((bracket, at) => {
            const key = `rules.${index}.brackets.${at}`;
            const from = at === 0 ? "0" : (brackets[at - 1].up_to ?? "");
            const rowError = errors[key];
            const label = (what: string) =>
              translate("payroll.rules.bracket_field", { what, row: at + 1, code: rule.code });
            return (
              <TableRow
                key={at}
                sx={
                  Object.keys(errors).some((k) => k === key || k.startsWith(`${key}.`))
                    ? { boxShadow: (theme: Theme) => `inset 4px 0 0 ${theme.palette.error.main}` }
                    : {}
                }
                data-bracket={at + 1}
              >
                <TableCell align="right">{formatNumber(from, locale)}</TableCell>
                <TableCell align="right">
                  {editing ? (
                    <MuiTextField
                      size="small"
                      value={bracket.up_to ?? ""}
                      placeholder={translate("payroll.rules.the_rest")}
                      onChange={(event) => change(at, { up_to: event.target.value })}
                      error={Boolean(errors[`${key}.up_to`])}
                      helperText={errors[`${key}.up_to`] ?? rowError}
                      inputProps={{ "aria-label": label(translate("payroll.rules.up_to")), inputMode: "decimal" }}
                      sx={{ width: 140 }}
                    />
                  ) : bracket.up_to === null || bracket.up_to === undefined ? (
                    translate("payroll.rules.the_rest")
                  ) : (
                    formatNumber(bracket.up_to, locale)
                  )}
                </TableCell>
                <TableCell align="right">
                  {editing ? (
                    <MuiTextField
                      size="small"
                      value={bracket.percent}
                      onChange={(event) => change(at, { percent: event.target.value })}
                      error={Boolean(errors[`${key}.percent`])}
                      helperText={errors[`${key}.percent`]}
                      inputProps={{ "aria-label": label(translate("payroll.rules.rate")), inputMode: "decimal" }}
                      sx={{ width: 110 }}
                    />
                  ) : (
                    `${formatNumber(bracket.percent, locale)} %`
                  )}
                </TableCell>
                {editing && (
                  <TableCell>
                    <IconButton
                      aria-label={translate("payroll.rules.remove_bracket", { row: at + 1, code: rule.code })}
                      onClick={() => set({ brackets: brackets.filter((_, i) => i !== at) })}
                      disabled={brackets.length === 1}
                    >
                      <DeleteIcon />
                    </IconButton>
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {editing && (
        <Button
          size="small"
          sx={{ mt: 1 }}
          onClick={() => {
            // The new slice goes before the last one, which keeps taking the rest.
            const last = brackets.length - 1;
            set({ brackets: [...brackets.slice(0, last), { up_to: "", percent: "" }, ...brackets.slice(last)] });
          }}
        >
          {translate("payroll.rules.add_bracket", { code: rule.code })}
        </Button>
      )}
    </Box>
  );
}

/** What the API takes: empty optional amounts are left out; every decimal stays the text the clerk typed. */
function forApi(rule: Rule): Rule {
  const copy: Rule = { ...rule };
  for (const field of ["period_cap", "annual_cap"] as const) {
    if (copy[field] === "" || copy[field] === undefined) delete copy[field];
  }
  if (copy.brackets) {
    copy.brackets = copy.brackets.map((b) => ({ ...b, up_to: b.up_to === "" ? null : b.up_to }));
  }
  return copy;
}

function blankRule(kind: "fixed" | "percentage" | "brackets"): Rule {
  const common = { code: "", description: "", category: "deduction" };
  if (kind === "fixed") return { kind, ...common, amount: "" };
  if (kind === "percentage") return { kind, ...common, base: ["gross"], percent: "" };
  return { kind, ...common, base: ["gross"], brackets: [{ up_to: "", percent: "" }, { up_to: null, percent: "" }] };
}

/**
 * A new version of a group's rules from a date: it starts as a copy of a version (`?from=`, else the group's
 * latest), the clerk edits its rows and dates, and the API's errors are shown on the row and field they concern.
 */
export function RuleSetCreatePage() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [params] = useSearchParams();
  const from = params.get("from");
  const versions = useQuery({
    queryKey: ["payroll-rule-sets-all"],
    enabled: !from,
    queryFn: () => dataProvider.get<{ items: RuleSet[] }>(LIST, { limit: 500 }),
  });
  const source = useQuery({
    queryKey: ["payroll-rule-set", from],
    enabled: Boolean(from),
    queryFn: () => dataProvider.get<RuleSet>(fillPath(payrollResources.payroll_rule_sets.item, from ?? "")),
  });
  const [picked, setPicked] = useState("");
  const latest = new Map<string, RuleSet>();
  for (const version of versions.data?.items ?? []) {
    const known = latest.get(version.pay_group);
    if (!known || known.version < version.version) latest.set(version.pay_group, version);
  }
  const start = from ? source.data : latest.get(picked);
  const pending = from ? source.isPending : versions.isPending;
  const error = from ? source.error : versions.error;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("payroll.rules.new_version")} />
      <CardContent>
        <Typography component="h2" variant="h5" gutterBottom>
          {translate("payroll.rules.new_version")}
        </Typography>
        {pending ? (
          <Loading />
        ) : error ? (
          <Failed error={error} />
        ) : (
          <>
            {!from && (
              <MuiTextField
                select
                label={translate("payroll.rules.pay_group")}
                value={picked}
                onChange={(event) => setPicked(event.target.value)}
                helperText={translate("payroll.rules.starts_from_latest")}
                sx={{ width: 320, mb: 2 }}
              >
                {[...latest.keys()].map((group) => (
                  <MenuItem key={group} value={group}>
                    {group}
                  </MenuItem>
                ))}
              </MuiTextField>
            )}
            {start && <RuleSetEditor key={start.id} start={start} />}
          </>
        )}
      </CardContent>
    </Card>
  );
}

function RuleSetEditor({ start }: { start: RuleSet }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [rules, setRules] = useState<Rule[]>(() => start.rules.map((rule) => ({ ...rule })));
  const [effectiveFrom, setEffectiveFrom] = useState("");
  const [effectiveTo, setEffectiveTo] = useState("");
  const [hours, setHours] = useState(start.standard_hours_per_year);
  const [adding, setAdding] = useState<"fixed" | "percentage" | "brackets">("percentage");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    setErrors({});
    try {
      const created = await dataProvider.post<RuleSet>(LIST, {
        pay_group: start.pay_group,
        effective_from: effectiveFrom,
        effective_to: effectiveTo || null,
        standard_hours_per_year: hours,
        rules: rules.map(forApi),
      });
      notify("payroll.rules.saved", { type: "success", messageArgs: { version: created.version } });
      navigate(`/payroll_rule_sets/${encodeURIComponent(created.id)}/show`);
    } catch (failure) {
      if (failure instanceof ProblemError) {
        setErrors(ruleSetErrors(failure.problem, rules));
        notify("payroll.rules.not_saved", { type: "error" });
      } else {
        notify(failure instanceof Error ? failure.message : String(failure), { type: "error" });
      }
    } finally {
      setBusy(false);
    }
  }

  const editing: Editing = {
    errors,
    change: (index, rule) => setRules((all) => all.map((r, i) => (i === index ? rule : r))),
    remove: (index) => setRules((all) => all.filter((_, i) => i !== index)),
  };
  const general = errors[""] ?? errors.rules;
  return (
    <Box>
      <Typography gutterBottom>
        {translate("payroll.rules.copy_of", {
          group: start.pay_group,
          version: start.version,
          from: formatDate(start.effective_from, locale),
        })}
      </Typography>
      <Stack direction="row" spacing={2} sx={{ my: 2 }} useFlexGap flexWrap="wrap">
        <MuiTextField
          type="date"
          required
          label={translate("payroll.rules.effective_from")}
          value={effectiveFrom}
          onChange={(event) => setEffectiveFrom(event.target.value)}
          error={Boolean(errors.effective_from)}
          helperText={errors.effective_from ?? translate("payroll.rules.effective_from_help")}
          InputLabelProps={{ shrink: true }}
          sx={{ width: 260 }}
        />
        <MuiTextField
          type="date"
          label={translate("payroll.rules.effective_to")}
          value={effectiveTo}
          onChange={(event) => setEffectiveTo(event.target.value)}
          error={Boolean(errors.effective_to)}
          helperText={errors.effective_to ?? translate("payroll.rules.effective_to_help")}
          InputLabelProps={{ shrink: true }}
          sx={{ width: 260 }}
        />
        <MuiTextField
          label={translate("payroll.rules.standard_hours")}
          value={hours}
          onChange={(event) => setHours(event.target.value)}
          error={Boolean(errors.standard_hours_per_year)}
          helperText={errors.standard_hours_per_year}
          inputProps={{ inputMode: "decimal" }}
          sx={{ width: 220 }}
        />
      </Stack>
      {general && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {general}
        </Alert>
      )}
      <RulesTable rules={rules} editing={editing} />
      <Stack direction="row" spacing={2} alignItems="center" sx={{ mb: 2 }}>
        <MuiTextField
          select
          size="small"
          label={translate("payroll.rules.kind")}
          value={adding}
          onChange={(event) => setAdding(event.target.value as typeof adding)}
          sx={{ width: 220 }}
        >
          {(["fixed", "percentage", "brackets"] as const).map((kind) => (
            <MenuItem key={kind} value={kind}>
              {translate(`payroll.rules.kinds.${kind}`)}
            </MenuItem>
          ))}
        </MuiTextField>
        <Button onClick={() => setRules((all) => [...all, blankRule(adding)])}>{translate("payroll.rules.add_rule")}</Button>
      </Stack>
      <Stack direction="row" spacing={2}>
        <Button variant="contained" onClick={() => void save()} disabled={busy}>
          {translate("payroll.rules.save")}
        </Button>
        <Button component={RouterLink} to={`/payroll_rule_sets/${encodeURIComponent(start.id)}/show`}>
          {translate("app.actions.cancel")}
        </Button>
      </Stack>
    </Box>
  );
}

