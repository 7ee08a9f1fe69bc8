import { Admin, CustomRoutes, Resource } from "react-admin";
import { Route } from "react-router-dom";
import { authProvider } from "./providers/authProvider";
import { dataProvider } from "./providers/dataProvider";
import { i18nProvider } from "./providers/i18nProvider";
import { Layout } from "./components/Layout";
import { Home } from "./screens/Home";
import { ProfilePage } from "./screens/self/ProfilePage";
import { EmployeeList, EmployeeShow } from "./screens/hr/employees";
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
      requireAuth
      disableTelemetry
    >
      {(permissions: string[]) => (
        <>
          <CustomRoutes>
            <Route path="/me/profile" element={<ProfilePage />} />
          </CustomRoutes>
          {mayUse("hr", permissions) && <Resource name="employees" list={EmployeeList} show={EmployeeShow} />}
        </>
      )}
    </Admin>
  );
}
