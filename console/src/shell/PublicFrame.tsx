import type { ReactNode } from "react";
import { Box, Card, CardContent, Stack, Typography } from "@mui/material";
import { LocaleSwitcher } from "./locale";

/** The frame of the pages shown before sign-in: a card with a title and the language switcher. */
export function PublicFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="main" sx={{ minHeight: "100vh", display: "grid", placeItems: "center", bgcolor: "grey.100" }}>
      <Card sx={{ width: 420, maxWidth: "95vw" }}>
        <CardContent>
          <Stack direction="row" justifyContent="space-between" alignItems="center">
            <Typography component="h1" variant="h5">
              {title}
            </Typography>
            <LocaleSwitcher />
          </Stack>
          {children}
        </CardContent>
      </Card>
    </Box>
  );
}
