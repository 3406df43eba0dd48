// English urgency terms. Syntax and rules: ../triage.urgency-terms.ts. Tuned against the
// FixMyStreet Lewisham reports: no bare "fire", "arson" ("potential arson risk" on every
// dumped mattress), "set fire to" (burnt-out cars, after the event), "knife", "danger",
// "neglected" or "lives at risk", which residents use about street hazards and untidy land.
import type { UrgencyTermList } from '../triage.urgency-terms.js';

export const en: UrgencyTermList = {
  language: 'en',
  negations: ['no', 'not', 'never', 'without'],
  groups: {
    vulnerable: [
      'elderly', 'old lady', 'old ladies', 'old man', 'old men', 'old woman', 'old women', 'old people', 'old couple',
      'older person', 'older people', 'pensioner', 'oap', 'aged 7#', 'aged 8#', 'aged 9#',
      '7# year old', '8# year old', '9# year old', '1## year old', '7# years old', '8# years old', '9# years old',
      'is 8#', 'is 9#', 'am 8#', 'am 9#', 'm 8#', 'm 9#', 's 8#', 's 9#', 'in his 8#s', 'in her 8#s', 'in their 8#s', 'in his 9#s', 'in her 9#s', 'in their 9#s',
      'baby', 'babies', 'newborn', 'infant', 'toddler', '# week old', '# weeks old', '# month old', '## month old',
      '# months old', '## months old', '# year old', '# years old', 'child', 'children', 'kids', 'young son',
      'young daughter', 'pregnant', 'disabled', 'disabilit*', 'wheelchair', 'bed bound', 'bedbound', 'bedridden',
      'housebound', 'oxygen', 'dialysis', 'ventilator', 'nebuliser', 'nebulizer', 'medical equipment', 'vulnerable',
      'frail', 'dementia', 'alzheimer*', 'terminally ill', 'terminal illness', 'cancer', 'chemotherapy', 'chemo',
      'heart condition', 'heart failure', 'copd', 'asthma', 'asthmatic', 'epilep*', 'diabetic', 'seriously ill',
      'very ill', 'is ill', 'are ill', 'unwell', 'mobility', 'carer', 'sheltered housing', 'hypothermia',
    ],
    soon: [
      'tonight', 'today', 'tomorrow', 'this evening', 'this afternoon', 'this morning', 'right now', 'as of now',
      'immediately', 'within hours', 'in an hour', 'in a few hours', 'bailiff*', 'enforcement agent*',
      'high court enforcement',
    ],
    landlord: ['landlord', 'landlady', 'letting agent*', 'housing association', 'managing agent*'],
  },
  rules: [
    {
      kind: 'threat_to_life', severity: 'safeguarding', terms: [
        'kill me', 'kill you', 'kill him', 'kill her', 'kill them', 'kill us', 'kill my', 'kill your', 'kill his',
        'kill our', 'threaten* to kill', 'threaten* to hurt', 'going to hurt me', 'going to hurt us', 'threats to kill', 'threat to kill', 'death threat', 'threatened me',
        'threatening me', 'threatened us', 'threatening us', 'threatened my', 'threatening my', 'stabbed', 'stabbing',
        'been shot', 'shots fired', 'gunshot*', 'shooting at', 'been a shooting', 'has a knife', 'had a knife', 'with a knife', 'pulled a knife',
        'knife attack', 'has a gun', 'had a gun', 'with a gun', 'gunman', 'firearm', 'machete', 'attacked me',
        'attacked us', 'attacked my', 'assaulted me', 'assaulted my', 'beat me up', 'beaten up', 'punched me',
        'i am in danger', 'i m in danger', 'we are in danger', 'we re in danger', 'my life is in danger',
        'our lives are in danger', 'fear for my life', 'fear for our lives', 'fear for my safety',
        'scared for my life', 'afraid for my life', 'life threatening', 'not breathing', 'unconscious',
        'unresponsive', 'dead body', 'found a body', 'bomb threat', 'kidnap*', 'abduct*', 'murder*',
      ],
    },
    {
      kind: 'self_harm', severity: 'safeguarding', terms: [
        'suicid*', 'kill myself', 'killing myself', 'kill herself', 'kill himself', 'killed himself',
        'killed herself', 'end my life', 'end my own life', 'ending my life', 'end it all', 'take my own life',
        'take my life', 'taking my own life', 'want to die', 'wanna die', 'wish i was dead', 'wish i were dead',
        'better off dead', 'do not want to live', 'do not want to be alive', 'no reason to live',
        'nothing to live for', 'not worth living', 'self harm*', 'harm myself', 'harming myself', 'hurt myself',
        'hurting myself', 'cut myself', 'cutting myself', 'overdos*', 'hang myself', 'hanging myself',
        'jump off ~ bridge', 'jump in front of ~ train', 'throw myself', 'do not want to be here anymore',
        'can not go on anymore', 'can not go on any more',
      ],
    },
    {
      kind: 'abuse', severity: 'safeguarding', terms: [
        'domestic abuse', 'domestic violence', 'child abuse', 'elder abuse', 'sexual abuse', 'sexually abused',
        'sexual assault', 'sexually assaulted', 'raped', 'rape', 'being abused', 'abusing ~ child*',
        'abusing ~ kids', 'abused ~ child*', 'abusive partner', 'abusive husband', 'abusive wife',
        'abusive boyfriend', 'abusive girlfriend', 'abusive ex', 'abusive relationship', 'violent partner',
        'violent husband', 'violent boyfriend', 'violent ex', 'is violent towards me', 'is violent to me', 'hits me', 'hitting me',
        'beats me', 'beating me', 'hits ~ children', 'hitting ~ children', 'beats ~ children', 'beating ~ children',
        'hits ~ kids', 'hitting ~ kids', 'child neglect', 'neglecting ~ child*', 'neglected ~ child*',
        'neglecting ~ baby', 'children left alone', 'child left alone', 'baby left alone', 'left home alone',
        'coercive control', 'scared of my husband', 'scared of my partner', 'scared of my boyfriend',
        'scared of my ex', 'scared of my wife', 'afraid of my husband', 'afraid of my partner',
        'afraid of my boyfriend', 'afraid of my ex', 'frightened of my husband', 'frightened of my partner',
        'being groomed', 'groomed by', 'child sexual exploitation', 'county lines', 'cuckooing', 'trafficked',
        'human trafficking', 'modern slavery', 'forced marriage', 'fgm', 'female genital mutilation',
        'honour based violence', 'financial abuse', 'safeguarding',
      ],
    },
    {
      kind: 'welfare_concern', severity: 'safeguarding', terms: [
        'welfare check', 'concerned for ~ welfare', 'concern for ~ welfare', 'worried about ~ welfare',
        'has not been seen for', 'have not seen ~ for days', 'have not seen ~ for weeks', 'not seen ~ for days',
        'fallen and can not get up', 'can not get up off the floor',
      ],
    },
    {
      kind: 'gas_or_fire', severity: 'urgent', terms: [
        'gas leak*', 'leaking gas', 'gas ~ leaking', 'whiff ~ gas', 'leak of gas', 'gas escape', 'escaping gas', 'gas escaping',
        'smell* ~ gas', 'gas smell*', 'reek* ~ gas', 'stink* ~ gas', 'carbon monoxide', 'co alarm', 'co detector',
        'monoxide alarm', 'gas alarm', 'gas spill*', 'smoke alarm ~ going off', 'is on fire', 's on fire',
        'are on fire', 'on fire now', 'still on fire', 'currently on fire', 'house on fire', 'flat on fire',
        'building on fire', 'kitchen on fire', 'has caught fire', 'have caught fire', 'just caught fire',
        'catching fire', 'setting fire to', 'house fire', 'flat fire', 'kitchen fire', 'building fire', 'fire in ~ flat',
        'fire in ~ house', 'fire in ~ home', 'fire in ~ building', 'fire in ~ kitchen', 'fire in ~ block',
        'fire in ~ stairwell', 'fire in ~ bin store', 'fire spreading', 'flames coming', 'in flames', 'smoke coming from ~ flat',
        'smoke coming from ~ house', 'smoke coming from ~ building', 'smoke coming from ~ window',
        'smoke coming out of ~ flat', 'smoke coming out of ~ house', 'smoke coming out of ~ window',
        'smoke pouring', 'full of smoke', 'filling with smoke', 'arson attack', 'attempted arson',
      ],
    },
    {
      kind: 'flooding', severity: 'urgent', terms: [
        'water ~ coming through ~ ceiling', 'water ~ pouring through ~ ceiling', 'water ~ leaking through ~ ceiling',
        'water pouring into', 'water pouring in', 'water ~ coming into ~ flat', 'water ~ coming into ~ house',
        'water ~ coming into ~ home', 'water ~ coming into ~ kitchen', 'water ~ coming into ~ bedroom',
        'flooding ~ flat', 'flooding ~ house', 'flooding ~ home', 'flooding ~ kitchen', 'flooding ~ basement',
        'flat ~ flooded', 'house ~ flooded', 'home ~ flooded', 'kitchen ~ flooded', 'bedroom ~ flooded',
        'basement ~ flooded', 'flat ~ flooding', 'house ~ flooding', 'home ~ flooding', 'leaking from upstairs',
        'leak from upstairs', 'leaking from ~ flat above', 'water ~ from ~ flat above', 'flooded flat', 'flooded house', 'flooded home', 'sewage ~ coming into',
        'sewage in ~ flat', 'sewage in ~ house', 'sewage in ~ home', 'sewage in ~ kitchen', 'sewage in ~ bathroom',
      ],
    },
    {
      kind: 'electrical', severity: 'urgent', terms: [
        'exposed wir*', 'live wire', 'live wiring', 'live cable', 'wires ~ exposed', 'wiring ~ exposed',
        'cables ~ exposed', 'exposed cable', 'electrics ~ exposed', 'exposed electrics', 'bare wire', 'sparks coming', 'sparking', 'electric shock',
        'electrocut*', 'smoke from ~ socket', 'burning smell from ~ socket', 'water ~ into ~ electrics',
        'water ~ fuse box', 'water ~ light fitting',
      ],
    },
    {
      kind: 'dangerous_structure', severity: 'urgent', terms: [
        'ceiling ~ collapsed', 'ceiling ~ collapsing', 'ceiling ~ falling down', 'ceiling ~ caved in',
        'collapsed ceiling', 'roof ~ collapsed', 'building ~ collapsing', 'about to collapse', 'danger of collaps*',
        'risk of collaps*',
      ],
    },
    {
      kind: 'no_heat_or_water_vulnerable', severity: 'urgent', requires: ['vulnerable'], terms: [
        'no heating', 'no heat', 'without heating', 'without heat', 'heating ~ not working', 'heating ~ broken',
        'heating ~ broken down', 'heating ~ failed', 'boiler ~ not working', 'boiler ~ broken', 'boiler ~ broken down',
        'boiler ~ failed', 'boiler packed up', 'no hot water', 'no running water', 'no water', 'without water',
        'water ~ cut off', 'no electricity', 'no power', 'power cut', 'electricity ~ cut off', 'no gas supply',
        'gas ~ cut off', 'flat is freezing', 'house is freezing', 'home is freezing', 'freezing cold in ~ flat',
        'freezing cold in ~ house',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['soon'], terms: [
        // The resident's own situation: not "a homeless man", "rubbish thrown out", "the
        // water has nowhere to go" or "litter on the streets".
        'evict*', 'kicked us out', 'kicked me out', 'kicking us out', 'kicking me out', 'kicked out of ~ flat',
        'kicked out of ~ house', 'kicked out of ~ home', 'thrown us out', 'thrown me out', 'throwing us out',
        'throwing me out', 'thrown out of ~ flat', 'thrown out of ~ house', 'thrown out of ~ home', 'be homeless',
        'made homeless', 'are homeless', 'am homeless', 'm homeless', 're homeless', 'become homeless',
        'becoming homeless', 'left homeless', 'nowhere to sleep', 'nowhere to stay', 'nowhere to live',
        'have nowhere to go', 'got nowhere to go', 'be on the streets', 'end up on the streets', 'be sleeping rough',
        'have to sleep rough', 'sleep on the streets', 'sleeping on the streets', 'sleep in ~ car', 'section 21',
        'possession order', 'notice to quit',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['landlord'], terms: [
        'changed the locks', 'changed my locks', 'changed our locks', 'locked us out', 'locked me out',
      ],
    },
  ],
};
