import { lazy, Suspense } from "react";
import { Card, CardContent, Typography } from "@mui/material";
import { Title, useGetIdentity, usePermissions, useTranslate } from "react-admin";
import { mayUse } from "../roles";
import { Loading } from "../components/States";

// Payroll and accounting land on their dashboard (its own chunk, with the charts).
const Dashboard = lazy(() => import("../areas/payroll/dashboard").then((m) => ({ default: m.Dashboard })));

/** The first screen after sign-in: who is signed in and what their roles let them do. */
export function Home() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions<string[]>();
  const roles = (permissions ?? []).map((role) => translate(`app.roles.${role}`)).join(", ");
  return (
    <>
      <Card sx={{ mt: 2 }}>
        <Title title={translate("app.menu.home")} />
        <CardContent>
          <Typography component="h2" variant="h5">
            {translate("app.home.welcome", { name: identity?.fullName ?? "" })}
          </Typography>
          <Typography sx={{ mt: 1 }}>{translate("app.home.intro", { roles })}</Typography>
        </CardContent>
      </Card>
      {mayUse("payroll", permissions) && (
        <Suspense fallback={<Loading />}>
          <Dashboard landing />
        </Suspense>
      )}
    </>
  );
}
