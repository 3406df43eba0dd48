// Step 1 of a report: what it is about. The office's public categories, each with its plain
// description, a search over names, descriptions and keywords (a GET form: no JavaScript
// needed), and "Something else" for a request that fits none.
import type { Choice } from '../portal.categories.js';
import { Layout, type Page } from './Layout.js';

export type CategoryProps = Page & { items: Choice[]; q: string; total: number; reportPath: string };

export function CategoryPage(p: CategoryProps) {
  const { t } = p;
  const to = (category: string) => `${p.reportPath}?lang=${t.lang}&category=${encodeURIComponent(category)}`;
  return (
    <Layout {...p}>
      <p className="step">{t.t('report.step', { step: 1, steps: 3 })}</p>
      <h1>{t.t('category.title')}</h1>
      <form method="get" action={p.reportPath} role="search" className="search">
        <input type="hidden" name="lang" value={t.lang} />
        <label htmlFor="q">{t.t('category.search.label')}</label>
        <p className="hint" id="q-hint">{t.t('category.search.hint')}</p>
        <div className="inline">
          <input type="search" id="q" name="q" maxLength={200} defaultValue={p.q} aria-describedby="q-hint" />
          <button type="submit">{t.t('category.search.submit')}</button>
        </div>
      </form>
      <h2 id="topics-heading">
        {p.q ? t.t('category.results', { count: p.items.length, q: p.q }) : t.t('category.all')}
      </h2>
      {p.q && !p.items.length ? <p>{t.t('category.none')}</p> : null}
      <ul className="topics" aria-labelledby="topics-heading">
        {p.items.map((c) => (
          <li key={c.id}>
            <a href={to(c.id)}>{c.path.join(' › ')}</a>
            {c.description ? <p className="hint">{c.description}</p> : null}
          </li>
        ))}
      </ul>
      {p.q ? <p><a href={`${p.reportPath}?lang=${t.lang}`}>{t.t('category.showAll', { count: p.total })}</a></p> : null}
      <h2>{t.t('category.other.heading')}</h2>
      <p><a href={to('other')}>{t.t('category.other.link')}</a></p>
    </Layout>
  );
}
