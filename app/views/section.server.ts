import type { Section } from "../../types/views";
import { logger } from "../logger.server";

/** How long one section of a page may wait for its service before it degrades. */
export const SECTION_BUDGET_MS = 1_500;

/**
 * Runs one section's upstream work. A failure (down, slow, broken answer) becomes
 * an "unavailable" section with a message for the customer; the page still
 * renders. Thrown responses (a redirect to sign in) still end the whole request.
 */
export async function section<T>(
  name: string,
  work: () => Promise<T>,
  message: string,
  requestId?: string,
): Promise<Section<T>> {
  try {
    return { status: "ok", data: await work() };
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn({ requestId, section: name, err: error instanceof Error ? error.message : String(error) }, "section degraded");
    return { status: "unavailable", message };
  }
}
