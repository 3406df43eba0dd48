// The demo office's category taxonomy and teams, with the mix the generator draws cases
// from. Modelled on a London borough's street-reporting categories (fly-tipping is by far
// the most common) plus the casework a councillor's or MP's office handles.

export type TeamKey = 'environment' | 'highways' | 'housing' | 'casework';
/** Where a case of the category happens: on a street, at the requester's home, or nowhere. */
export type Located = 'street' | 'home' | 'none';

export type DemoCategory = {
  name: string;
  weight: number;
  /** 0..1: how often reports are high priority or urgent. */
  urgency: number;
};

export type DemoCategoryGroup = {
  name: string;
  team: TeamKey;
  located: Located;
  /** Street reports resolve in days; casework with agencies takes weeks. */
  kind: 'report' | 'casework';
  children: DemoCategory[];
};

const c = (name: string, weight: number, urgency = 0.1): DemoCategory => ({ name, weight, urgency });

export const CATEGORY_GROUPS: DemoCategoryGroup[] = [
  {
    name: 'Waste & recycling', team: 'environment', located: 'street', kind: 'report',
    children: [
      c('Fly-tipping', 30, 0.12), c('Missed bin collection', 4.5), c('Missed food waste collection', 0.6),
      c('Missed garden waste collection', 1.2), c('Bin repair or replacement', 1.5, 0.05), c('Trade waste', 1.2),
      c('Overflowing litter bins', 2), c('Abandoned shopping trolleys', 0.8, 0.05),
    ],
  },
  {
    name: 'Street cleaning', team: 'environment', located: 'street', kind: 'report',
    children: [
      c('Street cleaning', 6), c('Graffiti', 3.5, 0.05), c('Offensive graffiti', 0.5, 0.6), c('Fly-posting', 0.7, 0.03),
      c('Dog fouling', 1.3), c('Pavement cleaning', 1, 0.05),
    ],
  },
  {
    name: 'Roads & pavements', team: 'highways', located: 'street', kind: 'report',
    children: [
      c('Potholes', 2.5, 0.3), c('Road defects', 2, 0.3), c('Pavement damage', 2, 0.3), c('Street lighting', 2, 0.25),
      c('Road signs', 0.9, 0.2), c('Street nameplates', 0.2, 0.02), c('Blocked drains', 1.2, 0.3),
    ],
  },
  {
    name: 'Parking & vehicles', team: 'highways', located: 'street', kind: 'report',
    children: [c('Abandoned vehicles', 3, 0.08), c('Parking problems', 1.6, 0.15)],
  },
  {
    name: 'Parks & green spaces', team: 'environment', located: 'street', kind: 'report',
    children: [
      c('Parks & open spaces', 2.6), c('Trees', 2.4, 0.3), c('Overgrown vegetation', 1, 0.1), c('Playgrounds', 0.5, 0.35),
      c('Public toilets', 0.1),
    ],
  },
  {
    name: 'Housing', team: 'housing', located: 'home', kind: 'casework',
    children: [
      c('Council housing repairs', 1.5, 0.3), c('Housing association repairs', 0.8, 0.3), c('Damp & mould', 1, 0.4),
      c('Homelessness', 0.6, 0.7), c('Housing allocation', 0.6, 0.15),
    ],
  },
  {
    name: 'Noise & nuisance', team: 'housing', located: 'home', kind: 'report',
    children: [c('Noise', 1.2, 0.1), c('Anti-social behaviour', 1, 0.3), c('Pest control', 0.6, 0.15), c('Bonfires & smoke', 0.3, 0.2)],
  },
  {
    name: 'Benefits & council tax', team: 'casework', located: 'none', kind: 'casework',
    children: [c('Council tax', 0.8, 0.1), c('Housing benefit', 0.5, 0.3), c('Blue badge', 0.3, 0.1)],
  },
  {
    name: 'Government agencies', team: 'casework', located: 'none', kind: 'casework',
    children: [c('Immigration & visas', 0.6, 0.4), c('Universal Credit', 0.6, 0.35), c('HMRC & tax', 0.3, 0.1), c('Passports', 0.2, 0.4), c('NHS services', 0.4, 0.3)],
  },
];

export const TEAMS: { key: TeamKey; name: string; description: string }[] = [
  { key: 'environment', name: 'Environment & waste', description: 'Fly-tipping, bins, street cleaning, parks and trees' },
  { key: 'highways', name: 'Highways & parking', description: 'Roads, pavements, lighting, signs and vehicles' },
  { key: 'housing', name: 'Housing & communities', description: 'Housing repairs, homelessness, noise and anti-social behaviour' },
  { key: 'casework', name: 'Casework', description: 'Benefits, council tax and cases with government agencies' },
];

/** Staff per team: one manager and some caseworkers; the office also gets an analyst and a volunteer. */
export const STAFF_PLAN: { role: 'manager' | 'caseworker' | 'analyst' | 'volunteer'; team: TeamKey | null }[] = [
  { role: 'manager', team: 'environment' }, { role: 'caseworker', team: 'environment' }, { role: 'caseworker', team: 'environment' },
  { role: 'caseworker', team: 'environment' }, { role: 'manager', team: 'highways' }, { role: 'caseworker', team: 'highways' },
  { role: 'caseworker', team: 'highways' }, { role: 'manager', team: 'housing' }, { role: 'caseworker', team: 'housing' },
  { role: 'caseworker', team: 'housing' }, { role: 'manager', team: 'casework' }, { role: 'caseworker', team: 'casework' },
  { role: 'caseworker', team: 'casework' }, { role: 'analyst', team: null }, { role: 'volunteer', team: null },
];

/** Intake channels, different for street reports and for casework. */
export const CHANNELS: Record<DemoCategoryGroup['kind'], { value: string; weight: number }[]> = {
  report: [
    { value: 'web', weight: 30 }, { value: 'open311', weight: 28 }, { value: 'email', weight: 16 }, { value: 'phone', weight: 12 },
    { value: 'sms', weight: 4 }, { value: 'social', weight: 3 }, { value: 'voicemail', weight: 2 }, { value: 'walk_in', weight: 2 },
    { value: 'doorstep', weight: 1 }, { value: 'other', weight: 1 },
  ],
  casework: [
    { value: 'email', weight: 40 }, { value: 'phone', weight: 18 }, { value: 'web', weight: 12 }, { value: 'letter', weight: 9 },
    { value: 'walk_in', weight: 9 }, { value: 'event', weight: 4 }, { value: 'doorstep', weight: 3 }, { value: 'voicemail', weight: 3 },
    { value: 'sms', weight: 2 },
  ],
};
