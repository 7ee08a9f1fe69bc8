import { Fragment } from "react";
import { Admin, CustomRoutes } from "react-admin";
import { authProvider } from "./providers/authProvider";
import { dataProvider } from "./providers/dataProvider";
import { i18nProvider } from "./providers/i18nProvider";
import { Layout } from "./components/Layout";
import { Home } from "./screens/Home";
import { NotFound } from "./screens/NotFound";
import { AREAS } from "./areas";
import { mayUse } from "./roles";
import { theme } from "./theme";

/** Everything behind sign-in: react-admin with the screens each role works in. */
export default function App() {
  return (
    <Admin
      title="Backoffice"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={false}
      layout={Layout}
      theme={theme}
      dashboard={Home}
      catchAll={NotFound}
      requireAuth
      disableTelemetry
    >
      {(permissions: string[]) => (
        <>
          {AREAS.filter((area) => mayUse(area.section, permissions)).map((area) => (
            <Fragment key={area.section}>
              {area.routes && <CustomRoutes>{area.routes}</CustomRoutes>}
              {area.resources}
            </Fragment>
          ))}
        </>
      )}
    </Admin>
  );
}
