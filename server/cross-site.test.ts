import type { AddressInfo } from "node:net";
import express from "express";
import { refuseCrossSiteWrites, refusePathTricks } from "./cross-site";

async function serve() {
  const app = express();
  app.use(refusePathTricks);
  app.use(refuseCrossSiteWrites);
  app.all("*", (_req, res) => {
    res.send("changed");
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("refuseCrossSiteWrites", () => {
  it("lets same-origin posts and reads through, refuses cross-site posts with 403", async () => {
    const { base, close } = await serve();
    try {
      const own = await fetch(`${base}/logout`, { method: "POST", headers: { origin: base } });
      expect([own.status, await own.text()]).toEqual([200, "changed"]);

      const read = await fetch(`${base}/dashboard`, { headers: { origin: "https://evil.example" } });
      expect(read.status).toBe(200);

      const document = await fetch(`${base}/logout`, { method: "POST", headers: { origin: "https://evil.example" } });
      expect(document.status).toBe(403);
      expect(await document.text()).toContain("Cross-site requests are refused");

      // Single fetch's data request (what the app's own scripts send) and the `?_data` one before it.
      for (const path of ["/payments/new.data", "/_root.data?index", "/payments/new?_data=routes%2Fpayments.new"]) {
        const data = await fetch(`${base}${path}`, { method: "POST", headers: { origin: "https://evil.example" } });
        expect(data.status, path).toBe(403);
        expect(data.headers.get("content-type"), path).toContain("application/problem+json");
      }

      const fetcher = await fetch(`${base}/api/transactions`, {
        method: "POST",
        headers: { "sec-fetch-site": "cross-site" },
      });
      expect(fetcher.status).toBe(403);
    } finally {
      await close();
    }
  });
});

describe("refusePathTricks", () => {
  it.each(["/api/%2e%2e/v1/users/me", "/api/%2E%2E/x", "/api/a%2Fb", "/%5Cevil", "/api/%252e%252e/x", "/a/../b"])(
    "refuses the raw path %s with 400 before anything resolves it",
    async (path) => {
      const { base, close } = await serve();
      try {
        // A raw request: fetch would normalise the path before sending it.
        const { request } = await import("node:http");
        const status = await new Promise<number>((resolve, reject) => {
          const { hostname, port } = new URL(base);
          request({ hostname, port, path }, (res) => resolve(res.statusCode ?? 0)).on("error", reject).end();
        });
        expect(status).toBe(400);
      } finally {
        await close();
      }
    },
  );

  it("lets ordinary paths and queries through", async () => {
    const { base, close } = await serve();
    try {
      expect((await fetch(`${base}/transactions?cursor=a%2Fb`)).status).toBe(200);
    } finally {
      await close();
    }
  });
});
