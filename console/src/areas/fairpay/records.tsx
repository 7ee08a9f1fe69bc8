/**
 * Recording a flagged category's answer (HR and admins): a justification (why the gap comes from factors other
 * than sex), or a joint pay assessment (findings, measures with an owner and a due date). Both are records that
 * are never edited: a newer one is the one the report shows.
 */
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  TextField,
  Typography,
} from "@mui/material";
import DeleteIcon from "@mui/icons-material/Delete";
import { useDataProvider, useNotify, useTranslate } from "react-admin";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { problemText, type Period } from "./common";
import { FAIRPAY_ACTIONS, type Assessment, type CategoryGap } from "./resources";

interface RecordDialogProps {
  open: boolean;
  category: CategoryGap;
  period: Period;
  onClose: () => void;
  onDone: () => void;
}

export function JustificationDialog({ open, category, period, onClose, onDone }: RecordDialogProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await dataProvider.post(FAIRPAY_ACTIONS.justifications, {
        category_id: category.category_id,
        period_start: period.from,
        period_end: period.to,
        text,
      });
      notify("fairpay.records.justified", { type: "success" });
      setText("");
      onDone();
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="justify-title">
      <form onSubmit={submit}>
        <DialogTitle id="justify-title">{translate("fairpay.records.justify_title", { name: category.name })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate("fairpay.records.justify_help")}
          </Typography>
          {problem && (
            <Alert severity="error" role="alert" sx={{ mb: 2 }}>
              {problem}
            </Alert>
          )}
          <TextField
            label={translate("fairpay.records.text")}
            value={text}
            onChange={(event) => setText(event.target.value)}
            multiline
            minRows={4}
            fullWidth
            required
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={busy || !text.trim()}>
            {translate("fairpay.records.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

interface MeasureDraft {
  description: string;
  owner: string;
  due: string;
}

const EMPTY_MEASURE: MeasureDraft = { description: "", owner: "", due: "" };

export function AssessmentDialog({ open, category, period, onClose, onDone }: RecordDialogProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [findings, setFindings] = useState("");
  const [measures, setMeasures] = useState<MeasureDraft[]>([{ ...EMPTY_MEASURE }]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const complete = findings.trim() && measures.every((m) => m.description.trim() && m.owner.trim() && m.due);
  function change(index: number, part: Partial<MeasureDraft>) {
    setMeasures(measures.map((m, n) => (n === index ? { ...m, ...part } : m)));
  }
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const saved = await dataProvider.post<Assessment>(FAIRPAY_ACTIONS.assessments, {
        category_id: category.category_id,
        period_start: period.from,
        period_end: period.to,
        findings,
        measures,
      });
      notify("fairpay.records.assessed", { type: "success" });
      onDone();
      navigate(`/fairpay/assessments/${saved.id}`);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md" aria-labelledby="assess-title">
      <form onSubmit={submit}>
        <DialogTitle id="assess-title">{translate("fairpay.records.assess_title", { name: category.name })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate("fairpay.records.assess_help")}
          </Typography>
          {problem && (
            <Alert severity="error" role="alert" sx={{ mb: 2 }}>
              {problem}
            </Alert>
          )}
          <TextField
            label={translate("fairpay.records.findings")}
            value={findings}
            onChange={(event) => setFindings(event.target.value)}
            multiline
            minRows={3}
            fullWidth
            required
            sx={{ mt: 1 }}
          />
          <Typography component="h3" variant="subtitle1" sx={{ mt: 2 }}>
            {translate("fairpay.records.measures")}
          </Typography>
          {measures.map((measure, index) => (
            <Box
              key={index}
              sx={{
                mt: 1,
                display: "grid",
                gap: 1,
                alignItems: "start",
                gridTemplateColumns: { xs: "1fr", md: "3fr 2fr 170px auto" },
              }}
            >
              <TextField
                size="small"
                label={translate("fairpay.records.measure_n", { n: index + 1 })}
                value={measure.description}
                onChange={(event) => change(index, { description: event.target.value })}
                required
              />
              <TextField
                size="small"
                label={translate("fairpay.records.owner")}
                value={measure.owner}
                onChange={(event) => change(index, { owner: event.target.value })}
                required
              />
              <TextField
                size="small"
                type="date"
                label={translate("fairpay.records.due")}
                value={measure.due}
                onChange={(event) => change(index, { due: event.target.value })}
                required
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <IconButton
                aria-label={translate("fairpay.records.remove_measure", { n: index + 1 })}
                disabled={measures.length === 1}
                onClick={() => setMeasures(measures.filter((_, n) => n !== index))}
              >
                <DeleteIcon />
              </IconButton>
            </Box>
          ))}
          <Button sx={{ mt: 1 }} onClick={() => setMeasures([...measures, { ...EMPTY_MEASURE }])}>
            {translate("fairpay.records.add_measure")}
          </Button>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={busy || !complete}>
            {translate("fairpay.records.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
