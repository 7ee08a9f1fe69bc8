import { Suspense, type ReactNode } from "react";
import {
  AppBar,
  Layout as RaLayout,
  LocalesMenuButton,
  Logout,
  Menu,
  MenuItemLink,
  RefreshIconButton,
  useLoading,
  useGetIdentity,
  usePermissions,
  UserMenu,
  useTranslate,
} from "react-admin";
import { Box, CircularProgress, ListSubheader } from "@mui/material";
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
      {AREAS.filter(({ section, nav }) => nav.length > 0 && mayUse(section, permissions)).map(({ title, nav }) => (
        <Box key={title} role="group" aria-label={translate(title)}>
          <ListSubheader component="div" aria-hidden sx={{ lineHeight: "32px", bgcolor: "transparent" }}>
            {translate(title)}
          </ListSubheader>
          {nav.map((item) => (
            <Menu.Item
              key={item.to}
              to={item.to}
              primaryText={translate(item.label, { smart_count: 2 })}
              leftIcon={item.icon}
              // Long names ("Solicitudes de cambio", "SLA calendars and policies") wrap instead of being cut.
              sx={{ "& .MuiTypography-noWrap": { whiteSpace: "normal" } }}
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

/** react-admin's loading indicator with an accessible name (its own spinner has none: an axe violation). */
function LoadingOrRefresh() {
  const loading = useLoading();
  const translate = useTranslate();
  if (!loading) return <RefreshIconButton />;
  return (
    <Box sx={{ display: "flex", alignItems: "center", p: 1.5 }}>
      <CircularProgress color="inherit" size={18} thickness={2} aria-label={translate("app.states.loading")} />
    </Box>
  );
}

function ConsoleAppBar() {
  return (
    <AppBar
      color="primary"
      userMenu={<ConsoleUserMenu />}
      toolbar={
        <>
          <LocalesMenuButton />
          <LoadingOrRefresh />
        </>
      }
    />
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout menu={ConsoleMenu} appBar={ConsoleAppBar}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
      <ReauthDialog />
    </RaLayout>
  );
}
