/** JSON answers of the public ads API: never cached, errors in one shape. */
export function adsProblem(
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error, message },
    { status, headers: { ...headers, "Cache-Control": "no-store" } },
  );
}
