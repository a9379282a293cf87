// A trivial page: the floor pays for the app's route tree, not for this page's work.
export default function Home() {
  return <h1>Home</h1>;
}
