import { z } from "zod";
import type { ServiceHttp } from "./http.server";

/** Whether a service answers `GET /health` with 2xx within `timeoutMs`. */
export async function isHealthy(http: ServiceHttp, timeoutMs: number): Promise<boolean> {
  try {
    await http.request({ method: "GET", path: "/health", schema: z.unknown(), timeoutMs });
    return true;
  } catch {
    return false;
  }
}
