import type { IncomingMessage, ServerResponse } from "node:http";

/** How much of a body nobody read is thrown away to keep its connection; past either bound it is closed. */
export const DRAIN_LIMITS = { bytes: 4 * 1024 * 1024, ms: 5_000 };

/**
 * An answer can leave before its request's body was read: every early refusal
 * (413, 400, 403, 429, 401, 405…) and any handler that never needed the body.
 * The rest of the body then sits on the connection, and the next request of a
 * keep-alive connection waits behind bytes that nobody reads: wedged
 * (docs/decisions/011). Once such an answer has gone, the rest is read and
 * thrown away, up to a bound in bytes and time; past it the connection is
 * closed. Node-level, for every request: the fast paths, the steps and Remix.
 */
export function settleUnreadBody(req: IncomingMessage, res: ServerResponse, limits = DRAIN_LIMITS): void {
  // Most requests carry no body: nothing to watch.
  if (req.headers["transfer-encoding"] === undefined && (req.headers["content-length"] ?? "0") === "0") return;
  res.once("finish", () => {
    if (!req.complete && !req.destroyed) drain(req, limits);
  });
}

function drain(req: IncomingMessage, limits: { bytes: number; ms: number }) {
  const socket = req.socket;
  let left = limits.bytes;
  const timer = setTimeout(() => socket.destroy(), limits.ms);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  // The answer is sent: whoever was reading (Remix's body stream) is done with it,
  // and a reader that stopped would hold the request paused.
  req.unpipe();
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    left -= chunk.byteLength;
    if (left < 0) {
      clearTimeout(timer);
      socket.destroy();
    }
  });
  req.resume();
}
