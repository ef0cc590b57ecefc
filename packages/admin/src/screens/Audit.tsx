// TODO(screens engineer): the Audit screen; replace this placeholder.
export function Audit() {
  return <p>Audit</p>;
}
