import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { phaseOf, phaseSplit } from "./profile-phases";
import { readProfile, type CallFrame, type CpuProfile, type LoadedProfile } from "./profile-summary";

const frame = (functionName: string, url = ""): CallFrame => ({ functionName, url, lineNumber: 1, columnNumber: 1 });
const NM = "file:///repo/node_modules";

/** A profile from stacks (root first) and how long each one ran, in ms, written and read back. */
function profileOf(stacks: { frames: CallFrame[]; ms: number }[]): LoadedProfile {
  const nodes: CpuProfile["nodes"] = [{ id: 1, callFrame: frame("(root)"), children: [] }];
  const samples: number[] = [];
  const timeDeltas: number[] = [0];
  for (const { frames, ms } of stacks) {
    let parent = nodes[0];
    for (const callFrame of frames) {
      const id = nodes.length + 1;
      const node = { id, callFrame, children: [] as number[] };
      parent?.children?.push(id);
      nodes.push(node);
      parent = node;
    }
    samples.push(parent?.id ?? 1);
    timeDeltas.push(ms * 1000);
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "phases-")), "test.cpuprofile");
  writeFileSync(file, JSON.stringify({ nodes, startTime: 0, endTime: 1, samples, timeDeltas } satisfies CpuProfile));
  return readProfile(file);
}

describe("CPU by request phase", () => {
  it("knows frames by where they come from, and leaves Node's own to their callers", () => {
    expect(phaseOf(frame("parse", `${NM}/zod/v4/core/schemas.js`))).toBe("upstream parse + zod");
    expect(phaseOf(frame("request", `${NM}/undici/lib/api/api-request.js`))).toBe("upstream calls (undici)");
    expect(phaseOf(frame("unsign", `${NM}/@remix-run/server-runtime/dist/cookies.js`))).toBe("session open/seal");
    expect(phaseOf(frame("open", "file:///repo/build/index.js"))).toBe("session open/seal");
    expect(phaseOf(frame("loader", "file:///repo/build/index.js"))).toBe("loader work");
    expect(phaseOf(frame("loader", "file:///repo/bench/floor/build/index.js"))).toBe("loader work");
    expect(phaseOf(frame("matchRoutes", `${NM}/@remix-run/router/dist/router.cjs.js`))).toBe("Remix (server runtime, router)");
    expect(phaseOf(frame("send", "file:///repo/server/remix-handler.ts"))).toBe("server entry, Express, node:http");
    expect(phaseOf(frame("writev", ""))).toBeUndefined();
    expect(phaseOf(frame("Socket._writeGeneric", "node:net"))).toBeUndefined();
  });

  it("gives a sample to its innermost phase, React its whole subtree, and counts start-up apart", () => {
    const express = frame("handle", `${NM}/express/lib/router/layer.js`);
    const remix = frame("handleDocumentRequest", `${NM}/@remix-run/server-runtime/dist/server.js`);
    const file = profileOf([
      // Express → Remix → the loader → undici → a native write: the upstream call's.
      { frames: [express, remix, frame("loader", "file:///repo/build/index.js"), frame("request", `${NM}/undici/lib/api/api-request.js`), frame("writev")], ms: 30 },
      // React rendering one of the app's components: React's.
      { frames: [express, remix, frame("renderToPipeableStream", `${NM}/react-dom/cjs/server.js`), frame("Dashboard", "file:///repo/build/index.js")], ms: 50 },
      // Remix alone.
      { frames: [express, remix], ms: 20 },
      // Module loading, whatever it runs: start-up, outside the shares.
      { frames: [frame("import", "node:internal/modules/esm/loader"), frame("loader", "file:///repo/build/index.js")], ms: 100 },
      { frames: [frame("(idle)")], ms: 500 },
    ]);
    const split = phaseSplit(file);
    const share = (phase: string) => split.phases.find((entry) => entry.phase === phase)?.pct;
    expect(split.busyMs).toBe(100);
    expect(share("upstream calls (undici)")).toBe(30);
    expect(share("React render")).toBe(50);
    expect(share("Remix (server runtime, router)")).toBe(20);
    expect(share("loader work")).toBe(0);
    expect(split.phases.find((entry) => entry.phase === "start-up (module loading)")?.ms).toBe(100);
  });

  it("splits only the samples inside the windows it is given", () => {
    const remix = frame("handleDocumentRequest", `${NM}/@remix-run/server-runtime/dist/server.js`);
    const react = frame("renderToPipeableStream", `${NM}/react-dom/cjs/server.js`);
    // Samples at 0, 10, 20 and 30 ms, 10 ms each.
    const file = profileOf([
      { frames: [remix], ms: 10 },
      { frames: [remix, react], ms: 10 },
      { frames: [remix, react], ms: 10 },
      { frames: [remix], ms: 10 },
    ]);
    const share = (split: ReturnType<typeof phaseSplit>, phase: string) => split.phases.find((entry) => entry.phase === phase)?.pct;
    expect(share(phaseSplit(file), "React render")).toBe(50);
    const middle = phaseSplit(file, [{ fromUs: 5_000, toUs: 25_000 }]);
    expect(middle.busyMs).toBe(20);
    expect(share(middle, "React render")).toBe(100);
    const ends = phaseSplit(file, [{ fromUs: 0, toUs: 2_000 }, { fromUs: 28_000, toUs: 40_000 }]);
    expect(share(ends, "Remix (server runtime, router)")).toBe(100);
  });
});
