import { createAdsClient } from "./ads.server";
import { createAuthClient } from "./auth.server";
import type { ServiceName } from "./errors.server";
import { ServiceHttp, type UpstreamCallEvent } from "./http.server";
import { createPasskeysClient } from "./passkeys.server";
import { createPaymentsClient } from "./payments.server";
import { createTransactionsClient } from "./transactions.server";
import { createUsersClient } from "./users.server";

export interface ServicesConfig {
  urls: Record<ServiceName, string>;
  clientId: string;
  clientSecret: string;
  adsApiKey: string;
  connectTimeoutMs: number;
  timeoutMs: number;
  onCall?: (event: UpstreamCallEvent) => void;
}

/** Builds one typed client per microservice from configuration. */
export function createServices(config: ServicesConfig) {
  const http = (service: ServiceName) =>
    new ServiceHttp({
      service,
      baseUrl: config.urls[service],
      connectTimeoutMs: config.connectTimeoutMs,
      timeoutMs: config.timeoutMs,
      onCall: config.onCall,
    });
  const transports = {
    auth: http("auth"),
    users: http("users"),
    payments: http("payments"),
    transactions: http("transactions"),
    ads: http("ads"),
  } satisfies Record<ServiceName, ServiceHttp>;

  return {
    auth: createAuthClient(transports.auth, { clientId: config.clientId, clientSecret: config.clientSecret }),
    /** Auth's passkey endpoints. */
    passkeys: createPasskeysClient(transports.auth),
    users: createUsersClient(transports.users),
    payments: createPaymentsClient(transports.payments),
    transactions: createTransactionsClient(transports.transactions),
    ads: createAdsClient(transports.ads, { apiKey: config.adsApiKey }),
    /** The raw transports, for health checks. */
    transports,
  };
}

export type Services = ReturnType<typeof createServices>;

export { UpstreamError, isUpstreamError, type ServiceName, type UpstreamErrorKind } from "./errors.server";
export { closeUpstreamPools, type CallContext, type CallTrace, type UpstreamCallEvent } from "./http.server";
export { isHealthy } from "./health.server";
export { scaRefusal } from "./payments.server";
