// A trivial page: the floor pays for the app's route tree, not for this page's work.
export default function ConfirmPayment() {
  return <h1>Confirm your payment</h1>;
}
