import { getResponse } from "msw";
import { adsHandlers } from "./ads";
import { authHandlers } from "./auth";
import { paymentsHandlers } from "./payments";
import { createStandinState, type StandinState } from "./state";
import { ADA, TEST_ADS_KEY, TEST_CLIENT, basicAuth } from "./test-support";
import { transactionsHandlers } from "./transactions";
import { usersHandlers } from "./users";

/**
 * The exported msw handlers are the services in-process (e.g. for msw's
 * setupServer): the same behaviour as over HTTP, on any origin.
 */

let state: StandinState;

beforeAll(async () => {
  state = await createStandinState({ ...TEST_CLIENT, adsApiKey: TEST_ADS_KEY });
});
afterEach(() => state.reset());

describe("msw handlers in-process", () => {
  it("every service's handlers answer /health on any origin", async () => {
    for (const handlers of [authHandlers, usersHandlers, paymentsHandlers, transactionsHandlers, adsHandlers]) {
      const response = await getResponse(handlers(state), new Request("https://anywhere.example/health"));
      expect(response?.status).toBe(200);
      expect(await response?.json()).toEqual({ status: "ok" });
    }
  });

  it("log in and read the profile, the transactions and the ads through msw", async () => {
    const token = await getResponse(
      authHandlers(state),
      new Request("http://auth.internal/oauth/token", {
        method: "POST",
        headers: { authorization: basicAuth(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: ADA.email, password: ADA.password }),
      }),
    );
    expect(token?.status).toBe(200);
    const { access_token } = (await token?.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${access_token}` };

    const me = await getResponse(usersHandlers(state), new Request("http://users.internal/v1/users/me", { headers }));
    expect(((await me?.json()) as { first_name: string }).first_name).toBe("Ada");

    const list = await getResponse(
      transactionsHandlers(state),
      new Request("http://transactions.internal/transactions?limit=3", { headers }),
    );
    expect(((await list?.json()) as { data: { items: unknown[] } }).data.items).toHaveLength(3);

    const ads = await getResponse(
      adsHandlers(state),
      new Request("http://ads.internal/ads?placement=banner", { headers: { "x-api-key": TEST_ADS_KEY } }),
    );
    expect(ads?.status).toBe(200);
  });

  it("leave unknown routes unhandled", async () => {
    expect(await getResponse(usersHandlers(state), new Request("http://users.internal/v1/nothing"))).toBeUndefined();
  });
});
