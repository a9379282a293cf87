/**
 * The stand-in microservices' public API: start them over HTTP (app server entry,
 * tests, benchmarks), or take one service's msw handlers for in-process use.
 */
export { startStandins, type RecordedRequest, type Standins } from "./serve";
export { STANDIN_DEFAULTS } from "./defaults";
export { DEMO_CUSTOMERS, DEMO_EPOCH_MS } from "./data";
export { DEFAULT_PORTS, SERVICE_NAMES, type Injection, type PerService, type ServiceName, type StandinOptions } from "./types";
export { parseAccessTokenTtl, parseFailureRate, parseLatency, parseSca, standinOptionsFromEnv } from "./config";
export { createStandinState, type StandinState } from "./state";
export { authHandlers, authRoutes } from "./auth";
export { usersHandlers, usersRoutes } from "./users";
export { paymentsHandlers, paymentsRoutes } from "./payments";
export { transactionsHandlers, transactionsRoutes } from "./transactions";
export { adsHandlers, adsRoutes } from "./ads";
export { toHandlers, type Route } from "./routes";
export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "./jwt";
