import type { ReactNode } from "react";
import { Layout as RaLayout, Menu, usePermissions, useTranslate } from "react-admin";
import { ListSubheader } from "@mui/material";
import HomeIcon from "@mui/icons-material/Home";
import PersonIcon from "@mui/icons-material/Person";
import PeopleIcon from "@mui/icons-material/People";
import { mayUse, type Section } from "../roles";

/** One entry of the navigation; the sections are shown only to the roles that work in them. */
export interface NavItem {
  to: string;
  label: string;
  icon?: ReactNode;
}

/** Each section's entries. Screens add theirs here (see docs/CONSOLE.md, "Adding a screen"). */
export const NAVIGATION: { section: Section; title: string; items: NavItem[] }[] = [
  {
    section: "self",
    title: "app.menu.self",
    items: [{ to: "/me/profile", label: "app.menu.profile", icon: <PersonIcon /> }],
  },
  {
    section: "hr",
    title: "app.menu.hr",
    items: [{ to: "/employees", label: "resources.employees.name", icon: <PeopleIcon /> }],
  },
];

function ConsoleMenu() {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  return (
    <Menu>
      <Menu.DashboardItem primaryText={translate("app.menu.home")} leftIcon={<HomeIcon />} />
      {NAVIGATION.filter(({ section }) => mayUse(section, permissions)).map(({ section, title, items }) => (
        <nav key={section} aria-label={translate(title)}>
          <ListSubheader component="div" sx={{ lineHeight: "32px", bgcolor: "transparent" }}>
            {translate(title)}
          </ListSubheader>
          {items.map((item) => (
            <Menu.Item
              key={item.to}
              to={item.to}
              primaryText={translate(item.label, { smart_count: 2 })}
              leftIcon={item.icon}
            />
          ))}
        </nav>
      ))}
    </Menu>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return <RaLayout menu={ConsoleMenu}>{children}</RaLayout>;
}
