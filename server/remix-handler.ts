import { PassThrough } from "node:stream";
import type { ServerBuild } from "@remix-run/node";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
} from "@remix-run/node";
import { endWithBody } from "./compression";
import { loadContext, type Exchange, type Step } from "./exchange";
import { serverEntry, type AppServerEntry } from "./server-entry";

/**
 * Node → Remix → Node, with one step in between that Remix's adapters have no
 * place for: the build's `finalizeResponse` runs on EVERY response before it is
 * sent — documents, data requests, resource routes and the redirects Remix returns
 * without entry.server — so the session's cookie change can never be lost.
 * (A no-JavaScript payment's redirect once lost it, and a resubmit paid twice.)
 */
export function remixHandler(options: { build: () => ServerBuild; mode: string }): Step {
  let current: { build: ServerBuild; handle: ReturnType<typeof createRequestHandler>; finalize: AppServerEntry["finalizeResponse"] } | undefined;

  async function answer(exchange: Exchange) {
    const build = options.build();
    if (current?.build !== build) {
      current = { build, handle: createRequestHandler(build, options.mode), finalize: serverEntry(build).finalizeResponse };
    }
    const context = loadContext(exchange);
    const response = await current.handle(toFetchRequest(exchange), context);
    await current.finalize(context, response);
    await send(exchange, response);
  }

  return (exchange, next) => void answer(exchange).catch(next);
}

function toFetchRequest({ req, res, client }: Exchange): Request {
  // HTTPS as clientFacts judged it (X-Forwarded-Proto only from a trusted proxy); the
  // Host is the one the client addressed (never X-Forwarded-Host), already checked
  // to be a plain host[:port] by refuseOddHost.
  const protocol = client.secure ? "https" : "http";
  const url = new URL(`${protocol}://${req.headers.host ?? "localhost"}${req.url ?? "/"}`);
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal: controller.signal };
  if (method !== "GET" && method !== "HEAD") {
    // Through a PassThrough: a handler that stops reading (the form size limit)
    // cancels the stream, and Remix's adapter destroys its source on cancel. That
    // must not be the socket, or the 413 never leaves; settleUnreadBody deals
    // with what is left once the answer has gone (server/unread-body.ts).
    init.body = createReadableStreamFromReadable(req.pipe(new PassThrough()));
    init.duplex = "half";
  }
  return new Request(url, init);
}

async function send({ req, res }: Exchange, response: Response) {
  res.statusMessage = response.statusText;
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    // A route's own header replaces the server's default (say, the ads CSP).
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (!response.body) return void res.end();
  // Every answer of this app is small and complete (documents are rendered whole,
  // nothing streams): one write with a length beats a chunked stream of pieces,
  // compressed when worth it (decision 013).
  endWithBody(req, res, Buffer.from(await response.arrayBuffer()));
}
