/** RFC 9457 problem details: what every /api error looks like, with nothing internal in it. */
export function problem(status: number, title: string, detail: string, headers?: HeadersInit): Response {
  const response = Response.json({ type: "about:blank", title, status, detail }, { status, headers });
  response.headers.set("Content-Type", "application/problem+json");
  response.headers.set("Cache-Control", "no-store");
  return response;
}
