import { standinOptionsFromEnv } from "./config";
import { startStandins } from "./serve";
import { DEFAULT_PORTS, SERVICE_NAMES, type ServiceName } from "./types";

/**
 * `npm run standins`: the five stand-ins on their contract ports (4101–4105), for
 * running the app against them by hand or pointing a benchmark at them.
 * Settings come from the environment; see config.ts.
 */

const ENV_NAMES: Record<ServiceName, string> = {
  auth: "AUTH_SERVICE_URL",
  users: "USERS_SERVICE_URL",
  payments: "PAYMENTS_SERVICE_URL",
  transactions: "TRANSACTIONS_SERVICE_URL",
  ads: "ADS_SERVICE_URL",
};

async function main(): Promise<void> {
  let options: ReturnType<typeof standinOptionsFromEnv>;
  try {
    options = standinOptionsFromEnv(process.env);
  } catch (error) {
    console.error(`standins: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  const standins = await startStandins({ ports: DEFAULT_PORTS, host: process.env.STANDIN_HOST || "127.0.0.1", ...options });
  console.log("Stand-in microservices are up:");
  for (const name of SERVICE_NAMES) console.log(`  ${ENV_NAMES[name]}=${standins.urls[name]}`);
  const describe = (values: Partial<Record<ServiceName, number>> | undefined) =>
    Object.entries(values ?? {})
      .map(([name, value]) => `${name}:${value}`)
      .join(",") || "none";
  console.log(`  latency (ms): ${describe(options.latencyMs)}; failure rate: ${describe(options.failureRate)}`);
  console.log(`  access-token TTL: ${options.accessTokenTtlS}s; demo logins: ada@example.com, grace@example.com`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`standins: ${signal}, shutting down`);
    standins.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`standins: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`standins: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
