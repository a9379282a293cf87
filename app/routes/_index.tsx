import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { RootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "Northwind Bank · Banking that stays out of your way" }];

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
