import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getServices } from "~/services.server";
import { requireCustomer } from "~/session/customer.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const profile = await customer.withToken((token, call) => getServices().users.me(token, call));
  return Response.json({ name: `${profile.firstName} ${profile.lastName}` });
}

export const meta: MetaFunction = () => [{ title: "Overview · Northwind Bank" }];

export default function Dashboard() {
  const { name } = useLoaderData<{ name: string }>();
  return (
    <section aria-labelledby="dashboard-title">
      <p className="eyebrow">Overview</p>
      <h1 id="dashboard-title">Welcome, {name}</h1>
    </section>
  );
}
