/**
 * My messages: what the switchboard took for me when I could not answer, newest first, each with the call's path
 * (who it was put through to before it reached me), marked read here; and my availability for calls, which the
 * switchboard sees. The list is polled (components/live.ts), so a new message appears without a reload.
 */
import { useMemo } from "react";
import { Box, Button, Card, CardContent, Chip, MenuItem, Stack, TextField, Typography } from "@mui/material";
import { Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { liveQueryOptions } from "../../components/live";
import { CallPath } from "../office/callpath";
import { ForMe, useFormat } from "./common";
import { SELF_API, type Call, type CallMessage, type Page, type Staff } from "./resources";

const AVAILABILITY = ["available", "busy", "away", "off"] as const;

export function MessagesPage() {
  const translate = useTranslate();
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate("self.messages_page.title")} />
      <ForMe>{(employeeId) => <MyMessages employeeId={employeeId} />}</ForMe>
    </Box>
  );
}

function MyAvailability({ employeeId }: { employeeId: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ["my-staff-entry", employeeId],
    queryFn: () => dataProvider.get<Staff>(fillPath(SELF_API.staffMember, employeeId)),
  });
  if (!me.data) return null;
  return (
    <TextField
      select
      size="small"
      fullWidth={false}
      sx={{ minWidth: 260, maxWidth: 420 }}
      label={translate("self.messages_page.availability")}
      helperText={translate("self.messages_page.availability_help")}
      value={me.data.availability}
      onChange={async (event) => {
        try {
          await dataProvider.put(fillPath(SELF_API.availability, employeeId), { availability: event.target.value });
          await queryClient.invalidateQueries({ queryKey: ["my-staff-entry", employeeId] });
          notify("self.messages_page.availability_changed", { type: "success" });
        } catch (error) {
          notify(error instanceof Error ? error.message : String(error), { type: "error" });
        }
      }}
    >
      {AVAILABILITY.map((value) => (
        <MenuItem key={value} value={value}>
          {translate(`office.switchboard.availability.${value}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}

function MyMessages({ employeeId }: { employeeId: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const { moment } = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const queryClient = useQueryClient();
  const messages = useQuery({
    queryKey: ["my-call-messages", employeeId],
    queryFn: () => dataProvider.get<Page<CallMessage>>(SELF_API.callMessages, { for_employee_id: employeeId, limit: 100 }),
    ...liveQueryOptions(),
  });
  const calls = useQuery({
    queryKey: ["my-calls", employeeId],
    queryFn: () => dataProvider.get<Page<Call>>(SELF_API.calls, { employee_id: employeeId, limit: 100 }),
    ...liveQueryOptions(),
  });
  const callsById = useMemo(() => new Map((calls.data?.items ?? []).map((c) => [c.id, c])), [calls.data]);
  const unread = (messages.data?.items ?? []).filter((m) => !m.read_at).length;

  async function markRead(message: CallMessage) {
    try {
      await dataProvider.post(fillPath(SELF_API.callMessageRead, message.id), undefined, { idempotent: false });
      await queryClient.invalidateQueries({ queryKey: ["my-call-messages", employeeId] });
      notify("self.messages_page.marked", { type: "success" });
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }

  return (
    <Stack spacing={2}>
      <Typography component="h1" variant="h5">
        {translate("self.messages_page.title")}
      </Typography>
      <Typography>{translate("self.messages_page.intro")}</Typography>
      <MyAvailability employeeId={employeeId} />
      {messages.isPending && <Loading />}
      {messages.error && <Failed error={messages.error} retry={() => messages.refetch()} />}
      {messages.data && messages.data.items.length === 0 && <Empty message={translate("self.messages_page.none")} />}
      {messages.data && messages.data.items.length > 0 && (
        <>
          <Typography role="status" aria-live="polite">
            {translate("self.messages_page.unread", { smart_count: unread })}
          </Typography>
          <Box component="ul" sx={{ listStyle: "none", p: 0, m: 0 }}>
            {messages.data.items.map((message) => {
              const call = callsById.get(message.call_id);
              return (
                <Card
                  component="li"
                  variant="outlined"
                  key={message.id}
                  data-message={message.id}
                  sx={{ mb: 1, borderLeft: 4, borderLeftColor: message.read_at ? "divider" : "primary.main" }}
                >
                  <CardContent>
                    <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                      <Typography component="h2" variant="subtitle1" sx={{ fontWeight: 600 }}>
                        {translate("self.messages_page.from", { caller: message.caller_name })}
                      </Typography>
                      {!message.read_at && <Chip size="small" color="primary" label={translate("self.messages_page.new")} />}
                      {message.callback_requested && (
                        <Chip size="small" variant="outlined" label={translate("self.messages_page.callback")} />
                      )}
                    </Stack>
                    {message.caller_number && (
                      <Typography variant="body2">
                        {translate("self.messages_page.number", { number: message.caller_number })}
                      </Typography>
                    )}
                    <Typography sx={{ my: 1, whiteSpace: "pre-wrap" }}>{message.body}</Typography>
                    {call && <CallPath call={call} />}
                    <Typography variant="body2" sx={{ mt: 1 }}>
                      {translate("self.messages_page.taken", {
                        who: message.taken_by_actor?.name ?? message.taken_by,
                        when: moment(message.taken_at),
                      })}
                      {message.read_at ? ` · ${translate("self.messages_page.read_at", { when: moment(message.read_at) })}` : ""}
                    </Typography>
                    {!message.read_at && (
                      <Button sx={{ mt: 1 }} variant="outlined" size="small" onClick={() => void markRead(message)}>
                        {translate("self.messages_page.mark_read")}
                      </Button>
                    )}
                  </CardContent>
                </Card>
              );
            })}
          </Box>
        </>
      )}
    </Stack>
  );
}
