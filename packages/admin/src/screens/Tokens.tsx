// TODO(screens engineer): the Tokens screen; replace this placeholder.
export function Tokens() {
  return <p>Tokens</p>;
}
