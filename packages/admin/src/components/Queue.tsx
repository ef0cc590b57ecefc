export function Queue() {
  return <p>Queue</p>;
}
