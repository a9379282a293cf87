import { deliverBackchannelToApp } from "../../tests/support/backchannel";
import { buildRequest, call } from "../../tests/support/remix";
import { DEMO, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { loader as dashboard } from "./dashboard";
import { action, loader } from "./profile_.password";

let stopDelivery: () => Promise<void>;
beforeEach(async () => {
  stopDelivery = await deliverBackchannelToApp();
});
afterEach(() => stopDelivery());

const NEW_PASSWORD = "Difference-Engine-1822";
const change = (cookie: string, form: Record<string, string>) => call(action, buildRequest("/profile/password", { cookie, form }));
const page = async (cookie: string) => call(dashboard, buildRequest("/dashboard", { cookie }));

describe("/profile/password", () => {
  it("changes the password; every other sign-in of this customer ends (back-channel logout from Auth), this one stays", async () => {
    const others = [await signInAs("ada"), await signInAs("ada")];
    const grace = await signInAs("grace");
    const mine = await signInAs("ada");
    const response = await change(mine, { currentPassword: DEMO.ada.password, newPassword: NEW_PASSWORD });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "changed" });
    for (const cookie of others) {
      const after = await page(cookie);
      expect(after.status).toBe(302);
      expect(after.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard&reason=ended");
    }
    expect((await page(mine)).status).toBe(200);
    expect((await page(grace)).status).toBe(200);
    const deliveries = (await (await fetch(`${standins.urls.auth}/dev/backchannel`)).json()) as { deliveries: { status: number }[] };
    expect(deliveries.deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
  });

  it("puts a wrong current password next to its field (400) and changes nothing", async () => {
    const other = await signInAs("ada");
    const mine = await signInAs("ada");
    const response = await change(mine, { currentPassword: "not-my-password", newPassword: NEW_PASSWORD });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ status: "refused", fieldErrors: { currentPassword: "That is not your current password." } });
    expect((await page(other)).status).toBe(200);
  });

  it("asks for a new password of at least 12 characters (400), before asking Auth", async () => {
    const mine = await signInAs("ada");
    const response = await change(mine, { currentPassword: DEMO.ada.password, newPassword: "too-short" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ status: "invalid", fieldErrors: { newPassword: "Use at least 12 characters for your new password." } });
    expect(standins.requests.filter((request) => request.path === "/v1/password")).toHaveLength(0);
  });

  it("limits wrong current passwords per customer (429)", async () => {
    const mine = await signInAs("ada");
    const statuses = [];
    for (let attempt = 0; attempt < 11; attempt++) statuses.push((await change(mine, { currentPassword: "wrong", newPassword: NEW_PASSWORD })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });

  it("says so (503) when Auth is down, and changes nothing", async () => {
    const mine = await signInAs("ada");
    standins.configure({ failureRate: { auth: 1 } });
    const response = await change(mine, { currentPassword: DEMO.ada.password, newPassword: NEW_PASSWORD });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", message: "We can't change your password right now. Please try again in a minute." });
  });

  it("needs a session", async () => {
    const response = await call(loader, buildRequest("/profile/password"));
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fprofile%2Fpassword");
  });
});
