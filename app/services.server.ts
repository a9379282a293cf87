import { createServices, type Services } from "../services/index.server";
import { getEnv } from "./env.server";
import { upstreamCallDuration } from "./observability/metrics.server";

let services: Services | undefined;

/** The microservice clients of this process, configured from the environment on first use. */
export function getServices(): Services {
  if (!services) {
    const env = getEnv();
    services = createServices({
      urls: {
        auth: env.AUTH_SERVICE_URL,
        users: env.USERS_SERVICE_URL,
        payments: env.PAYMENTS_SERVICE_URL,
        transactions: env.TRANSACTIONS_SERVICE_URL,
        ads: env.ADS_SERVICE_URL,
      },
      clientId: env.AUTH_CLIENT_ID,
      clientSecret: env.AUTH_CLIENT_SECRET,
      adsApiKey: env.ADS_API_KEY,
      connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
      timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      onCall(event) {
        upstreamCallDuration.observe({ service: event.service, outcome: event.outcome }, event.durationMs / 1000);
      },
    });
  }
  return services;
}

/** For tests that point the clients somewhere else between cases. */
export function resetServices() {
  services = undefined;
}

export { isUpstreamError, scaRefusal, UpstreamError } from "../services/index.server";
