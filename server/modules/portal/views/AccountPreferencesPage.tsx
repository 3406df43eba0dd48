// A signed-in resident's contact preferences and consent: how and in which language to hear
// from the office, and per purpose the channels it may use (each change a statement in the
// consent ledger), with the history of what they agreed to and withdrew.
import { CHANNELS, PURPOSES, type Consent, type ContactChannel } from '../../../../contract/constituents.js';
import type { ConsentSetting } from '../../constituents/constituents.portal.js';
import { AccountNav } from './AccountNav.js';
import { ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';

export type AccountPreferencesProps = Page & {
  email: string;
  formToken: string;
  preferredChannel: ContactChannel | null;
  preferredLanguage: string | null;
  isDoNotContact: boolean;
  settings: ConsentSetting[];
  history: Consent[];
  isSaved?: boolean;
  errors?: FieldError[];
};

export function AccountPreferencesPage(p: AccountPreferencesProps) {
  const { t, office } = p;
  const errors = p.errors ?? [];
  const isOn = (channel: string, purpose: string) => p.settings.some((s) => s.channel === channel && s.purpose === purpose && s.isOn);
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      {p.isSaved ? <p className="notice" role="status">{t.t('account.prefs.saved')}</p> : null}
      <AccountNav t={t} slug={office!.slug} email={p.email} current="preferences" formToken={p.formToken} />
      <h1>{t.t('account.prefs.title')}</h1>
      <p>{t.t('account.prefs.intro', { office: office!.name })}</p>
      {p.isDoNotContact ? <p className="notice">{t.t('account.prefs.doNotContact', { office: office!.name })}</p> : null}
      <form method="post" action={`/portal/${office!.slug}/account/preferences?lang=${t.lang}`} noValidate>
        <input type="hidden" name="formToken" value={p.formToken} />
        <fieldset id="preferredChannel" aria-describedby={errors.some((e) => e.field === 'preferredChannel') ? 'preferredChannel-error' : undefined}>
          <legend>{t.t('account.prefs.channel.legend')}</legend>
          <FieldMessage t={t} id="preferredChannel" errors={errors} />
          {CHANNELS.map((c) => (
            <div className="choice" key={c}>
              <input type="radio" id={`channel-${c}`} name="preferredChannel" value={c} defaultChecked={(p.preferredChannel ?? 'email') === c} />
              <label htmlFor={`channel-${c}`}>{t.t(`account.prefs.channel.${c}`)}</label>
            </div>
          ))}
        </fieldset>
        <fieldset id="preferredLanguage" aria-describedby={errors.some((e) => e.field === 'preferredLanguage') ? 'preferredLanguage-error' : undefined}>
          <legend>{t.t('account.prefs.language.legend')}</legend>
          <FieldMessage t={t} id="preferredLanguage" errors={errors} />
          {t.languages.map((l) => (
            <div className="choice" key={l.code}>
              <input type="radio" id={`language-${l.code}`} name="preferredLanguage" value={l.code} defaultChecked={(p.preferredLanguage ?? t.lang) === l.code} />
              <label htmlFor={`language-${l.code}`} lang={l.code}>{l.name}</label>
            </div>
          ))}
        </fieldset>
        {PURPOSES.map((purpose) => (
          <fieldset key={purpose} aria-describedby={`purpose-${purpose}-hint`}>
            <legend>{t.t(`account.prefs.purpose.${purpose}`)}</legend>
            <p className="hint" id={`purpose-${purpose}-hint`}>{t.t(`account.prefs.purpose.${purpose}.hint`, { office: office!.name })}</p>
            {CHANNELS.map((channel) => (
              <div className="choice" key={channel}>
                <input type="checkbox" id={`consent-${channel}-${purpose}`} name={`consent.${channel}.${purpose}`} value="on" defaultChecked={isOn(channel, purpose)} />
                <label htmlFor={`consent-${channel}-${purpose}`}>{t.t(`account.prefs.channel.${channel}`)}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button type="submit">{t.t('account.prefs.submit')}</button>
      </form>
      <h2>{t.t('account.prefs.history.heading')}</h2>
      {p.history.length ? (
        <ol className="history">
          {p.history.map((h) => (
            <li key={h.id}>
              <time dateTime={h.effectiveAt}>{t.dateTime(new Date(h.effectiveAt))}</time>
              {t.t(h.status === 'granted' ? 'account.prefs.history.granted' : 'account.prefs.history.withdrawn', {
                purpose: t.t(`account.prefs.purpose.${h.purpose}`), channel: t.t(`account.prefs.channel.${h.channel}`),
              })}
            </li>
          ))}
        </ol>
      ) : <p>{t.t('account.prefs.history.none')}</p>}
    </Layout>
  );
}
