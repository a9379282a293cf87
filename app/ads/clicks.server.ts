/**
 * Click counting. In memory for one instance; the interface is what a shared
 * store implements for many. Only ids of ads we know are counted, so the map is
 * bounded by the inventory, not by what clients send.
 */
export interface ClickCounter {
  /** Counts one click and returns the ad's total so far. */
  record(adId: string): Promise<number>;
  count(adId: string): Promise<number>;
}

export function createMemoryClickCounter(): ClickCounter {
  const clicks = new Map<string, number>();
  return {
    async record(adId) {
      const total = (clicks.get(adId) ?? 0) + 1;
      clicks.set(adId, total);
      return total;
    },
    async count(adId) {
      return clicks.get(adId) ?? 0;
    },
  };
}

/** Ad ids as Ads issues them; anything else is not worth a lookup. */
export const AD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where a click may go: an absolute http(s) URL without credentials. The Ads
 * client validates this already; checking again here keeps a poisoned cache
 * (a shared store, later) from turning the route into an open redirect.
 */
export function safeDestination(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
    if (parsed.username !== "" || parsed.password !== "") return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}
