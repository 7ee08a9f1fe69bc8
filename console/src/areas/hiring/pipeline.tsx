/**
 * An opening's pipeline board: a column per stage of the company's pipeline (and one for the applications
 * closed), a card per application. A card moves on with its buttons (the next stage, or any other through
 * "Move to…"), from the keyboard like the rest; dragging a card onto another column does the same.
 */
import { useId, useState, type DragEvent } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Menu,
  MenuItem,
  Stack,
  TextField as MuiTextField,
  Typography,
} from "@mui/material";
import {
  AutocompleteInput,
  Form,
  ReferenceInput,
  SaveButton,
  required,
  useDataProvider,
  useTranslate,
} from "react-admin";
import { Link } from "react-router-dom";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { HIRING_PATHS } from "./resources";
import { CLOSED, HIRED, OFFER, columns, nextStage } from "./board";
import {
  Part,
  StateChip,
  path,
  useAction,
  useApi,
  useFormat,
  useStages,
  useWord,
  type Application,
  type Candidate,
  type Opening,
  type Page,
  type Values,
  named,
} from "./common";

function useMoves() {
  const translate = useTranslate();
  const word = useWord();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run, busy } = useAction();
  return {
    busy,
    move: (application: Application, stage: string) =>
      run(
        () => dataProvider.post(path(HIRING_PATHS.applicationStage, application.id), { stage }),
        translate("hiring.pipeline.moved", { name: candidateName(application.candidate), stage: word("stages", stage) }),
      ),
    close: (application: Application, outcome: "reject" | "withdraw", reason: string) =>
      run(
        () =>
          dataProvider.post(
            path(outcome === "reject" ? HIRING_PATHS.applicationReject : HIRING_PATHS.applicationWithdraw, application.id),
            { reason },
          ),
        translate(outcome === "reject" ? "hiring.pipeline.rejected" : "hiring.pipeline.withdrawn", {
          name: candidateName(application.candidate),
        }),
      ),
  };
}

export function candidateName(candidate: Candidate): string {
  return `${candidate.given_name} ${candidate.family_name}`;
}

/** Reject or withdraw, with the reason the API keeps. */
export function CloseDialog({
  application,
  outcome,
  onClose,
}: {
  application: Application;
  outcome: "reject" | "withdraw" | null;
  onClose: () => void;
}) {
  const translate = useTranslate();
  const { close, busy } = useMoves();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const titleId = useId();
  if (!outcome) return null;
  const name = candidateName(application.candidate);
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <Box
        component="form"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          if (!reason.trim()) {
            setMissing(true);
            return;
          }
          const errors = await close(application, outcome, reason.trim());
          if (!errors) onClose();
        }}
      >
        <DialogTitle id={titleId}>{translate(`hiring.pipeline.${outcome}_title`, { name })}</DialogTitle>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{translate(`hiring.pipeline.${outcome}_content`, { name })}</Typography>
          <MuiTextField
            autoFocus
            fullWidth
            multiline
            minRows={2}
            required
            label={translate("hiring.pipeline.reason")}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              setMissing(false);
            }}
            error={missing}
            helperText={missing ? translate("ra.validation.required") : undefined}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" color="error" disabled={busy}>
            {translate(`hiring.pipeline.${outcome}`)}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

/** The buttons that move an application: the next stage, another stage, reject, withdraw. */
export function StageButtons({
  application,
  stages,
  offerLink = true,
}: {
  application: Application;
  stages: string[];
  offerLink?: boolean;
}) {
  const translate = useTranslate();
  const word = useWord();
  const { move, busy } = useMoves();
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  const [closing, setClosing] = useState<"reject" | "withdraw" | null>(null);
  const menuId = useId();
  if (application.status !== "active") return null;
  const name = candidateName(application.candidate);
  const next = nextStage(stages, application.stage);
  const others = stages.filter((stage) => stage !== application.stage && stage !== HIRED);
  return (
    <>
      {next && (
        <Button
          size="small"
          variant="contained"
          disabled={busy}
          onClick={() => move(application, next)}
          aria-label={named(translate("hiring.pipeline.move", { stage: word("stages", next) }), name)}
        >
          {translate("hiring.pipeline.move", { stage: word("stages", next) })}
        </Button>
      )}
      {application.stage === OFFER && offerLink && (
        <Button
          size="small"
          variant="contained"
          component={Link}
          to={`/applications/${encodeURIComponent(application.id)}`}
          aria-label={named(translate("hiring.pipeline.offer"), name)}
        >
          {translate("hiring.pipeline.offer")}
        </Button>
      )}
      <Button
        size="small"
        disabled={busy}
        aria-haspopup="menu"
        aria-controls={menu ? menuId : undefined}
        aria-expanded={menu ? "true" : undefined}
        aria-label={named(translate("hiring.pipeline.move_to"), name)}
        onClick={(event) => setMenu(event.currentTarget)}
      >
        {translate("hiring.pipeline.move_to")}
      </Button>
      <Menu id={menuId} anchorEl={menu} open={Boolean(menu)} onClose={() => setMenu(null)}>
        {others.map((stage) => (
          <MenuItem
            key={stage}
            onClick={() => {
              setMenu(null);
              void move(application, stage);
            }}
          >
            {word("stages", stage)}
          </MenuItem>
        ))}
      </Menu>
      <Button
        size="small"
        color="error"
        onClick={() => setClosing("reject")}
        aria-label={named(translate("hiring.pipeline.reject"), name)}
      >
        {translate("hiring.pipeline.reject")}
      </Button>
      <Button
        size="small"
        onClick={() => setClosing("withdraw")}
        aria-label={named(translate("hiring.pipeline.withdraw"), name)}
      >
        {translate("hiring.pipeline.withdraw")}
      </Button>
      <CloseDialog application={application} outcome={closing} onClose={() => setClosing(null)} />
    </>
  );
}

function ApplicationCard({ application, stages }: { application: Application; stages: string[] }) {
  const translate = useTranslate();
  const { rating } = useFormat();
  const name = candidateName(application.candidate);
  const canDrag = application.status === "active";
  return (
    <Card
      component="article"
      variant="outlined"
      aria-label={name}
      draggable={canDrag}
      onDragStart={(event: DragEvent) => event.dataTransfer.setData("application/x-backoffice", application.id)}
      sx={{ cursor: canDrag ? "grab" : undefined }}
    >
      <CardContent sx={{ pb: 0, px: 1.5 }}>
        <Typography component="h4" variant="subtitle1">
          <Link to={`/applications/${encodeURIComponent(application.id)}`}>{name}</Link>
        </Typography>
        <Typography variant="body2">
          {translate("hiring.pipeline.source", { source: application.candidate.source })}
        </Typography>
        {application.average_rating !== null && application.average_rating !== undefined && (
          <Typography variant="body2">
            {translate("hiring.pipeline.rating", {
              rating: rating(application.average_rating),
              expected: rating(application.expected_rating),
            })}
          </Typography>
        )}
        {application.status !== "active" && (
          <Box sx={{ mt: 0.5 }}>
            <StateChip group="application_status" value={application.status} />
            {application.reason && <Typography variant="body2">{application.reason}</Typography>}
          </Box>
        )}
        {application.employee_id && (
          <Typography variant="body2">
            <Link to={`/employees/${encodeURIComponent(application.employee_id)}/show`}>
              {translate("hiring.offers.employee_link")}
            </Link>
          </Typography>
        )}
      </CardContent>
      <CardActions
        sx={{ flexDirection: "column", alignItems: "stretch", gap: 0.5, "& > :not(style) ~ :not(style)": { ml: 0 } }}
      >
        <StageButtons application={application} stages={stages} />
      </CardActions>
    </Card>
  );
}

function Column({
  stage,
  applications,
  stages,
  onDropped,
}: {
  stage: string;
  applications: Application[];
  stages: string[];
  onDropped: (applicationId: string, stage: string) => void;
}) {
  const translate = useTranslate();
  const word = useWord();
  const headingId = useId();
  const droppable = stage !== CLOSED && stage !== HIRED && stages.includes(stage);
  const title = stage === CLOSED ? translate("hiring.pipeline.closed") : word("stages", stage);
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      onDragOver={droppable ? (event: DragEvent) => event.preventDefault() : undefined}
      onDrop={
        droppable
          ? (event: DragEvent) => {
              event.preventDefault();
              const id = event.dataTransfer.getData("application/x-backoffice");
              if (id) onDropped(id, stage);
            }
          : undefined
      }
      sx={{ bgcolor: "action.hover", borderRadius: 1, p: 1, minHeight: 80 }}
    >
      <Typography component="h3" variant="subtitle2" id={headingId} sx={{ mb: 1, fontWeight: 700 }}>
        {title} ({applications.length})
      </Typography>
      <Stack spacing={1}>
        {applications.length === 0 ? (
          <Typography variant="body2">{translate("hiring.pipeline.column_empty")}</Typography>
        ) : (
          applications.map((application) => (
            <ApplicationCard key={application.id} application={application} stages={stages} />
          ))
        )}
      </Stack>
    </Box>
  );
}

/** Applying a candidate HR recorded before (found by name or e-mail) to this opening. */
function ApplyKnownCandidate({ opening }: { opening: Opening }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  const [open, setOpen] = useState(false);
  const titleId = useId();
  return (
    <>
      <Button variant="outlined" onClick={() => setOpen(true)}>
        {translate("hiring.pipeline.apply_known")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} fullWidth maxWidth="sm">
        <DialogTitle id={titleId}>{translate("hiring.pipeline.apply_known_title", { position: opening.position })}</DialogTitle>
        <Form
          onSubmit={(values: Values) =>
            run(
              () =>
                dataProvider.create("applications", {
                  data: { opening_id: opening.id, candidate_id: values.candidate_id },
                }),
              translate("hiring.candidates.applied"),
              () => setOpen(false),
            )
          }
        >
          <DialogContent>
            <ReferenceInput source="candidate_id" reference="candidates">
              <AutocompleteInput
                label="hiring.candidates.candidate"
                optionText={(c: Candidate) => `${candidateName(c)} (${c.email ?? ""})`}
                filterToQuery={(q: string) => ({ q })}
                validate={required()}
              />
            </ReferenceInput>
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

export function Pipeline({ opening }: { opening: Opening }) {
  const translate = useTranslate();
  const stages = useStages();
  const applications = useApi<Page<Application>>(path(HIRING_PATHS.openingApplications, opening.id), { limit: 500 });
  const { move } = useMoves();
  const open = opening.status === "open";
  const onDropped = (id: string, stage: string) => {
    const application = applications.data?.items.find((a) => a.id === id);
    if (application && application.status === "active" && application.stage !== stage) void move(application, stage);
  };
  return (
    <Part
      title={translate("hiring.pipeline.title")}
      actions={
        open && (
          <Stack direction="row" spacing={1}>
            <Button
              variant="contained"
              component={Link}
              to={`/candidates/create?opening=${encodeURIComponent(opening.id)}`}
            >
              {translate("hiring.pipeline.add_candidate")}
            </Button>
            <ApplyKnownCandidate opening={opening} />
          </Stack>
        )
      }
    >
      {!open && (
        <Alert severity="info" sx={{ mb: 1 }}>
          {translate("hiring.pipeline.not_open", { status: translate(`hiring.opening_status.${opening.status}`) })}
        </Alert>
      )}
      {applications.isPending || !stages ? (
        <Loading />
      ) : applications.error ? (
        <Failed error={applications.error} retry={() => applications.refetch()} />
      ) : applications.data.items.length === 0 ? (
        <Empty message={translate("hiring.pipeline.empty")} />
      ) : (
        <Box
          sx={{
            display: "grid",
            gridAutoFlow: "column",
            gridAutoColumns: "minmax(150px, 1fr)",
            // As wide as the page leaves it, scrolling sideways inside rather than widening the page.
            width: 0,
            minWidth: "100%",
            gap: 1,
            overflowX: "auto",
            alignItems: "start",
            pb: 1,
          }}
        >
          {columns(stages, applications.data.items).map(([stage, items]) => (
            <Column key={stage} stage={stage} applications={items} stages={stages} onDropped={onDropped} />
          ))}
        </Box>
      )}
    </Part>
  );
}
