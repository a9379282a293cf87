/**
 * View models: exactly what a screen renders, nothing an upstream sent beyond it.
 * Loaders return these; components import them. A contract change shows up here
 * as compile errors.
 */

export interface HealthView {
  status: "ok" | "unavailable";
  services: Record<string, "ok" | "unavailable">;
}
