import { lazy } from "react";
import { Resource } from "react-admin";
import { Route } from "react-router-dom";
import BalanceIcon from "@mui/icons-material/Balance";
import CategoryIcon from "@mui/icons-material/Category";
import HandshakeIcon from "@mui/icons-material/Handshake";
import TableChartIcon from "@mui/icons-material/TableChart";
import QuestionAnswerIcon from "@mui/icons-material/QuestionAnswer";
import type { Area } from "../types";

const CategoryList = lazy(() => import("./categories").then((m) => ({ default: m.CategoryList })));
const CategoryCreate = lazy(() => import("./categories").then((m) => ({ default: m.CategoryCreate })));
const CategoryShow = lazy(() => import("./categories").then((m) => ({ default: m.CategoryShow })));
const PayGapPage = lazy(() => import("./report").then((m) => ({ default: m.PayGapPage })));
const AssessmentList = lazy(() => import("./assessments").then((m) => ({ default: m.AssessmentList })));
const AssessmentPage = lazy(() => import("./assessments").then((m) => ({ default: m.AssessmentPage })));
const RegisterPage = lazy(() => import("./register").then((m) => ({ default: m.RegisterPage })));
const RequestList = lazy(() => import("./requests").then((m) => ({ default: m.RequestList })));

/**
 * Fair pay (HR, payroll, pay auditors, admins): job categories of work of equal value, the pay gap report, joint
 * pay assessments, the pay register and the employees' requests for information.
 */
export const fairpayArea: Area = {
  section: "fairpay",
  title: "app.menu.fairpay",
  nav: [
    { to: "/fairpay/pay-gap", label: "fairpay.report.menu", icon: <BalanceIcon /> },
    { to: "/fairpay_job_categories", label: "fairpay.categories.menu", icon: <CategoryIcon /> },
    { to: "/fairpay/assessments", label: "fairpay.assessments.menu", icon: <HandshakeIcon /> },
    { to: "/fairpay/register", label: "fairpay.register.menu", icon: <TableChartIcon /> },
    { to: "/fairpay/information-requests", label: "fairpay.requests.menu", icon: <QuestionAnswerIcon /> },
  ],
  routes: [
    <Route key="pay-gap" path="/fairpay/pay-gap" element={<PayGapPage />} />,
    <Route key="assessments" path="/fairpay/assessments" element={<AssessmentList />} />,
    <Route key="assessment" path="/fairpay/assessments/:id" element={<AssessmentPage />} />,
    <Route key="register" path="/fairpay/register" element={<RegisterPage />} />,
    <Route key="requests" path="/fairpay/information-requests" element={<RequestList />} />,
  ],
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
