import { Form, Link, NavLink } from "@remix-run/react";

const NAV = [
  { to: "/dashboard", label: "Overview" },
  { to: "/transactions", label: "Transactions" },
  { to: "/payments/new", label: "Send money" },
  { to: "/profile", label: "Profile" },
] as const;

export function SiteHeader({ signedIn, customerName }: { signedIn: boolean; customerName: string | null }) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={signedIn ? "/dashboard" : "/"} className="brand">
          <span className="brand__mark" aria-hidden="true">
            N
          </span>
          <span className="brand__name">Northwind Bank</span>
        </Link>
        {signedIn ? (
          <>
            <nav className="site-nav" aria-label="Main">
              {NAV.map((item) => (
                <NavLink key={item.to} to={item.to} prefetch="intent">
                  {item.label}
                </NavLink>
              ))}
            </nav>
            <div className="site-account">
              {customerName ? <span className="site-account__name">{customerName}</span> : null}
              <Form method="post" action="/logout" className="sign-out">
                <button type="submit" className="button button--quiet">
                  Sign out
                </button>
              </Form>
            </div>
          </>
        ) : (
          <nav className="site-nav" aria-label="Main">
            <Link to="/login">Sign in</Link>
          </nav>
        )}
      </div>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>Northwind Bank · Demo product. Deposits are imaginary.</p>
    </footer>
  );
}
