// Office settings: name, time zone, locale, region and weekly business hours.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ZUpdateOffice, type BusinessHours, type Office } from '../../../contract/index.js';
import { api, validate } from '../api/client.js';
import { keys, useOffice } from '../api/queries.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, StatusMessage, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { SESSION_KEY } from '../session.js';
import { BusinessHoursEditor } from './BusinessHoursEditor.js';

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function OfficeForm({ office, onSaved }: { office: Office; onSaved: (o: Office) => void }) {
  const zones = useMemo(timeZones, []);
  const [name, setName] = useState(office.name);
  const [timeZone, setTimeZone] = useState(office.timeZone);
  const [locale, setLocale] = useState(office.locale);
  const [defaultRegion, setDefaultRegion] = useState(office.defaultRegion);
  const [hours, setHours] = useState<BusinessHours>(office.businessHours);
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () =>
      api.patch<Office>('/api/v1/office', validate(ZUpdateOffice, { name, timeZone, locale, defaultRegion: defaultRegion.toUpperCase(), businessHours: hours })),
    onSuccess: onSaved,
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Office settings">
      <ErrorSummary
        error={save.error}
        fields={{
          name: { id: 'office-name', label: 'Office name' },
          timeZone: { id: 'office-tz', label: 'Time zone' },
          locale: { id: 'office-locale', label: 'Locale' },
          defaultRegion: { id: 'office-region', label: 'Default region' },
        }}
      />
      <TextField id="office-name" label="Office name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <TextField
        id="office-tz"
        label="Time zone"
        hint="An IANA time zone such as Europe/London. Used for SLAs, business hours and reports."
        list="office-tz-list"
        autoComplete="off"
        value={timeZone}
        onChange={(e) => setTimeZone(e.target.value)}
        error={errors.timeZone}
      />
      <datalist id="office-tz-list">
        {zones.map((z) => <option key={z} value={z} />)}
      </datalist>
      <TextField id="office-locale" label="Locale" hint="Language and region for dates and messages, such as en-GB." value={locale} onChange={(e) => setLocale(e.target.value)} error={errors.locale} />
      <TextField
        id="office-region"
        label="Default region"
        hint="Two-letter country code used to read phone numbers without a country code, such as GB."
        maxLength={2}
        value={defaultRegion}
        onChange={(e) => setDefaultRegion(e.target.value)}
        error={errors.defaultRegion}
      />
      <BusinessHoursEditor value={hours} onChange={setHours} errors={errors} />
      <FormActions label="Save settings" busyLabel="Saving…" isBusy={save.isPending} />
    </form>
  );
}

export function OfficePage() {
  const office = useOffice();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  return (
    <Page title="Office settings">
      <StatusMessage>{status}</StatusMessage>
      <QueryStatus query={office} loading="Loading settings…" />
      {office.data ? (
        <OfficeForm
          key={office.data.updatedAt}
          office={office.data}
          onSaved={(o) => {
            queryClient.setQueryData(keys.office, o);
            void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
            setStatus(`Settings saved at ${new Date().toLocaleTimeString()}.`);
          }}
        />
      ) : null}
    </Page>
  );
}
