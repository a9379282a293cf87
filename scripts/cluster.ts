/**
 * `npm run cluster`: Redis, the stand-in microservices, N app instances and nginx
 * round-robin in front of them, over HTTP and over HTTPS with a self-signed
 * certificate (so TRUST_PROXY, X-Forwarded-Proto and Secure cookies are real).
 * Everything comes from Debian's packages (redis-server, nginx, openssl) and stops
 * together on Ctrl-C. The cluster tests use `startCluster` from here.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_ARGS } from "../server/node-flags";
import { serviceUrlSettings } from "../server/embedded";
import { STANDIN_DEFAULTS, startStandins, type Standins } from "../upstream";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ClusterOptions {
  instances?: number;
  httpPort?: number;
  httpsPort?: number;
  /** First app instance port; the others follow. */
  appBasePort?: number;
  redisPort?: number;
  sessionStore?: "cookie" | "redis";
  accessTokenTtlS?: number;
  /** Extra settings for every instance. */
  env?: Record<string, string>;
}

export interface Cluster {
  httpUrl: string;
  httpsUrl: string;
  instancePorts: number[];
  standins: Standins;
  redis: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

async function waitForPort(port: number, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process for port ${port} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on port ${port} in time`);
}

/**
 * An instance's log lines (JSON, warnings and errors at the default LOG_LEVEL) go
 * on to `to`, named by instance, so a failing cluster test shows what the
 * instances said; the start-up banner each of them prints is dropped.
 */
export function forwardLogLines(from: Readable, name: string, to: Writable): void {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
    if (line.startsWith("{")) to.write(`[${name}] ${line}\n`);
  });
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM") {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
  await exited;
  clearTimeout(timer);
}

function nginxConfig(dir: string, options: { httpPort: number; httpsPort: number; upstreams: number[] }): string {
  const proxy = `
      location / {
        proxy_pass http://app;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
      }`;
  return `
worker_processes 1;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app {
    ${options.upstreams.map((port) => `server 127.0.0.1:${port};`).join("\n    ")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${options.httpPort};
    ${proxy}
  }
  server {
    listen 127.0.0.1:${options.httpsPort} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ${proxy}
  }
}
`;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const instances = options.instances ?? 3;
  const httpPort = options.httpPort ?? 8080;
  const httpsPort = options.httpsPort ?? 8443;
  const appBasePort = options.appBasePort ?? 3201;
  const redisPort = options.redisPort ?? 6390;
  const dir = mkdtempSync(path.join(tmpdir(), "northwind-cluster-"));
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, sub));
  const children: ChildProcess[] = [];
  let redisChild: ChildProcess | undefined;
  let standins: Standins | undefined;

  const cleanup = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await stopChild(redisChild, "SIGKILL");
    await standins?.close();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const startRedis = async () => {
      if (redisChild && redisChild.exitCode === null && redisChild.signalCode === null) return;
      redisChild = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      await waitForPort(redisPort, redisChild);
    };
    await startRedis();

    standins = await startStandins({
      clientId: STANDIN_DEFAULTS.clientId,
      clientSecret: STANDIN_DEFAULTS.clientSecret,
      adsApiKey: STANDIN_DEFAULTS.adsApiKey,
      accessTokenTtlS: options.accessTokenTtlS,
    });

    const certificate = spawnSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")],
      { stdio: "ignore" },
    );
    if (certificate.status !== 0) throw new Error("openssl could not make a self-signed certificate");

    const sessionSecret = randomBytes(32).toString("hex");
    const instancePorts = Array.from({ length: instances }, (_, index) => appBasePort + index);
    for (const [index, port] of instancePorts.entries()) {
      const child = spawn(process.execPath, [...SERVER_ARGS], {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: "production",
          // Not this process's LOG_LEVEL: the tests' own is "silent", and a failing
          // cluster test should show what the instances warned of.
          LOG_LEVEL: "warn",
          PORT: String(port),
          INSTANCE_NAME: `app-${index + 1}`,
          SESSION_SECRET: sessionSecret,
          SESSION_STORE: options.sessionStore ?? "redis",
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          TRUST_PROXY: "1",
          ADS_ALLOWED_ORIGINS: "*",
          ...serviceUrlSettings(standins.urls),
          AUTH_CLIENT_ID: STANDIN_DEFAULTS.clientId,
          AUTH_CLIENT_SECRET: STANDIN_DEFAULTS.clientSecret,
          ADS_API_KEY: STANDIN_DEFAULTS.adsApiKey,
          ...options.env,
        },
      });
      if (child.stdout) forwardLogLines(child.stdout, `app-${index + 1}`, process.stderr);
      children.push(child);
    }
    await Promise.all(instancePorts.map((port, index) => waitForPort(port, children[index])));

    writeFileSync(path.join(dir, "nginx.conf"), nginxConfig(dir, { httpPort, httpsPort, upstreams: instancePorts }));
    const nginx = spawn("nginx", ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-g", "daemon off;"], { stdio: "inherit" });
    children.push(nginx);
    await waitForPort(httpPort, nginx);
    await waitForPort(httpsPort, nginx);

    return {
      httpUrl: `http://localhost:${httpPort}`,
      httpsUrl: `https://localhost:${httpsPort}`,
      instancePorts,
      standins,
      redis: { stop: () => stopChild(redisChild, "SIGKILL"), start: startRedis },
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// Run as a script: start, print, stop on Ctrl-C.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const instances = Number(process.env.CLUSTER_INSTANCES ?? 3);
  const cluster = await startCluster({
    instances,
    sessionStore: process.env.SESSION_STORE === "cookie" ? "cookie" : "redis",
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  });
  console.log(`\n  Northwind Bank cluster: ${instances} instances behind nginx, shared state in Redis`);
  console.log(`    ${cluster.httpUrl}  (HTTP)`);
  console.log(`    ${cluster.httpsUrl}  (HTTPS, self-signed certificate)`);
  console.log(`    instances on ports ${cluster.instancePorts.join(", ")}; Ctrl-C stops everything\n`);
  const stop = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
