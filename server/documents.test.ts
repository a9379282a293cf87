import { serverForFile } from "./test-server";

/** What every document carries for the browser, through the real server. */
const server = serverForFile();

describe("the route manifest (docs/decisions/009)", () => {
  it("is imported from one cached file, not inlined into each document", async () => {
    const html = await (await fetch(`${server.url()}/login`)).text();
    expect(html).not.toContain("window.__remixManifest =");
    const href = /import "(\/build\/manifest-[\w-]+\.js)"/.exec(html)?.[1];
    expect(href).toBeTruthy();

    const manifest = await fetch(server.url() + href);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("cache-control")).toContain("immutable");
    const body = await manifest.text();
    // Every route is known from the first page: client navigations never ask /__manifest.
    for (const id of ["routes/dashboard", "routes/payments.new", "routes/transactions", "routes/login_.code"]) expect(body).toContain(`"${id}"`);
  });
});
