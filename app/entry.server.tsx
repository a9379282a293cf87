import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { logger } from "./logger.server";
import { appendSessionCookie } from "./session/customer.server";

// The server entry answers GET /api/ads with this before Express and Remix
// (server/public-ads.ts, docs/decisions/008): exported here so it uses this
// build's ads runtime, the one the Remix route uses too.
export { answerPublicAds } from "./ads/endpoint.server";

/**
 * How long single fetch waits for a loader's promises before it gives up on
 * them (Remix reads this export; its own default is 4950 ms). Nothing here
 * returns promises in its data, so this only bounds the unexpected.
 */
export const streamTimeout = 5_000;
/** The render is aborted after the data stream had its chance to reject what it still waits for. */
const ABORT_DELAY_MS = streamTimeout + 1_000;

/**
 * Renders the whole document, then answers with it in one piece. Streaming the
 * shell first buys nothing here (no route defers data or suspends, so the shell
 * is the page), and writing one buffer instead of a web stream of small chunks
 * costs less per request (docs/decisions/008). Anything that ever suspends is
 * still waited for, up to ABORT_DELAY_MS.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  return new Promise<Response>((resolve, reject) => {
    const nonce = loadContext.cspNonce ?? "";
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const sink = new Writable({
      // React listens for "close" to abort a render whose reader went away; emitted
      // after a finished render, it ended the sink a second time and built a Node
      // error (with its stack) for every document.
      emitClose: false,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(timer);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(sink);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are on their way to the error boundary; log them once
          // (a shell error is Remix's to report, through handleError).
          if (shellRendered) logger.error({ requestId: loadContext.requestId, err: error }, "render error");
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY_MS);
  });
}

/**
 * Runs on every response the server entry sends (server/remix-handler.ts):
 * documents, data requests, resource routes and redirects alike, so the session's
 * cookie change, and "private, no-store" for personal responses, are never lost.
 */
export async function finalizeResponse(context: AppLoadContext, response: Response): Promise<void> {
  await appendSessionCookie(context, response.headers);
}

/**
 * Errors thrown by loaders and actions: logged once, with the request id, never
 * with the request's cookies or body. Aborted requests are not errors, and
 * neither is what Remix itself refuses as the client's mistake (a method no
 * route has, a `_data` for another route): those are 4xx, logged as info, so
 * nobody can flood the error log (docs/decisions/011).
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) {
    logger.info({ requestId: context.requestId, status: error.status, path: new URL(request.url).pathname }, "client error");
    return;
  }
  if (isLegacyDataRequestWarning(error)) {
    // A client's choice (an old tab's bundle, a script), not our error: Remix still answers it.
    logger.info({ requestId: context.requestId, path: new URL(request.url).pathname }, "?_data request under single fetch");
    return;
  }
  logger.error({ requestId: context.requestId, err: error, path: new URL(request.url).pathname }, "unhandled error");
};

/** Remix reports each `?_data` request through handleError once single fetch is on. */
function isLegacyDataRequestWarning(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("Warning: Single fetch-enabled apps should not be making ?_data requests");
}
