// Settings: the office's SMS provider account (Twilio or a Twilio-compatible API), its number
// and the HELP answer, and the webhook URLs to enter at the provider. The auth token is
// write-only: the form never shows it, and leaving it blank keeps the stored one.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SMS_PROVIDERS, ZPutSmsSettings, type SmsSettings } from '../../../contract/sms.js';
import { api, validate } from '../api/client.js';
import { CopyText } from '../components/CopyText.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldTargets, SelectField, StatusMessage, TextAreaField, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { intakeKeys, useSmsSettings } from './IntakeQueries.js';

const PROVIDER_LABELS: Record<SmsSettings['provider'], string> = { twilio: 'Twilio (or a Twilio-compatible API)' };

const FIELDS = fieldTargets('sms', {
  provider: 'Provider', accountSid: 'Account SID', authToken: 'Auth token', fromNumber: 'Number texts come from', helpText: 'Answer to HELP',
});

export function SmsSettingsPage() {
  const settings = useSmsSettings();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  return (
    <Page title="SMS" lead="Residents text the office's number; their texts land in the inbox, and caseworkers reply from the case.">
      <StatusMessage>{status}</StatusMessage>
      <QueryStatus query={settings} loading="Loading SMS settings…" />
      {settings.isSuccess ? (
        <>
          {settings.data ? null : <p>SMS is not set up yet. Enter the provider account to start.</p>}
          <SmsSettingsForm
            key={settings.data?.updatedAt ?? 'new'}
            settings={settings.data}
            onSaved={(s) => {
              queryClient.setQueryData(intakeKeys.sms, s);
              setStatus(`SMS settings saved at ${new Date().toLocaleTimeString()}.`);
            }}
          />
          {settings.data ? <Webhooks settings={settings.data} /> : null}
        </>
      ) : null}
    </Page>
  );
}

function SmsSettingsForm({ settings, onSaved }: { settings: SmsSettings | null; onSaved: (s: SmsSettings) => void }) {
  const [v, setV] = useState({
    provider: settings?.provider ?? 'twilio', accountSid: settings?.accountSid ?? '', authToken: '', fromNumber: settings?.fromNumber ?? '',
    helpText: settings?.helpText ?? '', enabled: settings?.enabled ?? true,
  });
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const { authToken, ...rest } = v;
      const body = validate(ZPutSmsSettings, { ...rest, ...(authToken.trim() ? { authToken } : {}) });
      return api.put<SmsSettings>('/api/v1/sms/settings', body);
    },
    onSuccess: onSaved,
  });
  const set = (k: 'accountSid' | 'authToken' | 'fromNumber' | 'helpText') => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="sms-account-heading">
      <h2 id="sms-account-heading">Provider account</h2>
      <ErrorSummary error={save.error} fields={FIELDS} />
      <SelectField id={FIELDS.provider.id} label={FIELDS.provider.label} value={v.provider} onChange={(e) => setV({ ...v, provider: e.target.value as SmsSettings['provider'] })} error={errors.provider}>
        {SMS_PROVIDERS.map((p) => <option key={p} value={p}>{PROVIDER_LABELS[p]}</option>)}
      </SelectField>
      <TextField id={FIELDS.accountSid.id} label={FIELDS.accountSid.label} hint="AC followed by 32 hexadecimal digits, from the provider's console." autoComplete="off" spellCheck={false}
        value={v.accountSid} onChange={set('accountSid')} error={errors.accountSid} />
      <TextField id={FIELDS.authToken.id} label={FIELDS.authToken.label} type="password" autoComplete="new-password" value={v.authToken} onChange={set('authToken')} error={errors.authToken}
        hint={settings?.hasAuthToken ? 'A token is stored and never shown. Leave this blank to keep it.' : 'Required the first time. It signs every webhook, so keep it secret.'} />
      <TextField id={FIELDS.fromNumber.id} label={FIELDS.fromNumber.label} hint="Written any way; numbers without a country code are read in the office's default region." type="tel"
        value={v.fromNumber} onChange={set('fromNumber')} error={errors.fromNumber} />
      <TextAreaField id={FIELDS.helpText.id} label={FIELDS.helpText.label} hint="Sent to anyone who texts HELP: who you are, how else to reach you, and that STOP stops texts." rows={3}
        value={v.helpText} onChange={set('helpText')} error={errors.helpText} />
      <p>
        <label className="check">
          <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} /> Send texts (when off, nothing is sent; incoming texts and STOP are still recorded)
        </label>
      </p>
      <FormActions label="Save SMS settings" busyLabel="Saving…" isBusy={save.isPending} />
    </form>
  );
}

/** A provider on the internet cannot call an address that only this machine knows. */
const isLocal = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

function Webhooks({ settings }: { settings: SmsSettings }) {
  return (
    <section aria-labelledby="sms-webhooks-heading">
      <h2 id="sms-webhooks-heading">Webhooks at the provider</h2>
      <p>
        In the provider's console, set the number's webhook for incoming messages (“A message comes in”, HTTP POST) to the first address. Delivery reports are requested with every text
        sent, at the second address; nothing needs setting up for them.
      </p>
      {isLocal(settings.webhookUrl) ? (
        <p className="confirm-box">
          These addresses name this machine only, so the provider cannot reach them. Set <code>PUBLIC_URL</code> to the server's public address and restart it.
        </p>
      ) : null}
      <CopyText label="Incoming messages URL" value={settings.webhookUrl} />
      <CopyText label="Delivery status URL" value={settings.statusCallbackUrl} />
    </section>
  );
}
