/**
 * The console's session with the gateway.
 *
 * The access token lives in this module's memory only (never in storage a script could read later). The refresh
 * token is an HttpOnly cookie the gateway sets on `/auth/session`; the console cannot read it and only asks the
 * gateway to use it, proving it is the console's own page with the double-submit CSRF token (the value of the
 * `backoffice_csrf` cookie sent back in `X-CSRF-Token`). The access token is renewed before it expires, so a
 * person filling a long form is not signed out under their hands.
 */

export const CSRF_COOKIE = "backoffice_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

interface ConsoleSession {
  access_token: string;
  expires_in: number;
}

type Listener = (signedIn: boolean) => void;
type ExpiryListener = () => void;

let accessToken: string | null = null;
let expiresAt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<boolean> | null = null;
const listeners = new Set<Listener>();
const expiryListeners = new Set<ExpiryListener>();
/** Whether this page has had a session: a 401 then means it ended under the person's hands. */
let hadSession = false;

/** A problem the gateway answered while signing in or refreshing (see http.ts for the API's). */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly slug: string | undefined,
  ) {
    super(message);
  }
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

export function accessTokenNow(): string | null {
  return accessToken && Date.now() < expiresAt ? accessToken : null;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The session ended while the console was open (the refresh failed): the layout asks the person to sign in
 * again in a dialog over the screen, so a half-filled form is not lost.
 */
export function onSessionExpired(listener: ExpiryListener): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}

export function sessionExpired(): boolean {
  if (!hadSession) return false;
  expiryListeners.forEach((listener) => listener());
  return expiryListeners.size > 0;
}

/** When to renew: a minute before expiry, or halfway for very short tokens. */
export function renewDelayMs(expiresIn: number): number {
  const seconds = expiresIn > 120 ? expiresIn - 60 : expiresIn / 2;
  return Math.max(1, seconds) * 1000;
}

function keep(session: ConsoleSession): void {
  hadSession = true;
  accessToken = session.access_token;
  expiresAt = Date.now() + session.expires_in * 1000;
  clearTimeout(timer);
  timer = setTimeout(() => void refresh(), renewDelayMs(session.expires_in));
  listeners.forEach((listener) => listener(true));
}

function forget(): void {
  const wasSignedIn = accessToken !== null;
  accessToken = null;
  expiresAt = 0;
  clearTimeout(timer);
  if (wasSignedIn) listeners.forEach((listener) => listener(false));
}

async function problemOf(response: Response): Promise<SessionError> {
  let detail = response.statusText || `HTTP ${response.status}`;
  let slug: string | undefined;
  try {
    const body = await response.json();
    detail = body.detail ?? detail;
    slug = typeof body.type === "string" ? body.type.split(":").pop() : undefined;
  } catch {
    // not JSON: keep the status text
  }
  return new SessionError(detail, response.status, slug);
}

export async function signIn(login: string, password: string): Promise<void> {
  const response = await fetch("/auth/session", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ login, password }),
  });
  if (!response.ok) throw await problemOf(response);
  keep((await response.json()) as ConsoleSession);
}

/** Renew the access token with the session cookie; false when there is no session any more. */
export function refresh(): Promise<boolean> {
  if (inFlight) return inFlight;
  const csrf = readCookie(CSRF_COOKIE);
  if (!csrf) {
    forget();
    return Promise.resolve(false);
  }
  inFlight = (async () => {
    try {
      const response = await fetch("/auth/session/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { [CSRF_HEADER]: csrf, Accept: "application/json" },
      });
      if (!response.ok) {
        forget();
        return false;
      }
      keep((await response.json()) as ConsoleSession);
      return true;
    } catch {
      return accessTokenNow() !== null; // the network failed: the current token may still be good
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

/** A token to call the API with: the current one, or a renewed one after a reload of the page. */
export async function ensureAccessToken(): Promise<string | null> {
  const now = accessTokenNow();
  if (now) return now;
  return (await refresh()) ? accessToken : null;
}

export async function signOut(): Promise<void> {
  const csrf = readCookie(CSRF_COOKIE);
  hadSession = false;
  forget();
  if (!csrf) return;
  try {
    await fetch("/auth/session/logout", {
      method: "POST",
      credentials: "same-origin",
      headers: { [CSRF_HEADER]: csrf },
    });
  } catch {
    // signed out here already; the cookie expires on its own
  }
}
