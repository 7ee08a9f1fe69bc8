/**
 * Signing in and out, and who the signed-in person is (their roles decide the console's navigation).
 * A 401 from the API means the session is over (expired beyond refresh, the login disabled or terminated):
 * react-admin then returns to the sign-in page. A 403 is only "not allowed": a notification, no sign-out.
 */
import type { AuthProvider, UserIdentity } from "react-admin";
import { api } from "../api/http";
import { ensureAccessToken, onSessionChange, sessionExpired, SessionError, signIn, signOut } from "../api/session";

export interface Me {
  id: string;
  login: string;
  name: string;
  email: string;
  roles: string[];
  employee_id: string | null;
  activated: boolean;
  active: boolean;
}

let me: Promise<Me> | null = null;
onSessionChange((signedIn) => {
  if (!signedIn) me = null;
});

export function whoAmI(): Promise<Me> {
  if (!me) {
    me = api<Me>("/auth/me");
    me.catch(() => {
      me = null;
    });
  }
  return me;
}

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    try {
      await signIn(username, password);
    } catch (error) {
      if (error instanceof SessionError) throw new Error(error.message);
      throw new Error("The gateway cannot be reached: check the network and try again.");
    }
    me = null;
  },
  async logout() {
    me = null;
    await signOut();
  },
  async checkAuth() {
    if (!(await ensureAccessToken())) throw new Error("sign in");
  },
  async checkError(error: { status?: number; body?: { problem?: { type?: string } } }) {
    if (error?.status !== 401) return;
    const disabled = error.body?.problem?.type?.endsWith(":login-disabled");
    // Signed out elsewhere or expired: sign in again over the open screen, keeping what was typed. A disabled
    // login (terminated, switched off) goes straight back to the sign-in page.
    if (!disabled && sessionExpired()) return;
    me = null;
    throw new Error(disabled ? "this login is disabled" : "the session is over: sign in again");
  },
  async getIdentity(): Promise<UserIdentity> {
    const user = await whoAmI();
    return { id: user.id, fullName: user.name || user.login, login: user.login, employeeId: user.employee_id, roles: user.roles };
  },
  async getPermissions() {
    if (!(await ensureAccessToken())) return [];
    return (await whoAmI()).roles;
  },
};
