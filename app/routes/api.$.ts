import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi } from "~/api/api.server";

// Every /api/* path that no more specific route claims goes through the allowlist.
export function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(request, context);
}

export function action({ request, context }: ActionFunctionArgs) {
  return handleApi(request, context);
}
