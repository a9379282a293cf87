import type { MetaDescriptor } from "@remix-run/node";
import { meta as rootMeta } from "../root";
import * as dashboard from "../routes/dashboard";
import * as index from "../routes/_index";
import * as login from "../routes/login";
import * as loginCode from "../routes/login_.code";
import * as paymentsConfirm from "../routes/payments.confirm";
import * as paymentsNew from "../routes/payments.new";
import * as paymentsSent from "../routes/payments.sent";
import * as profile from "../routes/profile";
import * as profilePassword from "../routes/profile_.password";
import * as transactions from "../routes/transactions";
import { pageMeta } from "./page-meta";

type MetaArgs = Parameters<typeof index.meta>[0];

// Only `matches` is read by these meta functions; the rest of Remix's arguments is irrelevant here.
const args = (matches: { id: string; meta: MetaDescriptor[] }[]) => ({ matches }) as unknown as MetaArgs;

/** What Remix hands a page's meta: the root's match (with its meta) and the page's own. */
function metaOf(page: { meta: (args: MetaArgs) => MetaDescriptor[] | undefined }): MetaDescriptor[] {
  const root = rootMeta(args([])) ?? [];
  return page.meta(args([{ id: "root", meta: root }, { id: "page", meta: [] }])) ?? [];
}

describe("every page's meta", () => {
  it.each([
    ["/", index],
    ["/login", login],
    ["/login/code", loginCode],
    ["/dashboard", dashboard],
    ["/transactions", transactions],
    ["/payments/new", paymentsNew],
    ["/payments/sent", paymentsSent],
    ["/payments/confirm", paymentsConfirm],
    ["/profile", profile],
    ["/profile/password", profilePassword],
  ])("%s has one title and one description of its own", (_path, page) => {
    const descriptors = metaOf(page);
    const titles = descriptors.filter((d) => "title" in d);
    const descriptions = descriptors.flatMap((d) => ("name" in d && d.name === "description" && "content" in d ? [d.content] : []));
    expect(titles).toHaveLength(1);
    expect(descriptions).toHaveLength(1);
    expect(String(descriptions[0]).length).toBeGreaterThan(30);
  });

  it("keeps what the parents set besides title and description", () => {
    const merged = pageMeta([{ meta: [{ title: "Parent" }, { name: "description", content: "parent" }, { name: "theme-color", content: "#123" }] }], { title: "Child", description: "child" });
    expect(merged).toEqual([{ name: "theme-color", content: "#123" }, { title: "Child" }, { name: "description", content: "child" }]);
  });

  it("gives each page its own description", () => {
    const descriptions = [index, login, loginCode, dashboard, transactions, paymentsNew, paymentsSent, paymentsConfirm, profile, profilePassword].map(
      (page) => metaOf(page).flatMap((d) => ("name" in d && d.name === "description" && "content" in d ? [d.content] : []))[0],
    );
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });
});
