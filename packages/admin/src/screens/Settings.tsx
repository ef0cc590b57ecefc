// TODO(screens engineer): the Settings screen; replace this placeholder.
export function Settings() {
  return <p>Settings</p>;
}
