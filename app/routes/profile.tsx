import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { PasskeyActionResult, PasskeyView, ProfileView, Section, SignInListView, SignInView } from "../../types/views";
import { ErrorAlert } from "~/components/error-alert";
import { PasskeyList } from "~/components/passkey-list";
import { SectionUnavailable } from "~/components/section-unavailable";
import { SubmitButton } from "~/components/submit-button";
import { passkeySection, removePasskey } from "~/passkeys/profile.server";
import { readForm } from "~/forms.server";
import { logger } from "~/logger.server";
import { getServices } from "~/services.server";
import { requireCustomer } from "~/session/customer.server";
import { getSessionRuntime } from "~/session/runtime.server";
import { signInHandle } from "~/session/sign-ins.server";
import type { CustomerSession } from "~/session/store.server";
import { endOtherSignIns } from "~/sign-out.server";
import { dateText, dateTimeText, profileHints } from "~/views/format.server";
import { section, SECTION_BUDGET_MS } from "~/views/section.server";
import { pageMeta } from "~/meta/page-meta";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const [profile, signIns, passkeys] = await Promise.all([
    section(
      "profile",
      () => customer.withToken((token, call) => getServices().users.me(token, call), { timeoutMs: SECTION_BUDGET_MS }),
      "Your profile is unavailable right now.",
      context.requestId,
    ),
    customer.get().then((session) => signInsSection(session, context.requestId)),
    passkeySection(customer, context.requestId),
  ]);
  if (profile.status === "unavailable") return { signIns, passkeys, ...profile } satisfies ProfileData;
  const hints = profileHints(profile.data);
  await customer.update((session) => void (session.profile = hints));
  const view: ProfileView = {
    fullName: hints.fullName,
    email: profile.data.email,
    memberSince: profile.data.createdAt,
    memberSinceText: dateText(profile.data.createdAt, hints.locale),
  };
  return { status: "ok", data: view, signIns, passkeys } satisfies ProfileData;
}

/**
 * How many other sign-ins the list shows. A customer (or a script with their
 * password) can sign in thousands of times within the idle timeout; the page stays
 * small and says how many more there are.
 */
const LISTED_OTHERS = 10;

/** "Where you're signed in": this sign-in first, then the others most recently active first. */
async function signInsSection(session: CustomerSession | null, requestId: string): Promise<Section<SignInListView>> {
  const locale = session?.profile?.locale ?? "en-GB";
  try {
    const records = session?.userId ? await getSessionRuntime().signIns.list(session.userId) : [];
    const current = records.filter((record) => record.sessionId === session?.id);
    const others = records.filter((record) => record.sessionId !== session?.id).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    const listed = [...current, ...others.slice(0, LISTED_OTHERS)];
    const items = listed.map((record): SignInView => {
      const signedInAt = new Date(record.createdAt).toISOString();
      const lastActiveAt = new Date(record.lastSeenAt).toISOString();
      return {
        id: signInHandle(record.sessionId),
        device: record.device,
        signedInAt,
        signedInText: dateTimeText(signedInAt, locale),
        lastActiveAt,
        lastActiveText: dateTimeText(lastActiveAt, locale),
        current: record.sessionId === session?.id,
      };
    });
    return { status: "ok", data: { items, notShown: records.length - listed.length } };
  } catch (error) {
    logger.error({ requestId, err: String(error) }, "sign-in list unavailable");
    return { status: "unavailable", message: "The list of your sign-ins is unavailable right now." };
  }
}

type ProfileData = Section<ProfileView> & { signIns: Section<SignInListView>; passkeys: Section<PasskeyView[]> };

export async function action({ request, context }: ActionFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const { form } = await readForm(request);
  const intent = form.get("intent");
  if (intent === "remove-passkey") return removePasskey(customer, form);
  const handle = form.get("signIn");
  let which: Parameters<typeof endOtherSignIns>[2];
  if (intent === "sign-out-others") which = () => true;
  else if (intent === "sign-out-other" && typeof handle === "string" && handle !== "") which = (record) => signInHandle(record.sessionId) === handle;
  else return Response.json({ message: "Unknown request." } satisfies ProfileActionData, { status: 400 });
  try {
    await endOtherSignIns(request, context, which);
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.error({ requestId: context.requestId, err: String(error) }, "could not end other sign-ins");
    const message = "We couldn't sign out your other devices right now. Please try again in a moment.";
    return Response.json({ message } satisfies ProfileActionData, { status: 503 });
  }
  return redirect("/profile");
}

interface ProfileActionData {
  message: string;
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Profile · Northwind Bank",
    description: "Your name, e-mail address and where you are signed in to Northwind Bank.",
  });

export default function Profile() {
  const { signIns, passkeys, ...profile } = useLoaderData<ProfileData>();
  const result = useActionData<ProfileActionData | PasskeyActionResult>();
  const othersSignedIn = signIns.status === "ok" && (signIns.data.notShown > 0 || signIns.data.items.some((signIn) => !signIn.current));
  const signInMessage = result && "message" in result ? result.message : undefined;
  const passkeyResult = result && !("message" in result) ? result : undefined;
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
      <p className="actions">
        <Link to="/profile/password">Change your password</Link>
      </p>

      <h2 id="sign-ins-title">Where you're signed in</h2>
      <ErrorAlert message={signInMessage} />
      {signIns.status === "ok" ? (
        <ul className="sign-ins" aria-labelledby="sign-ins-title">
          {signIns.data.items.map((signIn) => (
            <li key={signIn.id} className="sign-in">
              <p className="sign-in__device">
                <strong>{signIn.device}</strong>
                {signIn.current ? <span className="badge"> This device</span> : null}
              </p>
              <p className="muted">
                Signed in <time dateTime={signIn.signedInAt}>{signIn.signedInText}</time>
                {" · "}
                Last active <time dateTime={signIn.lastActiveAt}>{signIn.lastActiveText}</time>
              </p>
              {signIn.current ? null : (
                <Form method="post">
                  <input type="hidden" name="signIn" value={signIn.id} />
                  <SubmitButton name="intent" value="sign-out-other" pending="Signing out…" className="button">
                    Sign out<span className="visually-hidden"> of {signIn.device}</span>
                  </SubmitButton>
                </Form>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <SectionUnavailable message={signIns.message} retry="/profile" />
      )}
      {signIns.status === "ok" && signIns.data.notShown > 0 ? (
        <p className="muted">
          And {signIns.data.notShown === 1 ? "1 more sign-in" : `${signIns.data.notShown} more sign-ins`}, less recently active.
        </p>
      ) : null}
      {othersSignedIn ? (
        <Form method="post" className="actions">
          <SubmitButton name="intent" value="sign-out-others" pending="Signing out…" className="button">
            Sign out everywhere else
          </SubmitButton>
          <p className="muted">Ends every other sign-in; this one stays signed in.</p>
        </Form>
      ) : null}
      <PasskeyList passkeys={passkeys} result={passkeyResult} />
    </section>
  );
}
