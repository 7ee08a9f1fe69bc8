import { lazy } from "react";
import { Resource } from "react-admin";
import CategoryIcon from "@mui/icons-material/Category";
import type { Area } from "../types";

const CategoryList = lazy(() => import("./categories").then((m) => ({ default: m.CategoryList })));
const CategoryCreate = lazy(() => import("./categories").then((m) => ({ default: m.CategoryCreate })));
const CategoryShow = lazy(() => import("./categories").then((m) => ({ default: m.CategoryShow })));

/**
 * Fair pay (HR, payroll, pay auditors, admins): the pay gap report, the pay register, justifications and joint
 * pay assessments. Each screen set adds its menu entries, routes and resources here.
 */
export const fairpayArea: Area = {
  section: "fairpay",
  title: "app.menu.fairpay",
  nav: [{ to: "/fairpay_job_categories", label: "fairpay.categories.menu", icon: <CategoryIcon /> }],
  routes: [],
  resources: [
    <Resource
      key="fairpay_job_categories"
      name="fairpay_job_categories"
      list={CategoryList}
      create={CategoryCreate}
      show={CategoryShow}
    />,
  ],
};
