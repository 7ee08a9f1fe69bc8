import { Link as RouterLink, useParams } from "react-router-dom";
import {
  Box,
  Card,
  CardContent,
  Chip,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import { Title, useDataProvider, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { ForMe, PdfDocument, useFormat } from "./common";
import { expiryOf } from "./expiry";
import { SELF_API, type DocumentRead, type Enrolment, type Page } from "./resources";
import { today } from "./week";

const EXPIRY_COLOURS = { expired: "error", soon: "primary", valid: "success" } as const;

/** My training: each course I was enrolled in, what I completed, and when each certificate expires. */
export function TrainingPage() {
  const translate = useTranslate();
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("self.menu.training")} />
      <CardContent>
        <Typography component="h2" variant="h5">
          {translate("self.training.title")}
        </Typography>
        <ForMe>{(employeeId) => <Training employeeId={employeeId} />}</ForMe>
      </CardContent>
    </Card>
  );
}

function Training({ employeeId }: { employeeId: string }) {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const training = useQuery({
    queryKey: ["self", "training", employeeId],
    queryFn: () => dataProvider.get<Page<Enrolment>>(fillPath(SELF_API.training, employeeId), { limit: 500 }),
  });
  if (training.isPending) return <Loading />;
  if (training.error) return <Failed error={training.error} retry={() => training.refetch()} />;
  if (training.data.items.length === 0) return <Empty message={translate("self.training.none")} />;
  const now = today();
  const field = (name: string) => translate(`self.training.fields.${name}`);
  return (
    <Box sx={{ overflowX: "auto", mt: 1 }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            {["course_title", "status", "completed_on", "expires_on", "score", "certificate"].map((name) => (
              <TableCell key={name} component="th" scope="col">
                {field(name)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {training.data.items.map((enrolment) => {
            const expiry = expiryOf(enrolment.expires_on, now);
            return (
              <TableRow key={enrolment.id}>
                <TableCell component="th" scope="row">
                  {enrolment.course_title}
                </TableCell>
                <TableCell>
                  {translate(`self.choices.enrolment_status.${enrolment.status}`, { _: enrolment.status })}
                </TableCell>
                <TableCell>{format.day(enrolment.completed_on)}</TableCell>
                <TableCell>
                  {enrolment.expires_on && (
                    <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
                      <span>{format.day(enrolment.expires_on)}</span>
                      {expiry.state !== "none" && (
                        <Chip
                          size="small"
                          color={EXPIRY_COLOURS[expiry.state]}
                          label={translate(`self.training.expiry.${expiry.state}`, {
                            smart_count: expiry.days,
                            days: expiry.days,
                          })}
                        />
                      )}
                    </Box>
                  )}
                </TableCell>
                <TableCell>{enrolment.score ?? ""}</TableCell>
                <TableCell>
                  {enrolment.certificate_document_id && (
                    <Link component={RouterLink} to={`/me/documents/${enrolment.certificate_document_id}`}>
                      {translate("self.training.certificate", { course: enrolment.course_title })}
                    </Link>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

/** A document of mine filed in docs (a certificate), shown as its PDF. */
export function DocumentPage() {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const document = useQuery({
    queryKey: ["self", "document", id],
    queryFn: () => dataProvider.get<DocumentRead>(fillPath(SELF_API.document, id)),
  });
  return (
    <Card sx={{ mt: 2 }}>
      <CardContent>
        {document.isPending ? (
          <Loading />
        ) : document.error ? (
          <Failed error={document.error} retry={() => document.refetch()} />
        ) : (
          <>
            <Title title={document.data.title} />
            <Typography component="h2" variant="h5" sx={{ mb: 2 }}>
              {document.data.title}
            </Typography>
            <PdfDocument
              documentId={document.data.id}
              title={document.data.title}
              filename={document.data.version.filename}
            />
            <Link component={RouterLink} to="/me/training" sx={{ display: "inline-block", mt: 2 }}>
              {translate("self.training.back")}
            </Link>
          </>
        )}
      </CardContent>
    </Card>
  );
}
