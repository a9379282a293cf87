import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answerErrors, refuseCrossSiteWrites, refusePathTricks, refuseUncarriableMethods } from "./cross-site";
import { chain, startExchange, type Step } from "./exchange";

const changed: Step = ({ res }) => void res.end("changed");

/** The server entry's guards in their order, then a step that answers "changed". */
async function serve(steps: Step[] = [refuseUncarriableMethods, refusePathTricks, refuseCrossSiteWrites, changed]) {
  const handle = chain(steps, answerErrors);
  const server = createServer((req, res) => handle(startExchange(req, res, undefined)));
  server.listen(0, "127.0.0.1");
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

/** A raw request: fetch would normalise the path (and refuses some methods) before sending it. */
async function rawStatus(base: string, method: string, path: string) {
  const { request } = await import("node:http");
  return new Promise<{ status: number; allow: string | undefined; type: string | undefined; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    request({ hostname, port, path, method }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += String(chunk)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, type: res.headers["content-type"], body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("refuseUncarriableMethods", () => {
  it.each([
    ["TRACE", "/", "GET, HEAD, POST"],
    ["TRACE", "/dashboard?_data=routes%2Fdashboard", "GET, HEAD, POST"],
    ["TRACE", "/api/ads", "GET, HEAD, OPTIONS"],
  ])("answers %s %s with 405 and Allow: %s", async (method, path, allow) => {
    const { base, close } = await serve();
    try {
      const answer = await rawStatus(base, method, path);
      expect([answer.status, answer.allow]).toEqual([405, allow]);
    } finally {
      await close();
    }
  });

  it("lets every method a Fetch Request can carry through", async () => {
    const { base, close } = await serve();
    try {
      for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"]) {
        expect((await rawStatus(base, method, "/x")).status, method).toBe(200);
      }
    } finally {
      await close();
    }
  });
});

describe("refusePathTricks", () => {
  it.each(["/%E0%A4%A", "/%E0%A4", "/%", "/api/%zz"])("refuses the undecodable path %s with 400, in the form its asker reads", async (path) => {
    const { base, close } = await serve();
    try {
      const answer = await rawStatus(base, "GET", path);
      expect(answer.status).toBe(400);
      if (path.startsWith("/api/")) expect(answer.type).toContain("application/problem+json");
      else expect(answer.body).toContain("That address is not valid");
    } finally {
      await close();
    }
  });

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

describe("answerErrors", () => {
  // A client's mistake found deep in a step (a body it refused, a bad encoding) is
  // thrown marked with its 4xx status; anything else is ours.
  const serveErrors = () =>
    serve([
      ({ path }, next) => {
        if (path.startsWith("/p/")) throw Object.assign(new URIError("URI malformed"), { status: 400 });
        next();
      },
      ({ path }, next) => {
        if (path === "/boom") throw new Error("ours");
        next();
      },
      ({ path, res }, next) => {
        if (path !== "/late") return next();
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.write("half an ans");
        setImmediate(() => next(new Error("ours, after the answer started")));
      },
      changed,
    ]);

  it("answers a client's mistake a step threw with its 4xx, not a 500", async () => {
    const { base, close } = await serveErrors();
    try {
      const page = await rawStatus(base, "GET", "/p/x");
      expect(page.status).toBe(400);
      expect(page.body).toContain("We could not understand that request");
      expect((await rawStatus(base, "GET", "/p/x?_data=routes%2Fp")).type).toContain("application/problem+json");
    } finally {
      await close();
    }
  });

  it("answers our own errors with 500 and no stack", async () => {
    const { base, close } = await serveErrors();
    try {
      const answer = await rawStatus(base, "GET", "/boom");
      expect(answer.status).toBe(500);
      expect(answer.body).not.toContain("ours");
      expect(answer.body).not.toMatch(/\bat /);
    } finally {
      await close();
    }
  });

  it("cuts the connection when the error comes after the answer started: never a whole wrong answer", async () => {
    const { base, close } = await serveErrors();
    try {
      const { request } = await import("node:http");
      const complete = await new Promise<boolean>((resolve, reject) => {
        const { hostname, port } = new URL(base);
        request({ hostname, port, path: "/late" }, (res) => {
          res.on("error", () => undefined);
          res.resume();
          res.on("close", () => resolve(res.complete));
        })
          .on("error", reject)
          .end();
      });
      expect(complete).toBe(false);
    } finally {
      await close();
    }
  });
});
