// Subjects and descriptions for housing, nuisance and agency casework, plus the openings,
// asides and sign-offs that make each message read differently. Same placeholders as
// demo.texts.ts, plus {months} and {refno}.
import type { CategoryTexts } from './demo.texts.js';

export const CASEWORK_TEXTS: Record<string, CategoryTexts> = {
  'Council housing repairs': {
    subjects: [
      'Repair not done after {weeks} weeks', 'Council repairs not done', 'Outstanding repair at {num} {street}',
      'Repairs appointment missed again',
    ],
    details: [
      'I live in a council flat at {num} {street}. My boiler broke down {weeks} weeks ago and I still have no heating or hot water. I have a young baby.',
      'Water is coming through the ceiling in my bathroom from the flat above. I reported it to repairs {weeks} weeks ago and nobody has come.',
      'The lift in our block on {street} has been out of order {since}. I live on the 8th floor and have bad knees.',
      'Repairs have missed three appointments now. Each time I take a day off work and nobody turns up.',
      'The front door of our block on {street} does not lock, people are coming in and sleeping on the stairs.',
    ],
  },
  'Housing association repairs': {
    subjects: ['Housing association not doing repairs', 'Repairs ignored by housing association', 'Complaint about housing association'],
    details: [
      'My housing association has ignored my repair requests for {months} months. The kitchen window does not shut and it is freezing.',
      'I have complained to my housing association about the leak in my kitchen but they keep closing the job without fixing it.',
      'Our communal hallway on {street} has had no lighting for {weeks} weeks and the housing association say it is not urgent.',
    ],
  },
  'Damp & mould': {
    subjects: ['Black mould in my flat', 'Damp and mould affecting my children', 'Mould problem not being dealt with'],
    details: [
      'There is black mould in the bedrooms of my flat at {num} {street}. My son has asthma and it is getting worse.',
      'The damp in my flat is so bad that our clothes and mattresses are ruined. The landlord says to open the windows.',
      'Mould keeps coming back in the bathroom and bedroom. They painted over it but it was back within {weeks} weeks.',
      'Condensation runs down the walls every morning and the mould is spreading. I have photos going back {months} months.',
    ],
  },
  Homelessness: {
    subjects: ['Facing eviction, need help', 'Facing homelessness', 'Urgent housing help needed', 'Housing emergency'],
    details: [
      'I have received a Section 21 notice and have to leave my home in {weeks} weeks. I have two children and nowhere to go.',
      'My family has been in one room of temporary accommodation for {months} months. We have to share a kitchen with five other families.',
      'I am sofa surfing with friends after my relationship broke down. The council told me I am not priority.',
      'My landlord is selling the house and we have been told to leave. I have been on the housing list for years.',
    ],
  },
  'Housing allocation': {
    subjects: ['Housing register banding', 'Rehousing request', 'Housing register query'],
    details: [
      'We are a family of five living in a one bedroom flat. We have been on the housing register for {n} years and our band has not changed.',
      'I need a ground floor property because of my disability but my medical assessment was refused.',
      'Could you find out where I am on the transfer list? I have not heard anything {since}.',
    ],
  },
  Noise: {
    subjects: ['Noise from neighbours', 'Noise nuisance on {street}', 'Noise complaint', 'Constant noise'],
    details: [
      'The neighbours at {street} play loud music until 3 or 4 in the morning most nights. I have young children who cannot sleep.',
      'Building works on {street} start at 7am including Saturdays and Sundays.',
      'The dog next door barks all day while the owners are at work. It has been going on {since}.',
      'There is a car wash on {street} that plays music all day and the jet washers are very loud.',
    ],
  },
  'Anti-social behaviour': {
    subjects: ['Anti-social behaviour near {place}', 'Anti-social behaviour on {street}', 'Problems on the estate'],
    details: [
      'Groups of youths gather by {place} on {street} every evening, shouting and smoking. Residents feel intimidated.',
      'There is drug dealing going on openly in the car park on {street}. Cars come and go all night.',
      'Kids on motorbikes are riding at speed across {park} and along the pavement on {street}.',
      'People are using the stairwell in our block on {street} as a toilet and leaving needles.',
    ],
  },
  'Pest control': {
    subjects: ['Pest problem at {num} {street}', 'Infestation, need pest control', 'Pests in the block'],
    details: [
      'We have rats in the back gardens on {street}. I think they are coming from the bin store.',
      'Mice in my kitchen at {num} {street}, we have tried everything. Is there a pest control service?',
      'Cockroaches throughout our block on {street}. Treating one flat does not work, the whole block needs doing.',
    ],
  },
  'Bonfires & smoke': {
    subjects: ['Smoke nuisance on {street}', 'Burning rubbish', 'Bonfire smoke'],
    details: [
      'Someone on {street} burns rubbish in their garden every weekend. The smoke comes straight into our house.',
      'The builders on {street} are burning waste on site {when}, thick black smoke.',
    ],
  },
  'Council tax': {
    subjects: ['Council tax problem', 'Query about my council tax bill', 'Council tax help needed'],
    details: [
      'I have been charged council tax for a property I moved out of {months} months ago.',
      'I have received a letter from enforcement agents about council tax arrears. I am on a payment plan and have paid every month.',
      'My single person discount was removed without explanation and now I owe over £400.',
    ],
  },
  'Housing benefit': {
    subjects: ['Housing benefit problem', 'Help with housing benefit', 'Housing benefit query'],
    details: [
      'My housing benefit was stopped {weeks} weeks ago and I do not know why. My landlord is threatening to evict me.',
      'I have received a letter saying I owe £{n},000 in overpaid housing benefit. I always reported my changes.',
      'I applied for a discretionary housing payment {months} months ago and have not heard back.',
    ],
  },
  'Blue badge': {
    subjects: ['Blue badge application', 'Blue badge problem'],
    details: [
      'My mother applied for a blue badge {months} months ago and we have heard nothing.',
      'My blue badge application was refused even though I cannot walk more than a few metres.',
    ],
  },
  'Immigration & visas': {
    subjects: ['Home Office delay', 'Immigration case, please help', 'Visa application delay', 'Waiting for Home Office decision'],
    details: [
      'I applied for further leave to remain {months} months ago and have still not had a decision. My job is at risk. Home Office reference {refno}.',
      'My wife applied for a spouse visa {months} months ago. We have had no updates and the service standard has passed.',
      'My biometric residence permit has not arrived and I cannot start my new job without it.',
      'My father is seriously ill abroad and I need my passport back from the Home Office so I can travel.',
    ],
  },
  'Universal Credit': {
    subjects: ['Universal Credit problem', 'Help with Universal Credit', 'Universal Credit payment'],
    details: [
      'My Universal Credit payment was stopped without warning {weeks} weeks ago. I have no money for food or electricity.',
      'I was sanctioned for missing an appointment that I was never told about.',
      'I have been waiting {weeks} weeks for a decision on my Universal Credit claim and I am in rent arrears.',
      'My Universal Credit has been reduced because of a deduction I do not understand.',
    ],
  },
  'HMRC & tax': {
    subjects: ['HMRC delay', 'Problem with HMRC'],
    details: [
      'HMRC owe me a tax refund and I have been waiting {months} months. I have called many times.',
      'My child benefit was stopped and I have had to send the same documents {n} times.',
    ],
  },
  Passports: {
    subjects: ['Passport application delayed', 'Urgent passport for travel'],
    details: [
      'I applied for my son\'s passport {weeks} weeks ago and we travel next month.',
      'Passport application stuck. They have had our documents for {weeks} weeks and we need to travel for a family funeral.',
    ],
  },
  'NHS services': {
    subjects: ['NHS waiting time', 'Problem with NHS services', 'Delay in NHS treatment'],
    details: [
      'My husband has been waiting {months} months for a hip operation and is in constant pain.',
      'I cannot get registered with any GP near {street}, they all say they are full.',
      'My daughter was referred to mental health services {months} months ago and has not been seen.',
    ],
  },
};

// Email-style greetings end in a blank line; the rest run on into the message.
export const OPENERS = [
  'Hi,\n\n', 'Hello,\n\n', 'Hi there,\n\n', 'Dear Councillor,\n\n', 'Good morning,\n\n', 'To whom it may concern,\n\n',
  'Dear Sir or Madam,\n\n', 'Hello, I want to report this. ', 'Not sure who to contact about this. ', 'Hi, sorry to bother you again. ',
  'I am writing to report a problem. ', '', '', '',
] as const;

// An aside about the impact, added after a report's body now and then, by category group.
const SEEN_BEFORE = [
  'This is not the first time.', 'It was reported before and nothing happened.', 'I have attached a photo.',
  'There are photos on the app.', 'Other neighbours have reported it too.',
];
export const IMPACTS: Record<string, string[]> = {
  'Waste & recycling': [
    ...SEEN_BEFORE, 'It is attracting rats.', 'It smells really bad in the warm weather.',
    'It makes the whole area look run down.', 'It is right outside my front door.',
    'We pay our council tax and expect better than this.',
  ],
  'Street cleaning': [
    ...SEEN_BEFORE, 'It makes the whole area look run down.', 'Children walk past here on the way to school.',
    'It is right outside my front door.',
  ],
  'Roads & pavements': [
    ...SEEN_BEFORE, 'It is a real hazard for people with buggies and wheelchairs.', 'Somebody is going to get hurt.',
    'My elderly neighbour is worried about it.', 'Children walk past here on the way to school.',
  ],
  'Parking & vehicles': [...SEEN_BEFORE, 'Parking is hard enough round here as it is.', 'It makes the whole area look run down.'],
  'Parks & green spaces': [...SEEN_BEFORE, 'Lots of families use the park.', 'Somebody is going to get hurt.'],
  'Noise & nuisance': [
    'We are at our wits\' end.', 'It is affecting my sleep and my work.', 'Other neighbours have complained too.',
    'I have kept a diary of the incidents.',
  ],
};

export const CLOSERS = [
  '', '', '', '', ' Thanks.', ' Thank you.', ' Many thanks.', ' Please can someone sort this out.', ' Please help.',
  ' Can you let me know what is happening?', ' This is the third time I have reported this.', ' Please can this be looked at urgently.',
  ' I would be grateful for any help.', ' Thanks in advance.', '\n\nKind regards', '\n\nMany thanks', ' Please could someone come and look.',
] as const;

export const MONTHS = ['two', 'three', 'four', 'five', 'six', 'eight', 'nine', 'eleven'] as const;
export const WEEKS = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight'] as const;
