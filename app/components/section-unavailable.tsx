/** What a customer sees instead of a section whose service failed: what happened, and a way to retry. */
export function SectionUnavailable({ message, retry }: { message: string; retry: string }) {
  return (
    <div className="alert" role="status">
      <p>{message}</p>
      <a href={retry}>Try again</a>
    </div>
  );
}
