/**
 * Dead letters (admins): the events each part of the suite could not process, with the reason. One is replayed as
 * it was (once what it needed is fixed) or with a corrected payload, which the service checks against the event's
 * contract first (`…/check`, nothing is delivered): each error is shown on the payload editor with the field it
 * names, and the replay button waits for a payload that passes.
 */
import { useState } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List as MuiList,
  ListItem,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import { Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ProblemError } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { components } from "../../api/schema";
import { Empty, Failed, Loading } from "../../components/States";
import { liveQueryOptions } from "../../components/live";
import { formatDateTime } from "../../format";
import { DEAD_LETTER_ACTIONS, DEAD_LETTERS, SUITE_PARTS, type SuitePart } from "./resources";
import { visuallyHidden } from "../../components/a11y";

type DeadLetter = components["schemas"]["DeadLetterRead"];
type DeadLetterPage = components["schemas"]["DeadLetterPage"];

interface PayloadError {
  field: string;
  message: string;
}

/** The stored payload, indented for editing when it is JSON (a payload that is not JSON is shown as it is). */
function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

export function DeadLetterPageScreen() {
  const translate = useTranslate();
  const [part, setPart] = useState<SuitePart>("gateway");
  const [status, setStatus] = useState<"dead" | "replayed">("dead");
  const [open, setOpen] = useState<DeadLetter | null>(null);
  const letters = useQuery({
    queryKey: ["admin", "dead-letters", part, status],
    queryFn: () => api<DeadLetterPage>(DEAD_LETTERS[part], { query: { status, limit: 100 } }),
    ...liveQueryOptions(),
  });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate("admin.deadletters.title")} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5" gutterBottom>
            {translate("admin.deadletters.title")}
          </Typography>
          <Typography sx={{ mb: 2 }}>{translate("admin.deadletters.intro")}</Typography>
          <Tabs
            value={part}
            onChange={(_, value: SuitePart) => setPart(value)}
            aria-label={translate("admin.deadletters.parts")}
            variant="scrollable"
          >
            {SUITE_PARTS.map((name) => (
              <Tab key={name} value={name} label={translate(`admin.deadletters.part.${name}`)} />
            ))}
          </Tabs>
          <ToggleButtonGroup
            exclusive
            size="small"
            value={status}
            onChange={(_, value: "dead" | "replayed" | null) => value && setStatus(value)}
            aria-label={translate("admin.deadletters.status")}
            sx={{ my: 2 }}
          >
            <ToggleButton value="dead">{translate("admin.deadletters.waiting")}</ToggleButton>
            <ToggleButton value="replayed">{translate("admin.deadletters.replayed")}</ToggleButton>
          </ToggleButtonGroup>
          {letters.isPending ? (
            <Loading />
          ) : letters.isError ? (
            <Failed error={letters.error} retry={() => void letters.refetch()} />
          ) : letters.data.items.length === 0 ? (
            <Empty message={translate("admin.deadletters.none")} />
          ) : (
            <LetterTable letters={letters.data.items} total={letters.data.total} onOpen={setOpen} />
          )}
        </CardContent>
      </Card>
      {open && <LetterDialog part={part} letter={open} onClose={() => setOpen(null)} />}
    </Box>
  );
}

function LetterTable({
  letters,
  total,
  onOpen,
}: {
  letters: DeadLetter[];
  total: number | null | undefined;
  onOpen: (letter: DeadLetter) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <>
      <Typography role="status" sx={{ mb: 1 }}>
        {translate("admin.deadletters.count", { smart_count: total ?? letters.length })}
      </Typography>
      <Table size="small" aria-label={translate("admin.deadletters.title")}>
        <TableHead>
          <TableRow>
            <TableCell>{translate("admin.deadletters.when")}</TableCell>
            <TableCell>{translate("admin.deadletters.consumer")}</TableCell>
            <TableCell>{translate("admin.deadletters.subject")}</TableCell>
            <TableCell>{translate("admin.deadletters.reason")}</TableCell>
            <TableCell>{translate("admin.deadletters.attempts")}</TableCell>
            <TableCell>
              <Box component="span" sx={visuallyHidden}>
                {translate("admin.deadletters.actions")}
              </Box>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {letters.map((letter) => (
            <TableRow key={letter.id}>
              <TableCell>{formatDateTime(letter.created_at, locale)}</TableCell>
              <TableCell>{letter.consumer}</TableCell>
              <TableCell>{letter.subject}</TableCell>
              <TableCell sx={{ maxWidth: 420, wordBreak: "break-word" }}>{letter.reason}</TableCell>
              <TableCell>{letter.attempts}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  onClick={() => onOpen(letter)}
                  aria-label={translate("admin.deadletters.open_named", { consumer: letter.consumer })}
                >
                  {translate(letter.status === "dead" ? "admin.deadletters.open" : "admin.deadletters.view")}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

function LetterDialog({ part, letter, onClose }: { part: SuitePart; letter: DeadLetter; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => pretty(letter.payload));
  const [errors, setErrors] = useState<PayloadError[]>([]);
  const [checked, setChecked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const actions = DEAD_LETTER_ACTIONS[part];
  const dead = letter.status === "dead";
  const edited = text !== pretty(letter.payload);

  /** The edited payload as JSON, or the error shown on the editor when it is not JSON. */
  function parsed(): Record<string, unknown> | null {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // shown below
    }
    setErrors([{ field: "payload", message: translate("admin.deadletters.not_json") }]);
    return null;
  }

  async function send(kind: "check" | "replay", corrected: boolean) {
    const payload = corrected ? parsed() : null;
    if (corrected && payload === null) return;
    setBusy(true);
    setErrors([]);
    try {
      const body = corrected ? { payload } : {};
      await api(fillPath(actions[kind], letter.id), { method: "POST", body });
      if (kind === "check") {
        setChecked(text);
      } else {
        notify("admin.deadletters.replayed_done", { type: "success" });
        await queryClient.invalidateQueries({ queryKey: ["admin", "dead-letters", part] });
        onClose();
      }
    } catch (error) {
      if (error instanceof ProblemError && error.problem.errors?.length) {
        setErrors(
          error.problem.errors.map(({ field, message }) => ({
            field: field.replace(/^body\.payload\.?/, "") || "payload",
            message,
          })),
        );
      } else {
        setErrors([{ field: "", message: error instanceof Error ? error.message : String(error) }]);
      }
    } finally {
      setBusy(false);
    }
  }

  const valid = checked !== null && checked === text;
  const editorHelp =
    errors.length > 0
      ? translate("admin.deadletters.errors", { smart_count: errors.length })
      : valid
        ? translate("admin.deadletters.valid")
        : translate("admin.deadletters.editor_help");
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="dead-letter-title">
      <DialogTitle id="dead-letter-title">
        {translate("admin.deadletters.letter", { consumer: letter.consumer, subject: letter.subject })}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Alert severity={dead ? "warning" : "success"}>
            <strong>{translate("admin.deadletters.reason")}:</strong> {letter.reason}
          </Alert>
          <TextField
            label={translate("admin.deadletters.payload")}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setErrors([]);
            }}
            multiline
            minRows={10}
            maxRows={24}
            fullWidth
            error={errors.length > 0}
            helperText={editorHelp}
            slotProps={{
              input: { readOnly: !dead, sx: { fontFamily: "monospace", fontSize: 13 } },
              htmlInput: { spellCheck: false, "aria-describedby": "payload-errors" },
            }}
          />
          <Box id="payload-errors" role="alert">
            {errors.length > 0 && (
              <MuiList dense disablePadding aria-label={translate("admin.deadletters.errors_label")}>
                {errors.map((error) => (
                  <ListItem key={`${error.field}:${error.message}`} sx={{ color: "error.main", py: 0 }}>
                    {error.field ? (
                      <>
                        <code>{error.field}</code>: {error.message}
                      </>
                    ) : (
                      error.message
                    )}
                  </ListItem>
                ))}
              </MuiList>
            )}
          </Box>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate("admin.deadletters.close")}</Button>
        {dead && (
          <>
            <Button disabled={busy || edited} onClick={() => void send("replay", false)}>
              {translate("admin.deadletters.replay_as_is")}
            </Button>
            <Button disabled={busy || !edited} onClick={() => void send("check", true)}>
              {translate("admin.deadletters.check")}
            </Button>
            <Button variant="contained" disabled={busy || !edited || !valid} onClick={() => void send("replay", true)}>
              {translate("admin.deadletters.replay_corrected")}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
