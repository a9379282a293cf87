import type { AppLoadContext } from "@remix-run/node";
import type { MoneyView, Section } from "../../types/views";
import { getServices } from "../services.server";
import type { RequestSession } from "../session/customer.server";
import { displayLocale, moneyView } from "../views/format.server";
import { section, SECTION_BUDGET_MS } from "../views/section.server";

/** The customer's available balance as a page section, formatted for their locale. */
export async function balanceSection(
  customer: RequestSession,
  context: AppLoadContext,
  message: string,
): Promise<Section<{ available: MoneyView; currency: string }>> {
  const locale = displayLocale((await customer.profile())?.locale);
  const account = await section(
    "balance",
    () => customer.withToken((token, call) => getServices().payments.currentAccount(token, call), { timeoutMs: SECTION_BUDGET_MS }),
    message,
    context.requestId,
  );
  if (account.status === "unavailable") return account;
  return {
    status: "ok",
    data: { available: moneyView(account.data.available, locale), currency: account.data.available.currency },
  };
}
