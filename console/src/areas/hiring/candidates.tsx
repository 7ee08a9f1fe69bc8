import { useId, useState } from "react";
import { Button, Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import {
  CreateButton,
  Datagrid,
  email,
  Form,
  FunctionField,
  List,
  ReferenceInput,
  SaveButton,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  required,
  useDataProvider,
  useTranslate,
} from "react-admin";
import { Card, CardContent } from "@mui/material";
import { useNavigate, useSearchParams } from "react-router-dom";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { ListEmpty, useAction, type Candidate, type Opening, type Values, named, SubmitBar } from "./common";
import { candidateName } from "./pipeline";

const filters = [<SearchInput key="q" source="q" alwaysOn />];

/** Choosing an open opening (the only ones that take applications). */
function OpenOpeningInput({ validate }: { validate?: ReturnType<typeof required> }) {
  return (
    <ReferenceInput source="opening_id" reference="openings" filter={{ status: "open" }}>
      <SelectInput
        label="hiring.candidates.opening"
        optionText={(o: Opening) => o.position}
        validate={validate}
        emptyText="hiring.candidates.no_opening"
      />
    </ReferenceInput>
  );
}

/** Applying one candidate to an open opening, from the list of candidates. */
function ApplyButton({ candidate }: { candidate: Candidate }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const navigate = useNavigate();
  const { run } = useAction();
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const name = candidateName(candidate);
  return (
    <>
      <Button
        size="small"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
        aria-label={named(translate("hiring.candidates.apply"), name)}
      >
        {translate("hiring.candidates.apply")}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        onClick={(event) => event.stopPropagation()}
        aria-labelledby={titleId}
        fullWidth
        maxWidth="sm"
      >
        <DialogTitle id={titleId}>{translate("hiring.candidates.apply_title", { name })}</DialogTitle>
        <Form
          record={{ id: candidate.id }} // not the candidate's row as the form's values
          onSubmit={(values: Values) =>
            run(
              () =>
                dataProvider.create("applications", {
                  data: { opening_id: values.opening_id, candidate_id: candidate.id },
                }),
              translate("hiring.candidates.applied"),
              () => navigate(`/openings/${encodeURIComponent(String(values.opening_id))}/show`),
            )
          }
        >
          <DialogContent>
            <OpenOpeningInput validate={required()} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</Button>
            <SaveButton label="hiring.candidates.apply" icon={<span />} />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
}

/** Everyone HR has recorded as a candidate, found by name or e-mail. */
export function CandidateList() {
  return (
    <List
      filters={filters}
      empty={<ListEmpty create />}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="given_name" sortable={false} />
        <TextField source="family_name" sortable={false} />
        <TextField source="email" sortable={false} />
        <TextField source="phone" sortable={false} />
        <TextField source="source" sortable={false} />
        <FunctionField
          label="hiring.candidates.actions"
          render={(record: Candidate) => <ApplyButton candidate={record} />}
        />
      </Datagrid>
    </List>
  );
}

/**
 * Adding a candidate, and applying them at once to an opening (the one whose board sent HR here, or another
 * open one): the candidate then shows on that opening's pipeline board.
 */
export function CandidateCreate() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const navigate = useNavigate();
  const { run } = useAction();
  const [params] = useSearchParams();
  const opening = params.get("opening") ?? "";
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("hiring.candidates.create")} />
      <CardContent sx={{ p: 0 }}>
        <SimpleForm
          toolbar={<SubmitBar label="ra.action.save" />}
          defaultValues={{ opening_id: opening }}
          onSubmit={(values: Values) => {
            const { opening_id: openingId, ...candidate } = values;
            for (const key of Object.keys(candidate)) if (candidate[key] === "") delete candidate[key];
            return run(
              async () => {
                const made = await dataProvider.create("candidates", { data: candidate });
                if (openingId) {
                  try {
                    await dataProvider.create("applications", {
                      data: { opening_id: openingId, candidate_id: made.data.id },
                    });
                  } catch (caught) {
                    // The candidate is recorded: take HR to the list, where they can be applied again.
                    navigate("/candidates");
                    throw caught;
                  }
                }
                return made.data;
              },
              openingId ? translate("hiring.candidates.created_applied") : translate("hiring.candidates.created"),
              () => navigate(openingId ? `/openings/${encodeURIComponent(String(openingId))}/show` : "/candidates"),
            );
          }}
        >
          <TextInput source="given_name" validate={required()} />
          <TextInput source="family_name" validate={required()} />
          <TextInput source="email" type="email" validate={[required(), email()]} />
          <TextInput source="phone" />
          <TextInput source="source" validate={required()} helperText="hiring.candidates.source_help" />
          <OpenOpeningInput />
        </SimpleForm>
      </CardContent>
    </Card>
  );
}
