// A trivial page: the floor pays for the app's route tree, not for this page's work.
export default function Transactions() {
  return <h1>Transactions</h1>;
}
