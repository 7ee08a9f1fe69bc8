/**
 * The pay gap report (HR, payroll, pay auditors, admins): for a period (the last full calendar year by default),
 * the gap between women's and men's hourly pay overall and by kind of pay, who receives complementary pay, the
 * quartile bands, and each job category with its scores, its gaps and, at 5 % or more, its justification or joint
 * pay assessment. A group of fewer workers than the threshold shows that it is suppressed, never figures.
 */
import { useState } from "react";
import { Link as RouterLink } from "react-router-dom";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Link,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import FlagIcon from "@mui/icons-material/Flag";
import { Title, useDataProvider, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Failed, Loading } from "../../components/States";
import { PeriodPicker, Suppressed, useFigures, useMayRecord, usePeriod } from "./common";
import { AssessmentDialog, JustificationDialog } from "./records";
import { FAIRPAY_ACTIONS, type CategoryGap, type Gap, type PayGapReport, type Quartile } from "./resources";

export function PayGapPage() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [period, setPeriod] = usePeriod();
  const report = useQuery({
    queryKey: ["fairpay", "pay-gap", period.from, period.to],
    queryFn: () => dataProvider.get<PayGapReport>(FAIRPAY_ACTIONS.payGap, { from: period.from, to: period.to }),
  });
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("fairpay.report.title")} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5" gutterBottom>
            {translate("fairpay.report.title")}
          </Typography>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate("fairpay.report.intro")}
          </Typography>
          <PeriodPicker period={period} onChange={setPeriod} />
          {report.isPending ? (
            <Loading />
          ) : report.isError ? (
            <Failed error={report.error} retry={() => void report.refetch()} />
          ) : (
            <Summary report={report.data} />
          )}
        </CardContent>
      </Card>
      {report.data && (
        <>
          <Headline report={report.data} />
          <Quartiles report={report.data} />
          <Categories report={report.data} refetch={() => void report.refetch()} />
        </>
      )}
    </Stack>
  );
}

function Summary({ report }: { report: PayGapReport }) {
  const translate = useTranslate();
  const f = useFigures();
  return (
    <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.5 }}>
      <dt>{translate("fairpay.report.period")}</dt>
      <dd>{translate("fairpay.common.period_text", { from: f.day(report.period_start), to: f.day(report.period_end) })}</dd>
      <dt>{translate("fairpay.report.workers")}</dt>
      <dd>
        <WorkersText workers={report.workers} women={report.women} men={report.men} others={report.others} />
      </dd>
      <dt>{translate("fairpay.report.uncategorised")}</dt>
      <dd>{f.count(report.uncategorised)}</dd>
      <dt>{translate("fairpay.report.rules")}</dt>
      <dd>
        {translate("fairpay.report.rules_text", {
          threshold: report.threshold,
          flag: f.percent(report.flag_percent),
          currency: report.currency,
        })}
      </dd>
      <dt>{translate("fairpay.report.generated")}</dt>
      <dd>{f.moment(report.generated_at)}</dd>
    </Box>
  );
}

/** "20 (10 women, 1 man, 0 others)": each count in its singular or plural. */
function WorkersText({ workers, women, men, others }: { workers: number; women: number; men: number; others: number }) {
  const translate = useTranslate();
  const f = useFigures();
  const counted = (key: string, n: number) => translate(`fairpay.report.${key}`, { smart_count: n, count: f.count(n) });
  return (
    <>
      {translate("fairpay.report.workers_text", {
        workers: f.count(workers),
        women: counted("women_count", women),
        men: counted("men_count", men),
        others: counted("others_count", others),
      })}
    </>
  );
}

/** One gap's six figures as table cells, or one cell saying the group is suppressed. */
function GapCells({ gap, currency, threshold }: { gap: Gap; currency: string; threshold: number }) {
  const f = useFigures();
  if (gap.suppressed)
    return (
      <TableCell colSpan={6}>
        <Suppressed threshold={threshold} />
      </TableCell>
    );
  return (
    <>
      <TableCell align="right">{f.money(gap.women_mean, currency)}</TableCell>
      <TableCell align="right">{f.money(gap.men_mean, currency)}</TableCell>
      <TableCell align="right">
        <strong>{f.percent(gap.mean_gap_percent)}</strong>
      </TableCell>
      <TableCell align="right">{f.money(gap.women_median, currency)}</TableCell>
      <TableCell align="right">{f.money(gap.men_median, currency)}</TableCell>
      <TableCell align="right">
        <strong>{f.percent(gap.median_gap_percent)}</strong>
      </TableCell>
    </>
  );
}

function GapHead({ first }: { first: string }) {
  const translate = useTranslate();
  return (
    <TableHead>
      <TableRow>
        <TableCell component="th" scope="col">
          {first}
        </TableCell>
        {["women_mean", "men_mean", "mean_gap", "women_median", "men_median", "median_gap"].map((key) => (
          <TableCell key={key} component="th" scope="col" align="right">
            {translate(`fairpay.report.${key}`)}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

function Headline({ report }: { report: PayGapReport }) {
  const translate = useTranslate();
  const f = useFigures();
  const share = report.complementary_share;
  return (
    <Card>
      <CardContent>
        <Typography component="h3" variant="h6" gutterBottom>
          {translate("fairpay.report.headline")}
        </Typography>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("fairpay.report.headline_help", { currency: report.currency })}
        </Typography>
        <Box sx={{ overflowX: "auto" }}>
          <Table size="small" aria-label={translate("fairpay.report.headline")}>
            <GapHead first={translate("fairpay.report.pay")} />
            <TableBody>
              {(["overall", "basic", "complementary"] as const).map((kind) => (
                <TableRow key={kind}>
                  <TableCell component="th" scope="row">
                    {translate(`fairpay.report.kind.${kind}`)}
                  </TableCell>
                  <GapCells gap={report[kind]} currency={report.currency} threshold={report.threshold} />
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
        <Typography component="h4" variant="subtitle1" sx={{ mt: 2 }}>
          {translate("fairpay.report.share")}
        </Typography>
        {share.suppressed ? (
          <Suppressed threshold={report.threshold} />
        ) : (
          <Typography>
            {translate("fairpay.report.share_text", {
              women: f.percent(share.women_receiving_percent),
              men: f.percent(share.men_receiving_percent),
            })}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

const WOMEN_COLOUR = "#b0306a";
const MEN_COLOUR = "#1f5f8b";

/** Women's share of a band as a bar: the table beside it says the same in figures, so the bar is hidden from
 * screen readers. */
function Band({ quartile }: { quartile: Quartile }) {
  const women = Number(quartile.women_percent ?? 0); // a width on screen, not an amount
  return (
    <Box aria-hidden sx={{ display: "flex", height: 14, width: 160, borderRadius: 1, overflow: "hidden", bgcolor: "divider" }}>
      <Box sx={{ width: `${women}%`, bgcolor: WOMEN_COLOUR }} />
      <Box sx={{ width: `${100 - women}%`, bgcolor: MEN_COLOUR }} />
    </Box>
  );
}

function Quartiles({ report }: { report: PayGapReport }) {
  const translate = useTranslate();
  const f = useFigures();
  return (
    <Card>
      <CardContent>
        <Typography component="h3" variant="h6" gutterBottom>
          {translate("fairpay.report.quartiles")}
        </Typography>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("fairpay.report.quartiles_help")}
        </Typography>
        <Table size="small" aria-label={translate("fairpay.report.quartiles")}>
          <TableHead>
            <TableRow>
              {["quartile", "range", "women", "men", "band"].map((key) => (
                <TableCell key={key} component="th" scope="col">
                  {translate(`fairpay.report.q.${key}`)}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {report.quartiles.map((q) => (
              <TableRow key={q.quartile}>
                <TableCell component="th" scope="row">
                  {translate(`fairpay.report.q.name.${q.quartile}`)}
                </TableCell>
                {q.suppressed ? (
                  <TableCell colSpan={4}>
                    <Suppressed threshold={report.threshold} />
                  </TableCell>
                ) : (
                  <>
                    <TableCell>
                      {translate("fairpay.report.q.range_text", {
                        lower: f.money(q.lower, report.currency),
                        upper: f.money(q.upper, report.currency),
                      })}
                    </TableCell>
                    <TableCell>
                      {translate("fairpay.report.q.count", { count: f.count(q.women), percent: f.percent(q.women_percent) })}
                    </TableCell>
                    <TableCell>
                      {translate("fairpay.report.q.count", { count: f.count(q.men), percent: f.percent(q.men_percent) })}
                    </TableCell>
                    <TableCell>
                      <Band quartile={q} />
                    </TableCell>
                  </>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

function Categories({ report, refetch }: { report: PayGapReport; refetch: () => void }) {
  const translate = useTranslate();
  return (
    <Card>
      <CardContent>
        <Typography component="h3" variant="h6" gutterBottom>
          {translate("fairpay.report.categories")}
        </Typography>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("fairpay.report.categories_help")}
        </Typography>
        {report.categories.length === 0 ? (
          <Alert severity="info">{translate("fairpay.report.no_categories")}</Alert>
        ) : (
          <Stack spacing={2}>
            {report.categories.map((category) => (
              <CategoryCard key={category.category_id} category={category} report={report} refetch={refetch} />
            ))}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}

function CategoryCard({ category, report, refetch }: { category: CategoryGap; report: PayGapReport; refetch: () => void }) {
  const translate = useTranslate();
  const f = useFigures();
  const s = category.scores;
  const headingId = `category-${category.category_id}`;
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ border: 1, borderColor: "divider", borderRadius: 1, p: 2 }}>
      <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 1 }}>
        <Typography component="h4" variant="subtitle1" id={headingId}>
          {category.name} ({category.code})
        </Typography>
        {category.flagged && (
          <Chip size="small" color="error" variant="outlined" icon={<FlagIcon />} label={translate("fairpay.report.flagged", { flag: f.percent(report.flag_percent) })} />
        )}
      </Stack>
      <Typography variant="body2">
        {translate("fairpay.report.scores", {
          skills: s.skills,
          effort: s.effort,
          responsibility: s.responsibility,
          conditions: s.working_conditions,
        })}
      </Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {translate("fairpay.report.workers")}:{" "}
        <WorkersText
          workers={category.workers}
          women={category.women}
          men={category.men}
          others={category.workers - category.women - category.men}
        />
      </Typography>
      {category.suppressed ? (
        <Alert severity="info" icon={false}>
          <Suppressed threshold={report.threshold} />
        </Alert>
      ) : (
        <Box sx={{ overflowX: "auto" }}>
          <Table size="small" aria-label={translate("fairpay.report.category_gaps", { name: category.name })}>
            <GapHead first={translate("fairpay.report.pay")} />
            <TableBody>
              {(["basic", "complementary"] as const).map((kind) => (
                <TableRow key={kind}>
                  <TableCell component="th" scope="row">
                    {translate(`fairpay.report.kind.${kind}`)}
                  </TableCell>
                  <GapCells gap={category[kind]} currency={report.currency} threshold={report.threshold} />
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {category.flagged && <FlagAnswer category={category} report={report} refetch={refetch} />}
    </Box>
  );
}

/** A flagged category's justification or assessment, or the actions that record one (HR and admins). */
function FlagAnswer({ category, report, refetch }: { category: CategoryGap; report: PayGapReport; refetch: () => void }) {
  const translate = useTranslate();
  const f = useFigures();
  const mayRecord = useMayRecord();
  const [open, setOpen] = useState<"justification" | "assessment" | null>(null);
  const period = { from: report.period_start, to: report.period_end };
  const done = () => {
    setOpen(null);
    refetch();
  };
  return (
    <Box sx={{ mt: 1 }}>
      {category.justification && (
        <Alert severity="info" sx={{ mb: 1 }}>
          <strong>{translate("fairpay.report.justified", { date: f.day(category.justification.created_at) })}</strong>{" "}
          {category.justification.text}
        </Alert>
      )}
      {category.assessment_id && (
        <Link component={RouterLink} to={`/fairpay/assessments/${category.assessment_id}`} sx={{ display: "block", mb: 1 }}>
          {translate("fairpay.report.see_assessment")}
        </Link>
      )}
      {!category.justification && !category.assessment_id && (
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("fairpay.report.unanswered")}
        </Typography>
      )}
      {mayRecord && (
        <Stack direction="row" spacing={1}>
          <Button size="small" variant="outlined" onClick={() => setOpen("justification")}>
            {translate("fairpay.report.justify")}
          </Button>
          <Button size="small" variant="outlined" onClick={() => setOpen("assessment")}>
            {translate("fairpay.report.assess")}
          </Button>
        </Stack>
      )}
      <JustificationDialog
        open={open === "justification"}
        category={category}
        period={period}
        onClose={() => setOpen(null)}
        onDone={done}
      />
      <AssessmentDialog open={open === "assessment"} category={category} period={period} onClose={() => setOpen(null)} onDone={done} />
    </Box>
  );
}
