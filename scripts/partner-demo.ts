/**
 * `npm run partner-demo`: a sample partner website on another origin that embeds
 * our ads exactly as a partner would, with one script tag and a few slots.
 *
 *   PARTNER_DEMO_PORT (default 4000), APP_URL (default http://localhost:3000)
 *
 * It listens on 127.0.0.1, so the page is another *site* than the app on
 * localhost, as a real partner is: the browser treats it as third party.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export interface PartnerDemo {
  url: string;
  close(): Promise<void>;
}

export async function startPartnerDemo(options: { port?: number; appUrl?: string } = {}): Promise<PartnerDemo> {
  const appOrigin = new URL(options.appUrl ?? "http://localhost:3000").origin;
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    if ((req.url ?? "/").split("?")[0] !== "/") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found");
      return;
    }
    const nonce = randomBytes(16).toString("base64");
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // A strict partner CSP: what a partner must allow for our ads, and no more.
      "Content-Security-Policy": [
        "default-src 'none'",
        `script-src ${appOrigin}`,
        `connect-src ${appOrigin}`,
        `img-src ${appOrigin} https: data:`,
        `style-src 'nonce-${nonce}'`,
        "base-uri 'none'",
        "form-action 'none'",
      ].join("; "),
    });
    res.end(req.method === "HEAD" ? undefined : page(appOrigin, nonce));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4000, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(appOrigin: string, nonce: string): string {
  const app = escapeHtml(appOrigin);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The Harbor Gazette · a partner site</title>
<style nonce="${escapeHtml(nonce)}">
  body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: #222; background: #fbfaf7; }
  header { padding: 16px 24px; border-bottom: 3px double #222; text-align: center; }
  header h1 { margin: 0; font-size: 2rem; letter-spacing: .04em; }
  .top { display: flex; justify-content: center; padding: 16px; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 32px; max-width: 1040px; margin: 0 auto; padding: 0 24px 48px; }
  aside { display: grid; gap: 24px; align-content: start; }
  a { color: #8b1e3f; }
  @media (max-width: 800px) { main { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header><h1>The Harbor Gazette</h1><p>Local news, weather and tides · a demo partner page</p></header>
<div class="top"><div data-ad-placement="banner"></div></div>
<main>
  <article>
    <h2>Harbour festival returns this weekend</h2>
    <p>After a two-year pause the harbour festival is back, with tall ships, a fish market on the quay and
    fireworks over the breakwater on Saturday night. Organisers expect thirty thousand visitors.</p>
    <p>Parking near the harbour will be limited; the council asks visitors to use the park-and-ride from the
    ring road, with buses every ten minutes from nine in the morning until midnight.</p>
    <div data-ad-placement="inline"></div>
    <p>Stalls open at ten. The lifeboat crew will show their new all-weather boat, and the sailing club offers
    free taster sessions for children over eight, weather permitting.</p>
  </article>
  <aside>
    <div data-ad-placement="sidebar"></div>
    <div data-ad-placement="sidebar"></div>
  </aside>
</main>
<script src="${app}/ads/embed.js" async></script>
</body>
</html>
`;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const port = Number(process.env.PARTNER_DEMO_PORT ?? 4000);
  const appUrl = process.env.APP_URL ?? "http://localhost:3000";
  try {
    const demo = await startPartnerDemo({ port, appUrl });
    console.log(`\n  Partner demo page: ${demo.url}`);
    console.log(`  It embeds ${new URL(appUrl).origin}/ads/embed.js; start the app with \`npm start\` first.`);
    console.log(`  The app must allow this origin: ADS_ALLOWED_ORIGINS="*" (the stand-ins default) or it includes ${demo.url.replace(/\/$/, "")}.\n`);
    const stop = () => void demo.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    console.error(`partner demo: cannot listen on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
