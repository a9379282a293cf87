import { PassThrough } from "node:stream";
import {
  createReadableStreamFromReadable,
  type AppLoadContext,
  type EntryContext,
  type HandleErrorFunction,
} from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { logger } from "./logger.server";
import { appendSessionCookie } from "./session/customer.server";

// The server entry answers GET /api/ads with this before Express and Remix
// (server/public-ads.ts, docs/decisions/008): exported here so it uses this
// build's ads runtime, the one the Remix route uses too.
export { answerPublicAds } from "./ads/endpoint.server";

const ABORT_DELAY_MS = 5_000;

/**
 * Streams the document. Browsers get the shell as soon as it is ready; bots (and
 * anything that wants the whole page at once) wait for all content.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const nonce = loadContext.cspNonce ?? "";
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are on their way to the error boundary; log them once.
          if (shellRendered) logger.error({ requestId: loadContext.requestId, err: error }, "render error");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS);
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
 * with the request's cookies or body. Aborted requests are not errors.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  logger.error({ requestId: context.requestId, err: error, path: new URL(request.url).pathname }, "unhandled error");
};
