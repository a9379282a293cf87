import { http, HttpResponse } from "msw";
import { buildRequest, call } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { loader } from "./profile";

describe("GET /profile", () => {
  it("shows name, e-mail and member since, nothing more", async () => {
    const response = await call(loader, buildRequest("/profile", { cookie: await signInAs("ada") }));
    expect(await response.json()).toEqual({
      status: "ok",
      everywhere: false,
      passkeys: { status: "ok", data: [] },
      data: {
        fullName: "Ada Lovelace",
        email: "ada@example.com",
        memberSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        memberSinceText: expect.stringMatching(/\d{4}$/),
      },
    });
  });

  it("degrades with a message when Users fails", async () => {
    const cookie = await signInAs("ada");
    standins.use(http.get("*/v1/users/me", () => HttpResponse.json({}, { status: 503 })));
    const response = await call(loader, buildRequest("/profile", { cookie }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "unavailable",
      message: "Your profile is unavailable right now.",
      everywhere: false,
      passkeys: { status: "ok", data: [] },
    });
  });

  it("redirects a signed-out visitor to sign in, coming back here", async () => {
    const response = await call(loader, buildRequest("/profile"));
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fprofile");
  });
});
