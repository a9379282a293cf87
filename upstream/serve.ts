import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { getResponse, type RequestHandler } from "msw";
import { adsRoutes } from "./ads";
import { authRoutes } from "./auth";
import { validateInjection } from "./config";
import { paymentsRoutes } from "./payments";
import { serialisedBody } from "./responses";
import { routeTable, type Route, type RouteTable } from "./routes";
import { createStandinState, normalizeEmail, type OutboxMessage, type StandinState } from "./state";
import { transactionsRoutes } from "./transactions";
import { SERVICE_NAMES, type Injection, type PerService, type ServiceName, type StandinOptions } from "./types";
import { usersRoutes } from "./users";

/**
 * Serves the services over real HTTP, one node:http server per service. The BFF's
 * clients use undici's Pool, which msw cannot intercept in-process, so both
 * `npm start` and the tests reach the stand-ins over loopback sockets. A request
 * goes: injection → per-test overrides (msw handlers, through msw's getResponse)
 * → the service's routes, the same resolvers its exported msw handlers wrap
 * (dispatched directly for speed, see routes.ts) → 404.
 */

export type { StandinOptions } from "./types";

export interface RecordedRequest {
  service: ServiceName;
  method: string;
  /** The path without the query string, e.g. "/transactions". */
  path: string;
  /** The path with the query string as received, e.g. "/transactions?limit=5". */
  url: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export interface Standins {
  /** Base URL per service, e.g. http://127.0.0.1:4101. */
  readonly urls: Record<ServiceName, string>;
  /** Per-test overrides, checked before the base handlers on every service; newest first, like msw's server.use. */
  use(...handlers: RequestHandler[]): void;
  /** Drops the overrides. */
  resetHandlers(): void;
  /** resetHandlers + demo data back to initial + request log cleared + injection back to the options. */
  reset(): void;
  /** Changes injection at run time; a map given replaces that map, one omitted is kept. */
  configure(injection: Injection): void;
  /** What reached each service (the last 1000 to 2000 requests), oldest first. */
  readonly requests: RecordedRequest[];
  /** Codes "e-mailed" to the address (sign-in and payment codes), newest first. */
  outbox(email: string): string[];
  /** Where Auth sends logout tokens from now on (until `reset()` puts back the option's URL); undefined: nowhere. */
  setBackchannelLogoutUrl(url: string | undefined): void;
  /** The same, as whole messages ({code, text, sentAt}). */
  outboxMessages(email: string): OutboxMessage[];
  /** Closes the servers, keep-alive sockets included. Safe to call twice. */
  close(): Promise<void>;
}

const ROUTE_FACTORIES: Record<ServiceName, (state: StandinState) => Route[]> = {
  auth: authRoutes,
  users: usersRoutes,
  payments: paymentsRoutes,
  transactions: transactionsRoutes,
  ads: adsRoutes,
};

const REQUEST_LOG_KEEP = 1000;
/** The log is trimmed in batches, so recording stays O(1) amortised under load. */
const REQUEST_LOG_TRIM_AT = 2 * REQUEST_LOG_KEEP;

/** Connection-level headers that describe the socket, not the request. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"]);

function jsonResponse(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": payload.length });
  res.end(payload);
}

function copyInjection(injection: Injection): { latencyMs: PerService; failureRate: PerService } {
  return { latencyMs: { ...injection.latencyMs }, failureRate: { ...injection.failureRate } };
}

function validateOptions(options: StandinOptions): void {
  for (const field of ["clientId", "clientSecret", "adsApiKey"] as const) {
    if (typeof options[field] !== "string" || options[field] === "") throw new Error(`startStandins: ${field} is required`);
  }
  for (const [name, port] of Object.entries(options.ports ?? {})) {
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`startStandins: ports.${name} must be 0–65535`);
  }
  validateInjection(options.latencyMs, options.failureRate);
}

function urlHost(host: string): string {
  if (host === "" || host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** node:http request → Fetch Request: method, headers (minus hop-by-hop), URL from Host, body buffered. */
async function toFetchRequest(req: IncomingMessage, url: string): Promise<Request> {
  const method = req.method ?? "GET";
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, raw[i + 1] as string);
  }
  const hasBody = method !== "GET" && method !== "HEAD";
  const body = hasBody ? await readBody(req) : undefined;
  // Buffers from node:http are backed by a plain ArrayBuffer, which is what BodyInit wants.
  return new Request(url, {
    method,
    headers,
    body: body && body.length > 0 ? (body as Uint8Array<ArrayBuffer>) : undefined,
  });
}

/** Fetch Response → node:http response; bodies are small JSON, so they are buffered, not streamed. */
async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  const text = serialisedBody(response);
  const body =
    text !== undefined ? Buffer.from(text) : response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length" && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.setHeader("content-length", body?.length ?? 0);
  res.end(method === "HEAD" ? undefined : body);
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startStandins(options: StandinOptions): Promise<Standins> {
  validateOptions(options);
  const host = options.host ?? "127.0.0.1";
  const random = options.random ?? Math.random;
  const state = await createStandinState(options);
  const routes = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, routeTable(ROUTE_FACTORIES[name](state))]),
  ) as Record<ServiceName, RouteTable>;
  let overrides: RequestHandler[] = [];
  let injection = copyInjection(options);
  const requests: RecordedRequest[] = [];

  async function handle(service: ServiceName, fallbackHost: string, req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    const queryAt = target.indexOf("?");
    requests.push({
      service,
      method,
      path: queryAt === -1 ? target : target.slice(0, queryAt),
      url: target,
      headers: recordHeaders(req),
    });
    if (requests.length >= REQUEST_LOG_TRIM_AT) requests.splice(0, requests.length - REQUEST_LOG_KEEP);

    // Injection applies to every route of the service, health included, as a slow
    // or flaky real service would; it is read per request so configure() takes effect at once.
    const latency = injection.latencyMs[service] ?? 0;
    if (latency > 0) await sleep(latency);
    const failureRate = injection.failureRate[service] ?? 0;
    if (failureRate > 0 && random() < failureRate) {
      req.resume(); // drain any body so the keep-alive connection stays usable
      return jsonResponse(res, 503, { error: "service_unavailable" });
    }

    const url = `http://${req.headers.host ?? fallbackHost}${target}`;
    let request: Request;
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
      request = await toFetchRequest(req, url);
    } catch {
      return jsonResponse(res, 400, { error: "bad_request" });
    }
    if (overrides.length > 0) {
      // A clone, so that an override that reads the body and passes leaves it for the routes.
      const overridden = await getResponse(overrides, request.clone());
      if (overridden) return writeResponse(res, overridden, method);
    }
    const route = routes[service].find(method, pathname);
    if (!route) return jsonResponse(res, 404, { error: "not_found" });
    await writeResponse(res, await route.resolve(request), method);
  }

  const servers: Partial<Record<ServiceName, Server>> = {};
  const urls = {} as Record<ServiceName, string>;
  try {
    for (const service of SERVICE_NAMES) {
      const server = createServer({ keepAlive: true });
      const requestedPort = options.ports?.[service] ?? 0;
      servers[service] = server;
      let fallbackHost = `${urlHost(host)}:${requestedPort}`;
      server.on("request", (req: IncomingMessage, res: ServerResponse) => {
        handle(service, fallbackHost, req, res).catch((error: unknown) => {
          // A handler bug: log one line (no stack in the response, nor a token in the log).
          console.error(`[standin:${service}] ${req.method} ${req.url?.split("?")[0]}: ${error instanceof Error ? error.message : String(error)}`);
          if (!res.headersSent) jsonResponse(res, 500, { error: "internal_error" });
          else res.destroy();
        });
      });
      let port: number;
      try {
        port = await listen(server, requestedPort, host);
      } catch (error) {
        throw new Error(
          `stand-in ${service} could not listen on ${host}:${requestedPort}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      fallbackHost = `${urlHost(host)}:${port}`;
      urls[service] = `http://${fallbackHost}`;
    }
  } catch (error) {
    await Promise.all(Object.values(servers).map(closeServer));
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    urls,
    requests,
    use(...handlers) {
      overrides = [...handlers, ...overrides];
    },
    resetHandlers() {
      overrides = [];
    },
    reset() {
      overrides = [];
      state.reset();
      requests.length = 0;
      injection = copyInjection(options);
    },
    configure(next) {
      validateInjection(next.latencyMs, next.failureRate);
      injection = {
        latencyMs: next.latencyMs ? { ...next.latencyMs } : injection.latencyMs,
        failureRate: next.failureRate ? { ...next.failureRate } : injection.failureRate,
      };
    },
    outbox(email) {
      return (state.outbox.get(normalizeEmail(email)) ?? []).map((message) => message.code);
    },
    outboxMessages(email) {
      return [...(state.outbox.get(normalizeEmail(email)) ?? [])];
    },
    setBackchannelLogoutUrl(url) {
      state.backchannel.url = url;
    },
    close() {
      closing ??= Promise.all(Object.values(servers).map(closeServer)).then(() => undefined);
      return closing;
    },
  };
}
