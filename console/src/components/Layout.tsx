import { Suspense, type ReactNode } from "react";
import {
  AppBar,
  Layout as RaLayout,
  Logout,
  Menu,
  MenuItemLink,
  useGetIdentity,
  usePermissions,
  UserMenu,
  useTranslate,
} from "react-admin";
import { Box, ListSubheader } from "@mui/material";
import HomeIcon from "@mui/icons-material/Home";
import PersonIcon from "@mui/icons-material/Person";
import { mayUse } from "../roles";
import { AREAS } from "../areas";
import { Loading } from "./States";
import { ReauthDialog } from "./ReauthDialog";

function ConsoleMenu() {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  return (
    <Menu>
      <Menu.DashboardItem primaryText={translate("app.menu.home")} leftIcon={<HomeIcon />} />
      {AREAS.filter(({ section }) => mayUse(section, permissions)).map(({ section, title, nav }) => (
        <Box key={section} role="group" aria-label={translate(title)}>
          <ListSubheader component="div" aria-hidden sx={{ lineHeight: "32px", bgcolor: "transparent" }}>
            {translate(title)}
          </ListSubheader>
          {nav.map((item) => (
            <Menu.Item
              key={item.to}
              to={item.to}
              primaryText={translate(item.label, { smart_count: 2 })}
              leftIcon={item.icon}
            />
          ))}
        </Box>
      ))}
    </Menu>
  );
}

/** The user menu names the person on its button (its accessible name is the visible one). */
function ConsoleUserMenu() {
  const { identity } = useGetIdentity();
  const translate = useTranslate();
  return (
    <UserMenu label={identity?.fullName ? String(identity.fullName) : "ra.auth.user_menu"}>
      <MenuItemLink to="/me/profile" primaryText={translate("app.menu.profile")} leftIcon={<PersonIcon />} />
      <Logout />
    </UserMenu>
  );
}

function ConsoleAppBar() {
  return <AppBar color="primary" userMenu={<ConsoleUserMenu />} />;
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout menu={ConsoleMenu} appBar={ConsoleAppBar}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
      <ReauthDialog />
    </RaLayout>
  );
}
