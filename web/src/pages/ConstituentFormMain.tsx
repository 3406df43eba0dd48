// The first part of the constituent form: person or organisation, names, date of birth,
// contact preferences and tags.
import { CHANNELS, type ContactChannel } from '../../../contract/constituents.js';
import type { FieldErrors } from '../api/client.js';
import { errorAt, FieldError, SelectField, TextField } from '../components/FormFields.js';
import type { FormState } from './ConstituentFormModel.js';
import { CHANNEL_LABELS } from './ConstituentQueries.js';

export function ConstituentFormMain({ s, edit, errors }: { s: FormState; edit: (change: Partial<FormState>) => void; errors: FieldErrors }) {
  const isPerson = s.kind === 'person';
  return (
    <>
      <fieldset className={errors.kind ? 'field-invalid' : undefined} aria-describedby={errors.kind ? 'c-kind-error' : undefined}>
        <legend>This record is for</legend>
        {errors.kind ? <FieldError id="c-kind-error">{errors.kind}</FieldError> : null}
        <label className="check">
          <input type="radio" id="c-kind-person" name="kind" checked={isPerson} onChange={() => edit({ kind: 'person' })} />
          A person
        </label>
        <label className="check">
          <input type="radio" id="c-kind-organisation" name="kind" checked={!isPerson} onChange={() => edit({ kind: 'organisation' })} />
          An organisation
        </label>
      </fieldset>
      <fieldset>
        <legend>{isPerson ? 'Name and date of birth' : 'Organisation'}</legend>
        {isPerson ? (
          <>
            <p className="hint">A given name or a family name is required.</p>
            <TextField id="c-givenName" label="Given name" autoComplete="off" value={s.givenName} onChange={(e) => edit({ givenName: e.target.value })} error={errors.givenName} />
            <TextField id="c-familyName" label="Family name" autoComplete="off" value={s.familyName} onChange={(e) => edit({ familyName: e.target.value })} error={errors.familyName} />
            <TextField id="c-preferredName" label="Preferred name (optional)" hint="What they like to be called, if not their given name." autoComplete="off" value={s.preferredName} onChange={(e) => edit({ preferredName: e.target.value })} error={errors.preferredName} />
            <TextField id="c-dateOfBirth" label="Date of birth (optional)" type="date" value={s.dateOfBirth} onChange={(e) => edit({ dateOfBirth: e.target.value })} error={errors.dateOfBirth} />
          </>
        ) : (
          <TextField id="c-organisationName" label="Organisation name (required)" autoComplete="off" required value={s.organisationName} onChange={(e) => edit({ organisationName: e.target.value })} error={errors.organisationName} />
        )}
      </fieldset>
      <fieldset>
        <legend>Preferences and tags</legend>
        <SelectField id="c-preferredChannel" label="Preferred channel" value={s.preferredChannel} onChange={(e) => edit({ preferredChannel: e.target.value as '' | ContactChannel })} error={errors.preferredChannel}>
          <option value="">No preference</option>
          {CHANNELS.map((ch) => <option key={ch} value={ch}>{CHANNEL_LABELS[ch]}</option>)}
        </SelectField>
        <TextField id="c-preferredLanguage" label="Preferred language (optional)" hint="A language tag, such as en or cy-GB." autoComplete="off" value={s.preferredLanguage} onChange={(e) => edit({ preferredLanguage: e.target.value })} error={errors.preferredLanguage} />
        <TextField id="c-tags" label="Tags (optional)" hint="Separate tags with commas, such as volunteer, tenant association." autoComplete="off" value={s.tags} onChange={(e) => edit({ tags: e.target.value })} error={errorAt(errors, 'tags')} />
      </fieldset>
    </>
  );
}
