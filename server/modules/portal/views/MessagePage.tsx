// A page that only says something: not found, expired link, too many attempts, refused, failed.
import { Layout, type Page } from './Layout.js';

export function MessagePage(p: Page & { text: string; link?: { href: string; label: string } | undefined }) {
  return (
    <Layout {...p}>
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      {p.link ? <p><a href={p.link.href}>{p.link.label}</a></p> : null}
    </Layout>
  );
}
