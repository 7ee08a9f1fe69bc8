import { Button, Card, CardContent, Typography } from "@mui/material";
import { Title, useTranslate } from "react-admin";
import { Link } from "react-router-dom";

/** An address the console has no screen for, or one the person's roles do not open. */
export function NotFound() {
  const translate = useTranslate();
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("app.not_found.title")} />
      <CardContent>
        <Typography component="h2" variant="h5">
          {translate("app.not_found.title")}
        </Typography>
        <Typography sx={{ my: 1 }}>{translate("app.not_found.explain")}</Typography>
        <Button component={Link} to="/" variant="contained">
          {translate("app.not_found.home")}
        </Button>
      </CardContent>
    </Card>
  );
}
