import { SERVICE_NAMES, STANDIN_DEFAULTS, parseLatency, startStandins, type PerService } from "../upstream";
import type { FromStandins, ToStandins } from "./standins";

/**
 * Child-process entry: the stand-in microservices for a benchmark. They run in a
 * process of their own so that their CPU is not taken from the load generator
 * (and vice versa); the parent changes injected latency over IPC between runs.
 */

// Long-lived tokens: autocannon replays one cookie and never stores a refreshed
// one, so a token expiring mid-run would turn every request into a refresh.
const ACCESS_TOKEN_TTL_S = 6 * 3600;

function send(message: FromStandins): void {
  process.send?.(message);
}

function ports(setting: string | undefined): PerService {
  if (!setting || setting === "auto") return {};
  const base = Number(setting);
  return Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, base + index]));
}

const standins = await startStandins({
  clientId: STANDIN_DEFAULTS.clientId,
  clientSecret: STANDIN_DEFAULTS.clientSecret,
  adsApiKey: STANDIN_DEFAULTS.adsApiKey,
  accessTokenTtlS: ACCESS_TOKEN_TTL_S,
  latencyMs: parseLatency(process.env.STANDIN_LATENCY_MS),
  ports: ports(process.env.BENCH_STANDIN_PORTS),
  // Load tests measure the BFF, not the customer confirming payments (STANDIN_SCA=off).
  sca: false,
});

process.on("message", (message: ToStandins) => {
  if (message.type === "configure") {
    standins.configure({ latencyMs: message.latencyMs });
    send({ type: "configured" });
  }
});

// The parent going away (even by SIGKILL) closes the IPC channel: never outlive it.
process.on("disconnect", () => void standins.close().finally(() => process.exit(0)));
process.once("SIGTERM", () => void standins.close().finally(() => process.exit(0)));

send({ type: "ready", urls: standins.urls });
