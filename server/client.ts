import type { IncomingMessage } from "node:http";

export interface ClientFacts {
  /** The client's IP: the socket's, or from X-Forwarded-For past `trustedHops` proxies. */
  ip: string;
  /** Whether the client reached us over HTTPS, directly or via a trusted proxy. */
  secure: boolean;
}

/**
 * What the connection says about the client, with TRUST_PROXY as a hop count and
 * the same rules as Express's `trust proxy` with a number: X-Forwarded-* count only
 * when a proxy is trusted, and only as many hops back as are trusted (so a client
 * cannot pick its own IP by prepending to X-Forwarded-For).
 */
export function clientFacts(req: IncomingMessage, trustedHops: number | undefined): ClientFacts {
  const socketIp = req.socket.remoteAddress ?? "unknown";
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  if (!trustedHops) return { ip: socketIp, secure: encrypted };

  // Nearest hop first: the socket, then X-Forwarded-For read from the right.
  const forwarded = headerValue(req, "x-forwarded-for")?.split(",").map((part) => part.trim()).filter(Boolean) ?? [];
  const chain = [socketIp, ...forwarded.reverse()];
  const ip = chain[Math.min(trustedHops, chain.length - 1)] ?? socketIp;
  const proto = headerValue(req, "x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return { ip, secure: proto === undefined ? encrypted : proto === "https" };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
