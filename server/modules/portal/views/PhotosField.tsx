// The photos field of the report and comment forms: a labelled file input taking several
// photos, its limits as a hint, its problem beside it, and, on a form shown again, a reminder
// to choose the photos again (a browser never keeps chosen files across pages).
import type { Translator } from '../portal.i18n.js';
import { aria, FieldMessage, type FieldError } from './Layout.js';

export type PhotoLimits = { count: number; size: number; total: number };

export function PhotosField(p: { t: Translator; label: string; limits: PhotoLimits; errors: FieldError[]; isShownAgain: boolean }) {
  const { t, errors } = p;
  return (
    <>
      <label htmlFor="photos">{p.label}</label>
      <p className="hint" id="photos-hint">
        {t.t('photos.hint', p.limits)}
        {p.isShownAgain ? <> {t.t('photos.again')}</> : null}
      </p>
      <FieldMessage t={t} id="photos" errors={errors} />
      <input type="file" id="photos" name="photos" multiple accept="image/jpeg,image/png,image/webp" {...aria('photos', errors, 'photos-hint')} />
    </>
  );
}
