import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DashboardPage } from "../../../../app/components/dashboard-page";
import type { DashboardView } from "../../../../types/views";
import { ADA_DASHBOARD } from "../dashboard-view";
import { sessions } from "../session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await sessions.getSession(request.headers.get("Cookie"));
  if (!session.has("email")) throw redirect("/login?redirectTo=%2Fdashboard");
  // A constant view: no upstream call.
  return ADA_DASHBOARD;
}

export const meta: MetaFunction = () => [{ title: "Overview · Northwind Bank" }];

// The app's own dashboard markup.
export default function Dashboard() {
  return <DashboardPage view={useLoaderData<DashboardView>()} />;
}
