import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { RootData } from "~/root";
import { pageMeta } from "~/meta/page-meta";

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Northwind Bank · Banking that stays out of your way",
    description: "Northwind Bank: see your balance, send money and check your transactions, on any device.",
  });

export default function Landing() {
  const signedIn = useRouteLoaderData<RootData>("root")?.signedIn ?? false;
  return (
    <section className="hero" aria-labelledby="hero-title">
      <p className="eyebrow">Personal banking</p>
      <h1 id="hero-title">Your money, clearly.</h1>
      <p className="hero__lede">
        See your balance, follow every transaction and send payments in seconds, from any browser.
      </p>
      <p>
        {signedIn ? (
          <Link className="button button--primary" to="/dashboard">
            Go to your dashboard
          </Link>
        ) : (
          <Link className="button button--primary" to="/login">
            Sign in
          </Link>
        )}
      </p>
    </section>
  );
}
