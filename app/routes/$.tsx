import { ErrorBoundary as RootErrorBoundary } from "~/root";

// Every unknown path lands here, so it renders inside the layout with a real 404.
export function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}

export const ErrorBoundary = RootErrorBoundary;
