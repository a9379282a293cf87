// A trivial page: the floor pays for the app's route tree, not for this page's work.
export default function LoginCode() {
  return <h1>LoginCode</h1>;
}
