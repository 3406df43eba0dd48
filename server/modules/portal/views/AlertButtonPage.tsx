// A page a link of an alert email opens (confirm a subscription, unsubscribe): what it is about
// and one button. Opening the link never acts by itself, since mail scanners open links.
import { Layout, type Page } from './Layout.js';

export type AlertButtonProps = Page & { heading: string; lines: string[]; action: string; formToken: string; button: string; link?: { href: string; label: string } };

export function AlertButtonPage(p: AlertButtonProps) {
  return (
    <Layout {...p}>
      <h1>{p.heading}</h1>
      {p.lines.map((l) => <p key={l}>{l}</p>)}
      <form method="post" action={p.action}>
        <input type="hidden" name="formToken" value={p.formToken} />
        <button type="submit">{p.button}</button>
      </form>
      {p.link ? <p><a href={p.link.href}>{p.link.label}</a></p> : null}
    </Layout>
  );
}
