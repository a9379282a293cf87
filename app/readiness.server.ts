import { isHealthy, type ServiceName } from "../services/index.server";
import { getServices } from "./services.server";

const CHECK_TIMEOUT_MS = 1_000;

let draining = false;

/** Set by the server entry on SIGTERM: stop looking ready so the balancer drains us. */
export function markDraining() {
  draining = true;
}

export interface Readiness {
  ready: boolean;
  draining: boolean;
  services: Record<ServiceName, "ok" | "unavailable">;
}

/** Asks every upstream's `/health`, in parallel, with a short timeout each. */
export async function checkReadiness(): Promise<Readiness> {
  const { transports } = getServices();
  const entries = await Promise.all(
    Object.entries(transports).map(
      async ([name, http]) => [name, (await isHealthy(http, CHECK_TIMEOUT_MS)) ? "ok" : "unavailable"] as const,
    ),
  );
  const services = Object.fromEntries(entries) as Readiness["services"];
  const ready = !draining && entries.every(([, state]) => state === "ok");
  return { ready, draining, services };
}
