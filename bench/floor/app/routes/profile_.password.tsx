// A trivial page: the floor pays for the app's route tree, not for this page's work.
export default function ChangePassword() {
  return <h1>Change your password</h1>;
}
