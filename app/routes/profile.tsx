import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { PasskeyActionResult, PasskeyView, ProfileView, Section } from "../../types/views";
import { PasskeyList } from "~/components/passkey-list";
import { SectionUnavailable } from "~/components/section-unavailable";
import { passkeySection, removePasskey } from "~/passkeys/profile.server";
import { getServices } from "~/services.server";
import { readForm } from "~/forms.server";
import { requireCustomer } from "~/session/customer.server";
import { canSignOutEverywhere, signOutEverywhere } from "~/sign-out.server";
import { dateText, profileHints } from "~/views/format.server";
import { section, SECTION_BUDGET_MS } from "~/views/section.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const [profile, passkeys] = await Promise.all([
    section(
      "profile",
      () => customer.withToken((token, call) => getServices().users.me(token, call), { timeoutMs: SECTION_BUDGET_MS }),
      "Your profile is unavailable right now.",
      context.requestId,
    ),
    passkeySection(customer, context.requestId),
  ]);
  const everywhere = canSignOutEverywhere();
  if (profile.status === "unavailable") return Response.json({ everywhere, passkeys, ...profile } satisfies ProfileData);
  const hints = profileHints(profile.data);
  await customer.update((session) => void (session.profile = hints));
  const view: ProfileView = {
    fullName: hints.fullName,
    email: profile.data.email,
    memberSince: profile.data.createdAt,
    memberSinceText: dateText(profile.data.createdAt, hints.locale),
  };
  return Response.json({ status: "ok", data: view, everywhere, passkeys } satisfies ProfileData);
}

type ProfileData = Section<ProfileView> & { everywhere: boolean; passkeys: Section<PasskeyView[]> };

export async function action({ request, context }: ActionFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const { form } = await readForm(request);
  if (form.get("intent") === "remove-passkey") return removePasskey(customer, form);
  if (form.get("intent") !== "sign-out-everywhere" || !canSignOutEverywhere()) {
    return new Response("Unknown request.", { status: 400 });
  }
  return signOutEverywhere(request, context);
}

export const meta: MetaFunction = () => [{ title: "Profile · Northwind Bank" }];

export default function Profile() {
  const profile = useLoaderData<ProfileData>();
  const result = useActionData<PasskeyActionResult>();
  return (
    <section className="card narrow" aria-labelledby="profile-title">
      <h1 id="profile-title">Profile</h1>
      {profile.status === "ok" ? (
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{profile.data.fullName}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{profile.data.email}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>
              <time dateTime={profile.data.memberSince}>{profile.data.memberSinceText}</time>
            </dd>
          </div>
        </dl>
      ) : (
        <SectionUnavailable message={profile.message} retry="/profile" />
      )}
      <PasskeyList passkeys={profile.passkeys} result={result} />
      {profile.everywhere ? (
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="sign-out-everywhere" className="button">
            Sign out everywhere
          </button>
          <p className="muted">Ends your sessions in every browser and on every device, this one included.</p>
        </Form>
      ) : null}
    </section>
  );
}
