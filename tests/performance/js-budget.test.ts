import { overBudget, PAGES, pageBudget, pageWeight, readManifest, SHARED_BUDGET } from "../support/js-budget";

/**
 * Each page's JavaScript on a cold load, gzip, within its budget: React and Remix
 * (shared by every page) plus a small allowance per route (docs/decisions/014).
 * Reads the production build, which `npm test` makes before vitest runs.
 */
describe("the JavaScript budget per page", () => {
  const manifest = readManifest();

  it.each(Object.keys(PAGES))("%s fits its budget", (page) => {
    const weight = pageWeight(manifest, page);
    expect(overBudget([weight], manifest), `budget ${pageBudget(page)} B`).toEqual([]);
  });

  it("the part every page shares stays about what React and Remix need", () => {
    const weight = pageWeight(manifest, "/");
    expect(weight.shared).toBeLessThanOrEqual(SHARED_BUDGET);
    // A sanity floor: if this drops far below, the reading of the manifest broke, not React.
    expect(weight.shared).toBeGreaterThan(40 * 1024);
  });

  it("a page over its budget is named, with the modules that make it heavy", () => {
    const weight = pageWeight(manifest, "/payments/new");
    const [message] = overBudget([{ page: weight.page, files: weight.files, gzip: weight.gzip, shared: weight.shared, budget: weight.shared + 1024 }], manifest);
    expect(message).toMatch(/^\/payments\/new: [\d.]+ kB gzip > budget [\d.]+ kB; its own [\d.]+ kB: /);
    // Its own part is the route module and the validation core it imports.
    expect(message).toContain("zod/v4/core/schemas.js");
    expect(message).toContain("app/routes/payments.new.tsx");
  });

  it("a page that grew in the shared part names React's and Remix's modules", () => {
    const [message] = overBudget([pageWeight(manifest, "/")], manifest, 10 * 1024);
    expect(message).toMatch(/; shared [\d.]+ kB > 10\.0 kB: react-dom\/cjs\/react-dom\.production\.min\.js/);
  });
});
