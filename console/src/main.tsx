/**
 * The console's entry. The pages shown before sign-in (sign-in, first password, password reset) load with React
 * and the component library only; everything behind sign-in (react-admin and the screens) is a separate chunk
 * loaded once it is needed, so the first page stays small and fast.
 */
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { CssBaseline } from "@mui/material";
import { LocaleProvider } from "./shell/locale";
import { LoginPage } from "./shell/LoginPage";
import { SetPasswordPage } from "./shell/SetPasswordPage";
import { Starting } from "./shell/Starting";

const Console = lazy(() => import("./App"));

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <CssBaseline />
    <BrowserRouter>
      <LocaleProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/activate" element={<SetPasswordPage mode="activate" />} />
          <Route path="/reset-password" element={<SetPasswordPage mode="reset" />} />
          <Route
            path="/*"
            element={
              <Suspense fallback={<Starting />}>
                <Console />
              </Suspense>
            }
          />
        </Routes>
      </LocaleProvider>
    </BrowserRouter>
  </StrictMode>,
);
