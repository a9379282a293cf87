import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useNonce } from "./components/nonce";
import { SiteFooter, SiteHeader } from "./components/site-chrome";
import { requestSession } from "./session/customer.server";
import stylesheet from "./styles/app.css";

export interface RootData {
  signedIn: boolean;
  /** The customer's name for the header, from the session: no upstream call per navigation. */
  customerName: string | null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requestSession(request, context).get();
  return {
    signedIn: session !== null,
    customerName: session?.profile?.fullName ?? null,
  } satisfies RootData;
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.ico", sizes: "any" },
];

export const meta: MetaFunction = () => [
  { title: "Northwind Bank" },
  { name: "description", content: "Your accounts, payments and transactions." },
];

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<RootData>("root");
  const nonce = useNonce();
  // Marks the document once React has hydrated it (effects run only after the commit).
  // Until then a click is a plain navigation or form post, so tests wait for this mark.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
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
        <SiteHeader signedIn={root?.signedIn ?? false} customerName={root?.customerName ?? null} />
        <main id="main" className="page" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Friendly words for whatever went wrong; never a stack trace or internals. */
export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <section className="card narrow" aria-labelledby="error-title">
      <p className="eyebrow">Error {status}</p>
      <h1 id="error-title">{notFound ? "We can't find that page" : "Something went wrong"}</h1>
      <p>
        {notFound
          ? "The address may be mistyped, or the page may have moved."
          : "We couldn't complete that just now. Please try again in a moment."}
      </p>
      <p>
        <a className="button" href="/">
          Go to the home page
        </a>
      </p>
    </section>
  );
}
