import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteFooter, SiteHeader } from "../../../app/components/site-chrome";
import type { DashboardView } from "../../../types/views";

// The app's chrome, so that the documents are the app's size and shape. The classic
// compiler bundles no CSS from outside this folder: a link of the same length stands
// in for the app's fingerprinted stylesheet (no benchmark client loads it).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/build/_assets/app-00000000.css" },
  { rel: "icon", href: "/favicon.ico", sizes: "any" },
];

export const meta: MetaFunction = () => [
  { title: "Northwind Bank" },
  { name: "description", content: "Your accounts, payments and transactions." },
];

export function Layout({ children }: { children: ReactNode }) {
  // No root loader (the sign-in page checks no session): the header reads the dashboard's view.
  const dashboard = useRouteLoaderData<DashboardView>("routes/dashboard");
  const customerName = dashboard?.customer.status === "ok" ? dashboard.customer.data.fullName : null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader signedIn={dashboard !== undefined} customerName={customerName} />
        <main id="main" className="page" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}
