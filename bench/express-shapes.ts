import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import express from "express";
import { cpuUsPerRequest, runLoad } from "./load";
import { median } from "./stats";

/**
 * Why the server entry has no Express (docs/decisions/021), as a check anyone can
 * re-run: a `node:http` server answers a fixed JSON on `/json` by hand, and a tiny
 * page on `/page` either through Express or by hand. CPU per `/json` request is
 * read from /proc over a fixed number of requests, before and after `/page` has
 * been served. Express swaps the prototypes of Node's request and response objects;
 * if that makes Node's own HTTP code slower for every path, `/json` costs more
 * after the Express pages, and not after the hand-made ones.
 *
 *   node --import tsx bench/express-shapes.ts
 */

const CONNECTIONS = 50;
const AMOUNT = 60_000;
const SLICES = 4;

function serve(pageBy: "express" | "hand") {
  const body = JSON.stringify({ ads: [1, 2, 3].map((id) => ({ id, title: `Ad ${id}`, url: `https://partner.example/${id}` })) });
  const headers = ["Content-Type", "application/json", "Cache-Control", "public, max-age=30", "Content-Length", String(Buffer.byteLength(body))];
  const app = express();
  app.disable("x-powered-by");
  app.get("*", (_req, res) => void res.type("html").send("<p>hello</p>"));
  const server = createServer((req, res) => {
    if (req.url === "/json") return void res.writeHead(200, headers.slice()).end(body);
    if (pageBy === "express") return app(req, res);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end("<p>hello</p>");
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    console.log(typeof address === "object" && address ? address.port : 0);
  });
}

const load = (url: string, durationS: number) => runLoad({ url, connections: CONNECTIONS, duration: durationS });

async function cpuPerJson(pid: number, base: string): Promise<number[]> {
  const slices: number[] = [];
  for (let slice = 0; slice < SLICES; slice++) slices.push(await cpuUsPerRequest(pid, { url: `${base}/json`, connections: CONNECTIONS, amount: AMOUNT }));
  return slices;
}

async function measure(pageBy: "express" | "hand") {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, `--serve=${pageBy}`], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [chunk] = (await once(child.stdout, "data")) as [Buffer];
    const base = `http://127.0.0.1:${String(chunk).trim()}`;
    await load(`${base}/json`, 3);
    const fresh = await cpuPerJson(child.pid ?? 0, base);
    await load(`${base}/page`, 10);
    await load(`${base}/json`, 3);
    const after = await cpuPerJson(child.pid ?? 0, base);
    const list = (values: number[]) => values.map((value) => value.toFixed(1)).join(" ");
    const change = (median(after) / median(fresh) - 1) * 100;
    console.log(
      `pages by ${pageBy.padEnd(7)} CPU µs per /json: fresh ${list(fresh)}; after pages ${list(after)}; ` +
        `medians ${median(fresh).toFixed(1)} → ${median(after).toFixed(1)} (${change >= 0 ? "+" : ""}${change.toFixed(1)} %)`,
    );
  } finally {
    child.kill();
  }
}

const serveArg = process.argv.find((arg) => arg.startsWith("--serve="));
if (serveArg) {
  serve(serveArg === "--serve=express" ? "express" : "hand");
} else {
  // Twice each, alternating: this machine's noise moves single runs by 10 % and more.
  for (const pageBy of ["express", "hand", "express", "hand"] as const) await measure(pageBy);
}
