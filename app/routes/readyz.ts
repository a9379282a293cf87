import { checkReadiness } from "~/readiness.server";

// Readiness: 200 when every upstream answers, 503 naming the ones that don't.
export async function loader() {
  const readiness = await checkReadiness();
  const unavailable = Object.entries(readiness.services)
    .filter(([, state]) => state !== "ok")
    .map(([name]) => name);
  return Response.json(
    {
      status: readiness.ready ? "ready" : "unavailable",
      ...(readiness.draining ? { draining: true } : {}),
      services: readiness.services,
      ...(unavailable.length > 0 ? { unavailable } : {}),
    },
    { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
