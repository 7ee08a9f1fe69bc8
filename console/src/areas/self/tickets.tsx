import { useState } from "react";
import { Link as RouterLink, useParams } from "react-router-dom";
import { Alert, Box, Button, Card, CardContent, Chip, Paper, Stack, TextField as MuiTextField, Typography } from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import {
  Create,
  Datagrid,
  List,
  SelectInput,
  ShowBase,
  SimpleForm,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  required,
  useDataProvider,
  useNotify,
  useRedirect,
  useShowContext,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { ChoiceField, ForMe, LinkField, MomentField, useChoices, useFormat } from "./common";
import { SELF_API, type Page, type Ticket, type TicketComment } from "./resources";

const KINDS = ["incident", "service_request", "access_request", "change_request"] as const;
const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
const CATEGORIES = ["hardware", "software", "network", "email", "access", "phone", "other"] as const;

export const statusColour = (status: string) =>
  status === "resolved" || status === "closed" ? ("success" as const) : ("default" as const);

function NewTicketButton() {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <Button component={RouterLink} to="/me/tickets/new" startIcon={<AddIcon />} variant="contained">
        {translate("self.tickets.new")}
      </Button>
    </TopToolbar>
  );
}

/** My IT tickets, newest first. */
export function TicketList() {
  const translate = useTranslate();
  return (
    <ForMe>
      {(employeeId) => (
        <List
          resource="my_tickets"
          title={translate("self.menu.tickets")}
          filter={{ requester_employee_id: employeeId }}
          sort={{ field: "", order: "ASC" }}
          perPage={25}
          actions={<NewTicketButton />}
          disableSyncWithLocation
          empty={
            <Box sx={{ mt: 2 }}>
              <NewTicketButton />
              <Empty message={translate("self.tickets.none")} />
            </Box>
          }
        >
          <Datagrid rowClick={(id) => `/me/tickets/${id}`} bulkActionButtons={false}>
            <LinkField source="reference" to={(id) => `/me/tickets/${id}`} sortable={false}>
              <TextField source="reference" />
            </LinkField>
            <TextField source="subject" sortable={false} />
            <ChoiceField source="category" group="ticket_category" sortable={false} />
            <ChoiceField source="priority" group="ticket_priority" sortable={false} />
            <ChoiceField source="status" group="ticket_status" chip={statusColour} sortable={false} />
            <MomentField source="opened_at" sortable={false} />
            <MomentField source="updated_at" sortable={false} />
          </Datagrid>
        </List>
      )}
    </ForMe>
  );
}

/** Open a ticket for myself. */
export function TicketCreate() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const kinds = useChoices("ticket_kind", KINDS);
  const priorities = useChoices("ticket_priority", PRIORITIES);
  const categories = useChoices("ticket_category", CATEGORIES);
  return (
    <ForMe>
      {() => (
        <Create
          resource="my_tickets"
          title={translate("self.tickets.new")}
          mutationOptions={{
            onSuccess: (ticket: Ticket) => {
              notify("self.tickets.opened", { type: "success", messageArgs: { reference: ticket.reference } });
              redirect(`/me/tickets/${ticket.id}`);
            },
          }}
        >
          <SimpleForm defaultValues={{ kind: "incident", priority: "normal" }}>
            <TextInput
              source="subject"
              validate={required()}
              fullWidth
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
            <SelectInput source="category" choices={categories} validate={required()} />
            <SelectInput source="kind" choices={kinds} validate={required()} />
            <SelectInput source="priority" choices={priorities} validate={required()} />
            <TextInput source="description" multiline minRows={5} fullWidth />
          </SimpleForm>
        </Create>
      )}
    </ForMe>
  );
}

/** One of my tickets: its status, the conversation with the desk, and my reply. */
export function TicketShow() {
  const { id } = useParams();
  return (
    <ShowBase resource="my_tickets" id={id}>
      <TicketView />
    </ShowBase>
  );
}

function TicketView() {
  const translate = useTranslate();
  const format = useFormat();
  const { record, isPending, error, refetch } = useShowContext<Ticket>();
  if (isPending) return <Loading />;
  if (error || !record) return <Failed error={error} retry={() => refetch()} />;
  const choice = (group: string, value: string) => translate(`self.choices.${group}.${value}`, { _: value });
  const title = `${record.reference}: ${record.subject}`;
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={title} />
      <Card>
        <CardContent>
          <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap">
            <Typography component="h2" variant="h5">
              {title}
            </Typography>
            <Chip label={choice("ticket_status", record.status)} color={statusColour(record.status)} />
          </Stack>
          <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, mt: 2 }}>
            <dt>{translate("resources.my_tickets.fields.category")}</dt>
            <dd>{choice("ticket_category", record.category)}</dd>
            <dt>{translate("resources.my_tickets.fields.kind")}</dt>
            <dd>{choice("ticket_kind", record.kind)}</dd>
            <dt>{translate("resources.my_tickets.fields.priority")}</dt>
            <dd>{choice("ticket_priority", record.priority)}</dd>
            <dt>{translate("resources.my_tickets.fields.opened_at")}</dt>
            <dd>{format.moment(record.opened_at)}</dd>
            <dt>{translate("resources.my_tickets.fields.assignee_name")}</dt>
            <dd>{record.assignee_name ?? translate("self.tickets.unassigned")}</dd>
            {record.resolved_at && (
              <>
                <dt>{translate("resources.my_tickets.fields.resolved_at")}</dt>
                <dd>{format.moment(record.resolved_at)}</dd>
              </>
            )}
          </Box>
          {record.description && (
            <Typography sx={{ whiteSpace: "pre-wrap", mt: 2 }}>{record.description}</Typography>
          )}
        </CardContent>
      </Card>
      <Conversation ticket={record} onReply={() => refetch()} />
    </Stack>
  );
}

function Conversation({ ticket, onReply }: { ticket: Ticket; onReply: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [reply, setReply] = useState("");
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const comments = useQuery({
    queryKey: ["self", "ticket-comments", ticket.id],
    queryFn: () =>
      dataProvider.get<Page<TicketComment>>(fillPath(SELF_API.ticketComments, ticket.id), { limit: 200 }),
  });

  async function send(event: React.FormEvent) {
    event.preventDefault();
    if (!reply.trim()) {
      setFieldError(translate("ra.validation.required"));
      return;
    }
    setBusy(true);
    setFieldError(undefined);
    try {
      await dataProvider.post(fillPath(SELF_API.ticketComments, ticket.id), { body: reply });
      setReply("");
      notify("self.tickets.replied", { type: "success" });
      await Promise.all([comments.refetch(), onReply()]); // the reply, and the status it may have changed
    } catch (caught) {
      setFieldError((caught as { body?: { errors?: { body?: string } } }).body?.errors?.body);
      notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  const items = [...(comments.data?.items ?? [])].reverse(); // oldest first, as a conversation reads
  return (
    <Card>
      <CardContent>
        <Typography component="h2" variant="h6">
          {translate("self.tickets.conversation")}
        </Typography>
        {comments.isPending ? (
          <Loading />
        ) : comments.error ? (
          <Failed error={comments.error} retry={() => comments.refetch()} />
        ) : items.length === 0 ? (
          <Empty message={translate("self.tickets.no_replies")} />
        ) : (
          <Stack component="ol" spacing={1} sx={{ listStyle: "none", p: 0, mt: 1 }}>
            {items.map((comment) => (
              <Paper component="li" key={comment.id} variant="outlined" sx={{ p: 1.5 }}>
                <Typography variant="subtitle2" component="p">
                  {translate("self.tickets.wrote", {
                    who: comment.author_name,
                    when: format.moment(comment.created_at),
                  })}
                </Typography>
                <Typography sx={{ whiteSpace: "pre-wrap" }}>{comment.body}</Typography>
              </Paper>
            ))}
          </Stack>
        )}
        {ticket.status === "closed" ? (
          <Alert severity="info" sx={{ mt: 2 }}>
            {translate("self.tickets.closed")}
          </Alert>
        ) : (
          <Box component="form" onSubmit={send} sx={{ mt: 2 }} noValidate>
            <MuiTextField
              name="reply"
              label={translate("self.tickets.reply")}
              value={reply}
              onChange={(event) => setReply(event.target.value)}
              error={Boolean(fieldError)}
              helperText={fieldError}
              multiline
              minRows={3}
              fullWidth
              required
            />
            <Button type="submit" variant="contained" sx={{ mt: 1 }} disabled={busy}>
              {translate("self.tickets.send")}
            </Button>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
