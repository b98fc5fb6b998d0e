/**
 * docker/: no container engine runs here, so this checks what can be checked without one (the
 * README's "Deploying" says how the files were validated by hand with docker-compose, nginx -t and
 * promtool): the compose file parses, its services point at each other by the right names and
 * ports, every setting it gives the gateway is a real one and the gateway's own validation accepts
 * the values, the files it mounts exist, and the shell scripts parse.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
// `yaml` comes with @graphql-codegen/cli and OpenTelemetry's SDK (pinned by package-lock.json).
import { parse } from "yaml";
import { configMarkdownTable, loadConfig } from "../src/config/config";

const DOCKER = path.resolve("docker");
const compose = parse(fs.readFileSync(path.join(DOCKER, "compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[]; deploy?: { replicas?: number }; entrypoint?: string[]; expose?: string[]; command?: string[] }>;
};
const services = compose.services;

/** Compose's interpolation, for the forms the file uses: ${NAME:-default}, ${NAME:?message}, ${NAME}. */
function interpolate(value: string, given: Record<string, string>): string {
  return String(value).replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    if (name in given) return given[name];
    if (kind === "?") throw new Error(`${name} is required: ${rest}`);
    return kind === "-" ? (rest ?? "") : "";
  });
}

/** Settings the gateway reads (the README's table). */
const known = new Set([...configMarkdownTable().matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

const hostOf = (url: string) => new URL(url).hostname;
const gatewayEnv = (service: string) => {
  const env = services[service].environment!;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), { SIGNING_KEYS: `main:${Buffer.alloc(32, 7).toString("base64")}` })]));
};

describe("docker/compose.yml", () => {
  it("runs at least two gateway replicas behind nginx, and a prepare step before them", () => {
    expect(services.gateway.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(Object.keys(services)).toEqual(expect.arrayContaining(["nginx", "postgres", "postgres-replica", "minio", "minio-setup", "prepare", "prometheus"]));
    expect(services.prepare.command).toEqual(["node", "dist/prepare.js"]);
    expect(fs.existsSync("src/prepare.ts")).toBe(true);
    // Only nginx publishes the gateways' HTTP; the gateways publish nothing.
    expect((services.gateway as { ports?: unknown }).ports).toBeUndefined();
  });

  it("gives the gateways and prepare only real settings, which the gateway's own validation accepts", () => {
    for (const service of ["gateway", "prepare"]) {
      const env = gatewayEnv(service);
      const unknown = Object.keys(env).filter((name) => !known.has(name));
      expect(unknown).toEqual([]);
      const config = loadConfig(env);
      expect(config).toMatchObject({ exportStorage: "s3", host: "0.0.0.0" });
      expect(config.signingKeys).toHaveLength(1);
    }
    // Without SIGNING_KEYS the stack refuses to start rather than let each replica make its own key.
    expect(String(services.gateway.environment!.SIGNING_KEYS)).toMatch(/^\$\{SIGNING_KEYS:\?/);
  });

  it("points the gateways at the primary, the streaming replica and MinIO by their service names", () => {
    const env = gatewayEnv("gateway");
    expect(hostOf(env.DATABASE_URL)).toBe("postgres");
    expect(env.DATABASE_REPLICA_URLS.split(",").map(hostOf)).toEqual(["postgres-replica"]);
    expect(services["postgres-replica"].entrypoint).toEqual(["/bin/sh", "/replica-entrypoint.sh"]);
    expect(services["postgres-replica"].environment!.PRIMARY_HOST).toBe("postgres");
    expect(hostOf(env.S3_ENDPOINT)).toBe("minio");
    // Browsers download from MinIO's published port, signed for the address they use.
    expect(new URL(env.S3_PUBLIC_ENDPOINT).port).toBe("9000");
    expect(env.TRUST_PROXY).toBe("1");
  });

  it("has nginx forward to the gateways' port and Prometheus scrape their metrics port", () => {
    const env = gatewayEnv("gateway");
    const nginx = fs.readFileSync(path.join(DOCKER, "nginx.conf"), "utf8");
    expect(nginx).toContain(`http://gateway:${env.PORT};`);
    const prometheus = parse(fs.readFileSync(path.join(DOCKER, "prometheus.yml"), "utf8")) as { scrape_configs: { metrics_path: string; dns_sd_configs: { names: string[]; port: number }[] }[] };
    const [job] = prometheus.scrape_configs;
    expect(job.metrics_path).toBe("/metrics");
    expect(job.dns_sd_configs[0]).toMatchObject({ names: ["gateway"], port: Number(env.METRICS_PORT) });
    expect(services.gateway.expose).toEqual(expect.arrayContaining([env.PORT, env.METRICS_PORT]));
  });

  it("mounts files that exist, and its shell scripts parse", () => {
    const mounted = Object.values(services).flatMap((s) => (s.volumes ?? []).filter((v) => v.startsWith("./")).map((v) => path.join(DOCKER, v.split(":")[0])));
    expect(mounted.length).toBeGreaterThanOrEqual(4);
    for (const file of mounted) expect(fs.existsSync(file)).toBe(true);
    for (const script of mounted.filter((f) => f.endsWith(".sh"))) execFileSync("sh", ["-n", script]);
  });
});
