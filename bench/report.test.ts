import { checks, ratios, type Run } from "./report";

function run(server: "app" | "baseline", target: string, rps: number, p50 = 10, cpuMs = 1): Run {
  return {
    scenario: "main",
    upstreamLatency: "20",
    target,
    label: target,
    server,
    connections: 50,
    durationS: 10,
    requests: rps * 10,
    rps,
    latencyMs: { p50, p90: p50, p99: p50, mean: p50, max: p50 },
    errors: 0,
    timeouts: 0,
    unexpected: 0,
    statusCodes: { "200": rps * 10 },
    bytesPerResponse: 1000,
    cpu: { msPerRequest: cpuMs, corePct: 100 },
    rssMb: null,
  };
}

const settings = { latencyMs: 20, slowLatencyMs: 500, durationS: 10, warmupS: 3, rounds: 3, connections: 50, overheadConnections: 10, soakS: 0, cpuProfile: false };

describe("ratios of the paired main runs", () => {
  it("pairs each round's app and baseline runs and reports the median ratio", () => {
    // Rounds alternate the order (app first, then baseline first); pairing is by round, not by neighbour.
    const runs = [
      run("app", "ads", 60, 10, 0.1),
      run("baseline", "ads", 100, 5, 0.05),
      run("baseline", "ads", 100, 5, 0.05),
      run("app", "ads", 90, 10, 0.1),
      run("app", "ads", 75, 10, 0.1),
      run("baseline", "ads", 100, 5, 0.05),
    ];
    const ads = ratios(runs).find((entry) => entry.target === "ads");
    expect(ads).toEqual({ target: "ads", rps: 0.75, p50: 2, cpuPerRequest: 0.5, rounds: [0.6, 0.9, 0.75] });
  });

  it("says which rounds the goal's median comes from, and judges the median", () => {
    const runs = [run("app", "ads", 60), run("baseline", "ads", 100), run("baseline", "ads", 100), run("app", "ads", 90), run("app", "ads", 75), run("baseline", "ads", 100)];
    const goal = checks({ runs, settings, soak: null }).find((check) => check.id === "ads-ratio");
    expect(goal).toMatchObject({ value: "0.75× (median of 0.6×, 0.9×, 0.75×)", met: true });
  });

  it("has nothing to say about a target that was not measured, or measured without its baseline", () => {
    const entries = ratios([run("app", "dashboard-document", 200)]);
    expect(entries.find((entry) => entry.target === "dashboard-document")).toMatchObject({ rps: null, rounds: [] });
    expect(checks({ runs: [], settings, soak: null }).find((check) => check.id === "dashboard-document-ratio")).toMatchObject({ value: "not measured", met: null });
  });
});
