// Names people read for breakdown keys: category paths, team names, people's names, ward and
// channel names, and what "none of" is called for each breakdown.
import type { Executor } from '../../platform/db/database.js';
import * as repo from './insights.repo.js';

const NONE_LABEL: Record<string, string> = {
  none: 'All cases', category: 'Uncategorised', team: 'No team', assignee: 'Unassigned', channel: 'Unknown channel', ward: 'No ward',
};

const channelName = (c: string) => c.split('_').map((w) => (w === 'sms' ? 'SMS' : w === 'open311' ? 'Open311' : w.charAt(0).toUpperCase() + w.slice(1))).join(' ').replace('Walk In', 'Walk-in');

export type Labeller = (key: string) => string;

/** A function naming the keys of a breakdown (key '' is "none of", or the whole office). */
export async function labeller(db: Executor, officeId: string, dimension: string): Promise<Labeller> {
  const names = new Map<string, string>();
  if (dimension === 'category') {
    const cats = await repo.categoryNames(db, officeId);
    const byId = new Map(cats.map((c) => [c.id, c]));
    for (const c of cats) {
      const path: string[] = [];
      for (let at: typeof c | undefined = c; at && path.length < 20; at = at.parent_id ? byId.get(at.parent_id) : undefined) path.unshift(at.name);
      names.set(c.id, path.join(' > '));
    }
  } else if (dimension === 'team') {
    for (const t of await repo.teamNames(db, officeId)) names.set(t.id, t.name);
  } else if (dimension === 'assignee') {
    for (const u of await repo.userNames(db, officeId)) names.set(u.id, u.name);
  } else if (dimension === 'ward') {
    for (const w of await repo.wardNames(db, officeId)) names.set(w.id, w.name);
  }
  return (key) => {
    if (key === '') return NONE_LABEL[dimension] ?? 'None';
    if (dimension === 'channel') return channelName(key);
    return names.get(key) ?? 'Removed';
  };
}
