import type { Role } from '@hiwar/protocol';
import { type FieldControl, FieldError } from './Field.js';

interface UsersSitesProps {
  id: string;
  legend: string;
  help: string;
  error?: string | undefined;
  sites: readonly string[];
  chosen: readonly string[];
  onChange: (sites: string[]) => void;
}

/** The sites a moderator moderates, as checkboxes in a fieldset. */
export function UsersSites({ id, legend, help, error, sites, chosen, onChange }: UsersSitesProps) {
  const described = [error ? `${id}-error` : '', `${id}-help`].filter(Boolean).join(' ');
  return (
    <fieldset class="group" id={id} tabIndex={-1} aria-describedby={described}>
      <legend>{legend}</legend>
      <p class="field-help" id={`${id}-help`}>
        {help}
      </p>
      <div class="checks">
        {sites.map((site) => (
          <label key={site} class="choice" dir="ltr">
            <input
              type="checkbox"
              checked={chosen.includes(site)}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...chosen, site] : chosen.filter((s) => s !== site))
              }
            />
            {site}
          </label>
        ))}
      </div>
      {error && <FieldError id={`${id}-error`} text={error} />}
    </fieldset>
  );
}

/** The role choice of the user forms. */
export function RoleSelect({
  control,
  value,
  labels,
  onChange,
}: {
  control: FieldControl;
  value: Role;
  labels: Record<Role, string>;
  onChange: (role: Role) => void;
}) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      <option value="moderator">{labels.moderator}</option>
      <option value="owner">{labels.owner}</option>
    </select>
  );
}
