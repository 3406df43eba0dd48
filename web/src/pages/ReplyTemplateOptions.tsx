// The templates offered where a message is written (the reply composer, the closure message):
// those with approved text can be chosen; one with only a draft is listed but cannot be, since
// only approved text is ever sent from a template.
import type { ReplyTemplate } from '../../../contract/templates.js';
import { isUsable } from './ReplyQueries.js';

export function ReplyTemplateOptions({ templates }: { templates: ReplyTemplate[] | undefined }) {
  return (
    <>
      {(templates ?? []).map((t) => (
        <option key={t.id} value={t.id} disabled={!isUsable(t)}>
          {isUsable(t) ? t.name : `${t.name} (draft only, not approved yet)`}
        </option>
      ))}
    </>
  );
}
