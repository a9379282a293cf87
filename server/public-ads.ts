import type { IncomingMessage, ServerResponse } from "node:http";
import type { PublicAdsAnswer, PublicAdsRequest } from "../app/ads/endpoint.server";
import { originFromHost } from "../app/ads/public-ads.server";
import { logger } from "../app/logger.server";
import { securityHeaders } from "../app/security/headers.server";
import { isPlainHost } from "../app/security/host.server";
import { logRequest } from "./access-log";
import { clientFacts } from "./client";
import { MIN_COMPRESS_BYTES, negotiate, rememberingCompressor } from "./compression";
import { identityHeaders, requestIdOf } from "./request-context";

type AnswerPublicAds = (request: PublicAdsRequest) => Promise<PublicAdsAnswer>;

const PATH = "/api/ads";
const FAILURE = "Something went wrong on our side. Please try again in a moment.\n";

// Partner-facing headers carry no nonce: the same two lists for every request.
const flat = (headers: Record<string, string>) => Object.entries(headers).flat();
const PARTNER_HEADERS = {
  http: flat(securityHeaders({ nonce: "", secure: false, partnerFacing: true })),
  https: flat(securityHeaders({ nonce: "", secure: true, partnerFacing: true })),
};

/**
 * `GET|HEAD|OPTIONS /api/ads` answered before the server's steps and Remix
 * (docs/decisions/008): partner pages call it far more often than customers load
 * pages, and the framework's per-request work was 90 % of its cost. The same
 * endpoint code as the Remix route (`answerPublicAds`, from the build), and the
 * same request id, security headers, access log and metrics as every request.
 * Anything else on the path (POST, …) falls through to the route's action.
 */
export function publicAdsFastPath(options: { answer: () => AnswerPublicAds; trustedHops: number | undefined }) {
  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "";
    if (!url.startsWith(PATH) || (url.length > PATH.length && url[PATH.length] !== "?")) return false;
    const method = req.method;
    if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") return false;

    const client = clientFacts(req, options.trustedHops);
    const publicOrigin = originOf(client.secure ? "https:" : "http:", req.headers.host);
    // An odd Host is refused by the steps' guard (refuseOddHost), the same for every path.
    if (publicOrigin === undefined) return false;

    const requestId = requestIdOf(req);
    const trace = logRequest(req, res, PATH, requestId);
    const request: PublicAdsRequest = {
      method,
      search: url.slice(PATH.length),
      headers: new NodeHeaders(req),
      publicOrigin,
      clientIp: client.ip,
      trace,
    };
    const fixed = (client.secure ? PARTNER_HEADERS.https : PARTNER_HEADERS.http).slice();
    const identity = identityHeaders(requestId);
    for (const name in identity) fixed.push(name, identity[name] ?? "");
    options.answer()(request).then(
      (answer) => send(res, answer, fixed, req.headers["accept-encoding"]),
      (error: unknown) => fail(res, requestId, fixed, error),
    );
    return true;
  };
}

// Partners' pages send the same Host header over and over: check and parse each once.
const ORIGINS_REMEMBERED = 16;
const origins = new Map<string, string | undefined>();

/** Our origin for this Host (localhost without one), or undefined for a Host that is not host[:port]. */
function originOf(protocol: "http:" | "https:", host: string | undefined): string | undefined {
  const key = protocol + (host ?? "");
  if (origins.has(key)) return origins.get(key);
  const origin = host === undefined || isPlainHost(host) ? originFromHost(protocol, host, `${protocol}//localhost`) : undefined;
  if (origins.size >= ORIGINS_REMEMBERED) origins.clear();
  origins.set(key, origin);
  return origin;
}

function send(res: ServerResponse, answer: PublicAdsAnswer, fixed: string[], acceptEncoding: string | undefined) {
  const body = answer.body;
  // The ads (200, and the 304 that stands for them) vary with Accept-Encoding; small error bodies never do.
  const varies = answer.status === 304 || (answer.status === 200 && Number(answer.headers["Content-Length"]) >= MIN_COMPRESS_BYTES);
  // HEAD has no body to compress: it answers for the uncompressed representation.
  const encoding = varies && body !== null ? negotiate(acceptEncoding) : null;
  if (!encoding || body === null) {
    for (const name in answer.headers) if (!varies || name !== "Vary") fixed.push(name, answer.headers[name] ?? "");
    if (varies) pushVary(fixed, answer.headers.Vary);
    // One writeHead with a flat list: no per-header setHeader bookkeeping.
    res.writeHead(answer.status, fixed);
    res.end(body ?? undefined);
    return;
  }
  // The same few bodies for every partner request: compressed once each (decision 013).
  const compressed = compressedBodies(body, encoding);
  for (const name in answer.headers) {
    const value = answer.headers[name] ?? "";
    if (name === "Content-Length" || name === "Vary") continue;
    // A strong ETag names the uncompressed bytes; the compressed ones are an equivalent, weak, match.
    fixed.push(name, name === "ETag" && !value.startsWith("W/") ? `W/${value}` : value);
  }
  pushVary(fixed, answer.headers.Vary);
  fixed.push("Content-Encoding", encoding, "Content-Length", String(compressed.length));
  res.writeHead(answer.status, fixed);
  res.end(compressed);
}

const compressedBodies = rememberingCompressor();

function pushVary(fixed: string[], vary: string | undefined) {
  fixed.push("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
}

function fail(res: ServerResponse, requestId: string, fixed: string[], error: unknown) {
  logger.error({ requestId, err: error }, "unhandled server error");
  res.writeHead(500, [...fixed, "Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store"]);
  res.end(FAILURE);
}

/** A Node request's headers as the endpoint reads them (one small object, no closure per request). */
class NodeHeaders {
  constructor(private readonly req: IncomingMessage) {}

  get(name: string): string | null {
    const value = this.req.headers[name];
    return typeof value === "string" ? value : null;
  }
}
