import { checks, ratios, type Run } from "./report";

function run(server: "app" | "baseline" | "floor", target: string, rps: number, p50 = 10, cpuMs = 1): Run {
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

const settings = { latencyMs: 20, slowLatencyMs: 500, durationS: 10, warmupS: 3, rounds: 3, connections: 50, overheadConnections: 1, soakS: 0, cpuProfile: false };

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
    expect(ads).toEqual({ target: "ads", versus: "baseline", rps: 0.75, p50: 2, cpuPerRequest: 0.5, rounds: [0.6, 0.9, 0.75] });
  });

  it("says which rounds the goal's median comes from, and judges the median", () => {
    const runs = [run("app", "ads", 60), run("baseline", "ads", 100), run("baseline", "ads", 100), run("app", "ads", 90), run("app", "ads", 75), run("baseline", "ads", 100)];
    const goal = checks({ runs, settings, soak: null }).find((check) => check.id === "ads-ratio");
    expect(goal).toMatchObject({ value: "0.75× (median of 0.6×, 0.9×, 0.75×)", met: true });
  });

  it("has nothing to say about a target that was not measured, or measured without its baseline", () => {
    const entries = ratios([run("app", "dashboard-document", 200)]);
    expect(entries.find((entry) => entry.target === "dashboard-document")).toMatchObject({ rps: null, rounds: [] });
    expect(checks({ runs: [], settings, soak: null }).find((check) => check.id === "dashboard-document-floor-ratio")).toMatchObject({ value: "not measured", met: null });
  });

  it("pairs the app with the floor and with the baseline from the same three-server rounds", () => {
    // run.ts: app, baseline, floor; then floor, baseline, app; then app, baseline, floor.
    const target = "dashboard-document";
    const runs = [
      run("app", target, 300, 30, 3),
      run("baseline", target, 1000, 25, 0.4),
      run("floor", target, 600, 40, 1.5),
      run("floor", target, 500, 40, 1.5),
      run("baseline", target, 1200, 25, 0.4),
      run("app", target, 400, 30, 3),
      run("app", target, 330, 30, 3),
      run("baseline", target, 1100, 25, 0.4),
      run("floor", target, 550, 40, 1.5),
    ];
    const entries = ratios(runs).filter((entry) => entry.target === target);
    expect(entries).toEqual([
      { target, versus: "baseline", rps: 0.3, p50: 1.2, cpuPerRequest: 0.13, rounds: [0.3, 0.33, 0.3] },
      { target, versus: "floor", rps: 0.6, p50: 0.75, cpuPerRequest: 0.5, rounds: [0.5, 0.8, 0.6] },
    ]);
    const goal = checks({ runs, settings, soak: null }).find((check) => check.id === "dashboard-document-floor-ratio");
    expect(goal).toMatchObject({ goal: "dashboard-document app/floor req/s ≥ 0.7", value: "0.6× (median of 0.5×, 0.8×, 0.6×)", met: false });
  });

  it("judges the sign-in page against the floor alone (the baseline has none)", () => {
    const runs = [
      run("app", "sign-in-page", 950),
      run("floor", "sign-in-page", 1000),
      run("floor", "sign-in-page", 1000),
      run("app", "sign-in-page", 850),
      run("app", "sign-in-page", 920),
      run("floor", "sign-in-page", 1000),
    ];
    const entry = ratios(runs).find((candidate) => candidate.target === "sign-in-page" && candidate.versus === "floor");
    expect(entry).toMatchObject({ rps: 0.92, rounds: [0.95, 0.85, 0.92] });
    expect(checks({ runs, settings, soak: null }).find((check) => check.id === "sign-in-page-floor-ratio")).toMatchObject({ met: true });
    expect(ratios(runs).filter((candidate) => candidate.target === "sign-in-page").map((candidate) => candidate.versus)).toEqual(["floor"]);
  });
});

describe("the overhead goal", () => {
  it("is the app's dashboard p50 minus the upstream latency at one connection, beside the baseline's", () => {
    const overhead = (server: "app" | "baseline", p50: number): Run => ({ ...run(server, "dashboard-document", 40, p50), scenario: "overhead", connections: 1 });
    const goal = checks({ runs: [overhead("app", 22.5), overhead("baseline", 21.8)], settings, soak: null }).find((check) => check.id === "overhead-p50");
    expect(goal).toMatchObject({
      goal: "dashboard p50 − 20 ms upstream latency ≤ 3 ms at 1 connection",
      value: "2.5 ms (p50 22.5 ms); baseline 1.8 ms",
      met: true,
    });
    const slow = checks({ runs: [overhead("app", 26)], settings, soak: null }).find((check) => check.id === "overhead-p50");
    expect(slow).toMatchObject({ met: false });
  });

  it("says what no Remix page making the same calls could go under: the floor's page plus the baseline's calls, less the bare request both count", () => {
    const atOne = (server: "app" | "baseline" | "floor", target: string, p50: number): Run => ({ ...run(server, target, 40, p50), scenario: "overhead", connections: 1 });
    const runs = [atOne("app", "dashboard-document", 26), atOne("baseline", "dashboard-document", 23.5), atOne("floor", "dashboard-document", 2.5), atOne("baseline", "bare-request", 0.5)];
    expect(checks({ runs, settings, soak: null }).find((check) => check.id === "overhead-p50")?.value).toBe(
      "6 ms (p50 26 ms); baseline 3.5 ms; floor's page 2.5 ms + baseline's calls 3.5 ms − bare request 0.5 ms: no Remix page making these calls can go under 5.5 ms here",
    );
  });
});
