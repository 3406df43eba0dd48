// Polish urgency terms. Syntax: ../triage.urgency-terms.ts. Folded: "ł" is "l", "ż" "z",
// "ę" "e" ("życie" is "zycie"). Stems (word*) cover the case endings. Not "pali się"
// alone: "światło się pali" is a street light left on.
import type { UrgencyTermList } from '../triage.urgency-terms.js';

export const pl: UrgencyTermList = {
  language: 'pl',
  negations: ['nie', 'brak', 'nigdy', 'bez', 'zaden', 'zadnego'],
  groups: {
    vulnerable: [
      'starsz*', 'emeryt*', 'senior*', 'staruszk*', 'niemowl*', 'noworod*', 'dziecko', 'dzieci', 'dzieckiem',
      'dziecka', 'malym dzieckiem', '# miesi*', '## miesi*', '7# lat', '8# lat', '9# lat', 'ciezarn*', 'w ciazy',
      'niepelnospraw*', 'wozek inwalidzki', 'wozku inwalidzkim', 'inwalid*', 'tlen', 'tlenu', 'koncentrator tlenu',
      'dializ*', 'chory', 'chora', 'chorzy', 'chorego', 'chorej', 'choroba', 'chorobe', 'nowotwor*',
      'chemioterapi*', 'demencj*', 'alzheimer*', 'obloznie chor*', 'astm*', 'hipotermi*',
    ],
    soon: [
      'dzisiaj', 'dzis', 'jutro', 'tej nocy', 'dzis w nocy', 'wieczorem', 'natychmiast', 'za kilka godzin',
      'komornik*',
    ],
    landlord: ['wlasciciel*', 'wynajmujac*', 'administrator*', 'spoldzielni*'],
  },
  rules: [
    {
      kind: 'threat_to_life', severity: 'safeguarding', terms: [
        'mnie zabije', 'zabije mnie', 'zabije cie', 'cie zabije', 'nas zabije', 'zabije nas', 'go zabije',
        'ja zabije', 'zabic mnie', 'zabic nas', 'zabic go', 'zabic ja', 'zabic cie', 'grozb* ~ smierci*',
        'grozi* ~ smiercia', 'grozil mi', 'grozila mi', 'grozi mi', 'grozi nam', 'grozil nam', 'z nozem',
        'z bronia', 'pistolet*', 'dzgniet*', 'postrzel*', 'strzelanin*', 'pobil mnie', 'pobila mnie',
        'zaatakowal mnie', 'zaatakowala mnie', 'moje zycie jest w niebezpieczenstwie',
        'boje sie o swoje zycie', 'boje sie o zycie', 'nie oddycha', 'nieprzytomn*', 'morderstw*',
      ],
    },
    {
      kind: 'self_harm', severity: 'safeguarding', terms: [
        'samobojst*', 'samobojcz*', 'zabic sie', 'zabije sie', 'odebrac sobie zycie', 'skonczyc ze soba',
        'skoncze ze soba', 'nie chce zyc', 'chce umrzec', 'samookalecz*', 'okaleczam sie', 'tne sie',
        'przedawkowa*', 'rzuce sie pod pociag', 'skocze z mostu',
      ],
    },
    {
      kind: 'abuse', severity: 'safeguarding', terms: [
        'przemoc domowa', 'przemoc w rodzinie', 'przemocy domowej', 'przemocy w rodzinie', 'znecan*', 'zneca sie',
        'znecal sie', 'molestowan*', 'wykorzystywan* seksualn*', 'gwalt*', 'zgwalc*', 'bije mnie', 'bil mnie',
        'bije ~ dziec*', 'bil ~ dziec*', 'boje sie mojego meza', 'boje sie meza', 'boje sie partnera',
        'dzieci same w domu', 'dziecko samo w domu', 'zaniedbywan* ~ dziec*', 'handel ludzmi', 'praca przymusowa',
        'niewolnictw*', 'malzenstwo przymusowe',
      ],
    },
    {
      kind: 'gas_or_fire', severity: 'urgent', terms: [
        'wyciek gazu', 'ulatnia sie gaz', 'ulatniajacy sie gaz', 'zapach* gazu', 'czuc gaz', 'czuc gazem',
        'smierdzi gazem', 'tlenek wegla', 'zatrucie czadem', 'czujnik czadu', 'pozar*', 'pali sie mieszkanie',
        'pali sie dom', 'pali sie budynek', 'pali sie kuchnia', 'ogien w ~ mieszkaniu', 'ogien w ~ domu',
        'ogien w ~ kuchni', 'w plomieniach', 'dym z ~ mieszkania', 'dym z ~ okna', 'pelno dymu',
      ],
    },
    {
      kind: 'flooding', severity: 'urgent', terms: [
        'zalewa ~ mieszkanie', 'zalalo ~ mieszkanie', 'zalane mieszkanie', 'mieszkanie ~ zalane',
        'woda ~ leci z sufitu', 'woda ~ cieknie z sufitu', 'kapie z sufitu', 'woda ~ wlewa sie do ~ mieszkania',
        'woda ~ wlewa sie do ~ domu', 'zalana kuchnia', 'scieki w ~ mieszkaniu', 'scieki w ~ domu',
      ],
    },
    {
      kind: 'electrical', severity: 'urgent', terms: [
        'odsloniete przewody', 'gole przewody', 'przewody ~ na wierzchu', 'iskrzy', 'iskrzenie',
        'porazenie pradem', 'porazil* ~ prad*', 'kopnal prad',
      ],
    },
    {
      kind: 'dangerous_structure', severity: 'urgent', terms: [
        'sufit sie zawalil', 'zawalil sie sufit', 'sufit ~ zawala sie', 'grozi zawaleniem',
      ],
    },
    {
      kind: 'no_heat_or_water_vulnerable', severity: 'urgent', requires: ['vulnerable'], terms: [
        'brak ogrzewania', 'bez ogrzewania', 'nie ma ogrzewania', 'ogrzewanie ~ nie dziala', 'kaloryfery ~ zimne',
        'piec ~ nie dziala', 'piec ~ zepsut*', 'zepsuty piec', 'brak cieplej wody', 'nie ma cieplej wody',
        'bez cieplej wody', 'brak wody', 'nie ma wody', 'bez wody', 'odcieli wode', 'odcieto wode', 'brak pradu',
        'nie ma pradu', 'bez pradu', 'odcieli prad', 'brak gazu', 'odcieli gaz', 'zimno w mieszkaniu',
        'lodowato w mieszkaniu', 'marzniemy',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['soon'], terms: [
        'eksmisj*', 'eksmitu*', 'eksmitowa*', 'wyrzuca nas', 'wyrzucaja nas', 'wyrzuci nas', 'wyrzuca mnie',
        'wyrzucaja mnie', 'na bruk', 'zostaniemy na ulicy', 'zostane na ulicy', 'bez dachu nad glowa', 'bede bezdomn*',
        'bedziemy bezdomni', 'zostaniemy bezdomni', 'zostane bezdomn*',
        'nie mamy gdzie spac', 'nie mam gdzie spac',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['landlord'], terms: [
        'wymienil zamki', 'wymienil zamek', 'zmienil zamki', 'zmienil zamek', 'wymieniono zamki',
      ],
    },
  ],
};
