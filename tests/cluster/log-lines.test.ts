import { PassThrough } from "node:stream";
import { forwardLogLines } from "../../scripts/cluster";

describe("the cluster's instance logs", () => {
  it("pass on each JSON log line named by instance, and drop the start-up banner", async () => {
    const from = new PassThrough();
    const to = new PassThrough();
    let written = "";
    to.on("data", (chunk: Buffer) => (written += String(chunk)));
    forwardLogLines(from, "app-2", to);

    from.write("\n  Northwind Bank is running at http://localhost:3202\n\n");
    from.write('{"level":50,"msg":"unhandled server error"}\n{"level":40,');
    from.end('"msg":"draining"}\n');
    await new Promise((resolve) => from.on("close", resolve).on("end", resolve));
    await new Promise((resolve) => setImmediate(resolve));

    expect(written).toBe('[app-2] {"level":50,"msg":"unhandled server error"}\n[app-2] {"level":40,"msg":"draining"}\n');
  });
});
