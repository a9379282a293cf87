import { once } from "node:events";
import { createServer, IncomingMessage, request, type IncomingHttpHeaders, type Server } from "node:http";
import { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import express from "express";
import { clientFacts, type ClientFacts } from "./client";

/** What the connection says about the client: TRUST_PROXY as a hop count, as Express reads it. */
const SOCKET_IP = "10.0.0.9";
const CLIENT = "203.0.113.7";
const SPOOF = "6.6.6.6";

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

function fakeRequest(headers: IncomingHttpHeaders, options: { remoteAddress?: string; tls?: boolean } = {}): IncomingMessage {
  const socket = options.tls ? new TLSSocket(new Socket()) : new Socket();
  sockets.push(socket);
  if ("remoteAddress" in options) Object.defineProperty(socket, "remoteAddress", { value: options.remoteAddress });
  else Object.defineProperty(socket, "remoteAddress", { value: SOCKET_IP });
  return Object.assign(new IncomingMessage(socket), { headers });
}

describe("clientFacts without a trusted proxy", () => {
  it.each([
    ["TRUST_PROXY unset", undefined],
    ["TRUST_PROXY=0", 0],
  ])("takes the socket's address and ignores X-Forwarded-For (%s)", (_setting, hops) => {
    const req = fakeRequest({ "x-forwarded-for": `${SPOOF}, ${CLIENT}`, "x-forwarded-proto": "https" });
    expect(clientFacts(req, hops)).toEqual<ClientFacts>({ ip: SOCKET_IP, secure: false });
  });

  it("ignores X-Forwarded-Proto in both directions: only the socket says whether it is HTTPS", () => {
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": "https" }), undefined).secure).toBe(false);
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": "http" }, { tls: true }), undefined).secure).toBe(true);
    expect(clientFacts(fakeRequest({}, { tls: true }), undefined).secure).toBe(true);
  });

  it("says \"unknown\" when the socket has no address any more (a client that already left)", () => {
    expect(clientFacts(fakeRequest({}, { remoteAddress: undefined }), undefined).ip).toBe("unknown");
  });
});

describe("clientFacts behind trusted proxies", () => {
  it("with one hop takes the rightmost X-Forwarded-For entry: the one our proxy appended", () => {
    expect(clientFacts(fakeRequest({ "x-forwarded-for": CLIENT }), 1).ip).toBe(CLIENT);
    expect(clientFacts(fakeRequest({ "x-forwarded-for": `198.51.100.1, 198.51.100.2, ${CLIENT}` }), 1).ip).toBe(CLIENT);
  });

  it("with two hops skips the nearest proxy's entry and takes the one before it", () => {
    const req = fakeRequest({ "x-forwarded-for": `198.51.100.1, ${CLIENT}, 10.0.0.2` });
    expect(clientFacts(req, 2).ip).toBe(CLIENT);
  });

  it("with more hops than entries takes the leftmost entry", () => {
    const req = fakeRequest({ "x-forwarded-for": `${CLIENT}, 10.0.0.2` });
    expect(clientFacts(req, 2).ip).toBe(CLIENT);
    expect(clientFacts(req, 5).ip).toBe(CLIENT);
  });

  it("cannot be steered by entries a client prepends to X-Forwarded-For", () => {
    // The client sends "X-Forwarded-For: 6.6.6.6, 1.2.3.4"; our one proxy appends what it saw.
    const req = fakeRequest({ "x-forwarded-for": `${SPOOF}, 1.2.3.4, ${CLIENT}` });
    expect(clientFacts(req, 1).ip).toBe(CLIENT);
    expect(clientFacts(req, 2).ip).toBe("1.2.3.4");
  });

  it("falls back to the socket's address when the proxy sent no X-Forwarded-For", () => {
    expect(clientFacts(fakeRequest({}), 1).ip).toBe(SOCKET_IP);
    expect(clientFacts(fakeRequest({ "x-forwarded-for": " , " }), 1).ip).toBe(SOCKET_IP);
  });

  it("skips empty entries and blanks in X-Forwarded-For", () => {
    const req = fakeRequest({ "x-forwarded-for": ` ${SPOOF} ,, ${CLIENT} , ` });
    expect(clientFacts(req, 1).ip).toBe(CLIENT);
    expect(clientFacts(req, 2).ip).toBe(SPOOF);
  });

  it("reads several X-Forwarded-For header values as one list, in order", () => {
    const req = fakeRequest({ "x-forwarded-for": [`${SPOOF}, 198.51.100.1`, `${CLIENT}, 10.0.0.2`] });
    expect(clientFacts(req, 1).ip).toBe("10.0.0.2");
    expect(clientFacts(req, 2).ip).toBe(CLIENT);
    expect(clientFacts(req, 3).ip).toBe("198.51.100.1");
  });

  it("believes X-Forwarded-Proto https and http, whatever the socket is", () => {
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": "https" }), 1).secure).toBe(true);
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": "http" }), 1).secure).toBe(false);
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": "http" }, { tls: true }), 1).secure).toBe(false);
  });

  it("uses only the first X-Forwarded-Proto value, also across several header values", () => {
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": " https , http" }), 1).secure).toBe(true);
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": "http, https" }), 1).secure).toBe(false);
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": ["http", "https"] }), 1).secure).toBe(false);
    expect(clientFacts(fakeRequest({ "x-forwarded-proto": ["https", "http"] }), 1).secure).toBe(true);
  });

  it("falls back to the socket when the proxy says nothing about the scheme", () => {
    expect(clientFacts(fakeRequest({}), 1).secure).toBe(false);
    expect(clientFacts(fakeRequest({}, { tls: true }), 1).secure).toBe(true);
  });
});

describe("clientFacts on real connections, next to Express's `trust proxy`", () => {
  // One server; the URL says how many hops this request trusts. Each Express app
  // reports what Express makes of the same request, so the two are compared directly.
  let server: Server;
  let port = 0;
  const apps = new Map<number, express.Express>();

  beforeAll(async () => {
    for (const hops of [0, 1, 2, 3]) {
      const app = express();
      app.set("trust proxy", hops);
      app.get("*", (req, res) => {
        res.json({ express: { ip: req.ip, secure: req.secure }, ours: clientFacts(req, hops === 0 ? undefined : hops) });
      });
      apps.set(hops, app);
    }
    server = createServer((req, res) => {
      const app = apps.get(Number(req.url?.slice(1)));
      if (app) app(req, res);
      else res.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    port = address.port;
  });

  afterAll(() => {
    server.close();
  });

  /** Raw header lines, so repeated headers reach the server as a client sent them. */
  function ask(hops: number, lines: [string, string][]): Promise<{ express: ClientFacts; ours: ClientFacts }> {
    return new Promise((resolve, reject) => {
      // A raw header list gets no Host of Node's: it goes first, as Node would send it.
      const req = request({ host: "127.0.0.1", port, path: `/${hops}`, headers: ["Host", `127.0.0.1:${port}`, ...lines.flat()], agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          if (res.statusCode === 200) resolve(JSON.parse(body) as { express: ClientFacts; ours: ClientFacts });
          else reject(new Error(`status ${res.statusCode}: ${body}`));
        });
      });
      req.on("error", reject);
      req.end();
    });
  }

  const shapes: [string, [string, string][]][] = [
    ["no forwarding headers", []],
    ["one entry", [["X-Forwarded-For", CLIENT]]],
    ["a spoofed chain", [["X-Forwarded-For", `${SPOOF}, 198.51.100.1, ${CLIENT}`]]],
    ["blank entries", [["X-Forwarded-For", ` , ${SPOOF},, ${CLIENT} `]]],
    ["two header lines", [["X-Forwarded-For", `${SPOOF}, 198.51.100.1`], ["X-Forwarded-For", CLIENT]]],
    ["https", [["X-Forwarded-For", CLIENT], ["X-Forwarded-Proto", "https"]]],
    ["https, then http", [["X-Forwarded-Proto", "https, http"]]],
    ["http, then https on two lines", [["X-Forwarded-Proto", "http"], ["X-Forwarded-Proto", "https"]]],
  ];

  it.each(shapes)("agree for %s, with 0 to 3 trusted hops", async (_shape, lines) => {
    for (const hops of [0, 1, 2, 3]) {
      const { express: theirs, ours } = await ask(hops, lines);
      expect(ours, `${hops} hops`).toEqual(theirs);
    }
  });

  it("see the real socket's address without a trusted proxy", async () => {
    const { ours } = await ask(0, [["X-Forwarded-For", SPOOF]]);
    expect(ours.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
