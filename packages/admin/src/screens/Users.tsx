// TODO(screens engineer): the Users screen; replace this placeholder.
export function Users() {
  return <p>Users</p>;
}
