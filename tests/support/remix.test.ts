import { data } from "@remix-run/node";
import { buildRequest, call } from "./remix";

/** call() gives tests a Response whatever a loader hands Remix under single fetch (docs/decisions/012). */
describe("call()", () => {
  it("turns data(value, init) into a Response with its status and headers", async () => {
    const response = await call(() => data({ ok: true }, { status: 201, headers: { "X-Kind": "created" } }), buildRequest("/x"));
    expect([response.status, response.headers.get("x-kind"), await response.json()]).toEqual([201, "created", { ok: true }]);
  });

  it("a thrown data() too, as Remix would answer it", async () => {
    const response = await call(() => {
      throw data({ message: "No such page." }, 404);
    }, buildRequest("/x"));
    expect([response.status, await response.json()]).toEqual([404, { message: "No such page." }]);
  });

  it("plain objects as JSON, Responses as they are, other throws as throws", async () => {
    expect(await (await call(() => ({ a: 1 }), buildRequest("/x"))).json()).toEqual({ a: 1 });
    expect((await call(() => new Response(null, { status: 204 }), buildRequest("/x"))).status).toBe(204);
    await expect(
      call(() => {
        throw new Error("boom");
      }, buildRequest("/x")),
    ).rejects.toThrow("boom");
  });
});
