// A trivial page: the floor pays for the app's route tree, not for this page's work.
export default function Profile() {
  return <h1>Profile</h1>;
}
