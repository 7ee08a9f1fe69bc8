/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The gateway a `make console-dev` session talks to (`make run` starts one on 127.0.0.1:8000).
const gateway = process.env.BACKOFFICE_GATEWAY_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": gateway,
      "/auth": gateway,
      "/health": gateway,
      // The gateway's own dead letters (the console's screens are under /administration, never proxied).
      "^/admin/": gateway,
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
