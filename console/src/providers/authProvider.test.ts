import { afterEach, describe, expect, it, vi } from "vitest";
import { onSessionExpired, signIn, signOut } from "../api/session";
import { authProvider } from "./authProvider";

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("when the API says 401", () => {
  afterEach(async () => {
    await signOut();
    vi.unstubAllGlobals();
  });

  it("asks to sign in again over the open screen when the session ended", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => answer({ access_token: "t", token_type: "bearer", expires_in: 300 })));
    await signIn("eve", "her password");
    const asked = vi.fn();
    const stop = onSessionExpired(asked);
    await expect(authProvider.checkError({ status: 401 })).resolves.toBeUndefined();
    expect(asked).toHaveBeenCalledOnce();
    stop();
  });

  it("returns to the sign-in page when the login is disabled", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => answer({ access_token: "t", token_type: "bearer", expires_in: 300 })));
    await signIn("eve", "her password");
    const asked = vi.fn();
    const stop = onSessionExpired(asked);
    const disabled = { status: 401, body: { problem: { type: "urn:backoffice:problem:login-disabled" } } };
    await expect(authProvider.checkError(disabled)).rejects.toThrow("disabled");
    expect(asked).not.toHaveBeenCalled();
    stop();
  });

  it("returns to the sign-in page when this page never had a session", async () => {
    await expect(authProvider.checkError({ status: 401 })).rejects.toThrow();
  });

  it("only notifies on 403: not allowed is not signed out", async () => {
    await expect(authProvider.checkError({ status: 403 })).resolves.toBeUndefined();
  });
});
