/**
 * The console's look: react-admin's default theme with colours that meet WCAG AA contrast (4.5:1 for text) on
 * the app bar, buttons and links; react-admin's own blue secondary is too light for white text.
 */
import { defaultTheme, type RaThemeOptions } from "react-admin";

const ink = { main: "#1f4e79", light: "#4f7aa8", dark: "#143654", contrastText: "#ffffff" };

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: ink,
    secondary: ink,
  },
};
