import type { AddressInfo } from "node:net";
import express from "express";
import { refuseCrossSiteWrites } from "./cross-site";

async function serve() {
  const app = express();
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

      const data = await fetch(`${base}/payments/new?_data=routes%2Fpayments.new`, {
        method: "POST",
        headers: { origin: "https://evil.example" },
      });
      expect(data.status).toBe(403);
      expect(data.headers.get("content-type")).toContain("application/problem+json");

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
