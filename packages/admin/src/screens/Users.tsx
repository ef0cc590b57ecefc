import { useEffect, useMemo } from 'preact/hooks';
import { useApp, useStrings } from '../components/context.js';
import { usersAr } from '../i18n/users.ar.js';
import { usersEn } from '../i18n/users.en.js';
import { createUsersModel } from '../models/users.js';
import { LoadFailed, Loading } from './LoadFailed.js';
import { UsersCreate } from './UsersCreate.js';
import { UsersRow } from './UsersRow.js';
import '../styles/screens.css';

/** The owner's list of accounts: create, change role and sites, disable, set a password, delete. */
export function Users() {
  const { api, session } = useApp();
  const t = useStrings({ ar: usersAr, en: usersEn });
  const model = useMemo(() => createUsersModel(api.client.value), [api.client.value]);
  const me = session.user.value;
  const owner = me?.role === 'owner';
  useEffect(() => {
    if (owner) void model.load();
  }, [model, owner]);

  return (
    <section class="screen" aria-labelledby="users-title">
      <h1 id="users-title">{t.title}</h1>
      {!owner ? (
        <p class="notice">{t.ownersOnly}</p>
      ) : model.loadError.value ? (
        <LoadFailed error={model.loadError.value} retry={() => model.load()} />
      ) : !model.loaded.value ? (
        <Loading />
      ) : (
        <>
          <ul class="list" aria-label={t.listCaption}>
            {model.users.value.map((user) => (
              <UsersRow key={user.id} user={user} model={model} self={user.id === me?.id} />
            ))}
          </ul>
          <UsersCreate model={model} />
        </>
      )}
    </section>
  );
}
