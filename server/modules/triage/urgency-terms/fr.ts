// French urgency terms. Syntax: ../triage.urgency-terms.ts. Elisions are split by the
// normaliser ("l'eau" is "l eau", "aujourd'hui" is "aujourd hui").
import type { UrgencyTermList } from '../triage.urgency-terms.js';

export const fr: UrgencyTermList = {
  language: 'fr',
  negations: ['ne', 'n', 'pas', 'plus', 'jamais', 'aucun', 'aucune', 'sans', 'non'],
  groups: {
    vulnerable: [
      'personne agee', 'personnes agees', 'agee', 'agees', 'vieille dame', 'vieux monsieur', 'retraite', 'retraitee',
      '7# ans', '8# ans', '9# ans', 'bebe', 'nourrisson', 'nouveau ne', 'enfant', 'enfants', '# mois', '## mois',
      'enceinte', 'handicape', 'handicapee', 'handicap', 'fauteuil roulant', 'oxygene', 'dialyse', 'malade',
      'cancer', 'chimiotherapie', 'demence', 'alzheimer', 'vulnerable', 'fragile', 'grabataire', 'alite', 'alitee',
      'asthme', 'asthmatique', 'hypothermie',
    ],
    soon: [
      'ce soir', 'aujourd hui', 'demain', 'cette nuit', 'maintenant', 'tout de suite', 'immediatement',
      'dans quelques heures', 'huissier*', 'ce matin', 'cet apres midi',
    ],
    landlord: ['proprietaire', 'bailleur', 'bailleuse', 'logeur', 'proprio', 'agence immobiliere', 'gerant'],
  },
  rules: [
    {
      kind: 'threat_to_life', severity: 'safeguarding', terms: [
        'va me tuer', 'vais te tuer', 'va te tuer', 'va nous tuer', 'vais le tuer', 'vais la tuer', 'veut me tuer',
        'veut nous tuer', 'menace* de mort', 'menace de me tuer', 'menace de nous tuer', 'menace de le tuer',
        'menace de la tuer', 'avec un couteau', 'coup de couteau', 'coups de couteau', 'arme a feu', 'pistolet',
        'poignarde', 'poignardee', 'fusillade', 'tire sur', 'm a agresse', 'm a agressee', 'nous a agresses',
        'ma vie est en danger', 'je suis en danger', 'peur pour ma vie', 'crains pour ma vie', 'ne respire plus',
        'inconscient', 'inconsciente', 'enlevement', 'assassin*', 'meurtre',
      ],
    },
    {
      kind: 'self_harm', severity: 'safeguarding', terms: [
        'suicid*', 'me suicider', 'je vais me tuer', 'je veux me tuer', 'envie de me tuer', 'mettre fin a mes jours',
        'en finir avec la vie', 'veux en finir', 'envie de mourir', 'je veux mourir', 'plus envie de vivre',
        'me faire du mal', 'automutilation', 'scarifi*', 'overdose', 'surdose', 'me jeter du pont',
        'me jeter par la fenetre', 'me jeter sous un train',
      ],
    },
    {
      kind: 'abuse', severity: 'safeguarding', terms: [
        'violence* conjugal*', 'violence* domestique*', 'violences faites aux femmes', 'maltrait*',
        'abus sexuel*', 'agression sexuelle', 'agressee sexuellement', 'un viol', 'm a violee', 'a ete violee',
        'il me frappe', 'elle me frappe', 'me frappe', 'nous frappe', 'frappe ~ enfant*', 'bat ~ enfant*',
        'battre ~ enfant*', 'me bat', 'peur de mon mari', 'peur de mon conjoint', 'peur de mon compagnon',
        'peur de mon ex', 'enfants laisses seuls', 'enfant seul', 'bebe seul', 'traite des etres humains',
        'esclavage moderne', 'mariage force', 'excision',
      ],
    },
    {
      kind: 'gas_or_fire', severity: 'urgent', terms: [
        'fuite de gaz', 'odeur de gaz', 'sent le gaz', 'monoxyde de carbone', 'monoxyde', 'incendie', 'au feu',
        'en feu', 'feu dans ~ appartement', 'feu dans ~ maison', 'feu dans ~ cuisine', 'feu dans ~ immeuble',
        'prend feu', 'pris feu', 'en flammes', 'beaucoup de fumee', 'pleine de fumee', 'plein de fumee',
        'fumee sort', 'de la fumee sort',
      ],
    },
    {
      kind: 'flooding', severity: 'urgent', terms: [
        'appartement ~ inonde', 'maison ~ inondee', 'logement ~ inonde', 'cuisine ~ inondee',
        'inondation dans ~ appartement', 'inondation dans ~ maison', 'inondation dans ~ logement',
        'eau coule du plafond', 'eau coule par le plafond', 'fuite d eau ~ plafond', 'eau ~ entre dans ~ appartement',
        'eau ~ entre dans ~ maison', 'eaux usees dans ~ appartement', 'eaux usees dans ~ maison',
      ],
    },
    {
      kind: 'electrical', severity: 'urgent', terms: [
        'fils denudes', 'fil denude', 'fils electriques a nu', 'cables a nu', 'fils a nu', 'etincelles',
        'electrocut*', 'decharge electrique',
      ],
    },
    {
      kind: 'dangerous_structure', severity: 'urgent', terms: [
        'plafond ~ effondre', 'plafond s est effondre', 'plafond menace de tomber', 'risque d effondrement',
      ],
    },
    {
      kind: 'no_heat_or_water_vulnerable', severity: 'urgent', requires: ['vulnerable'], terms: [
        'pas de chauffage', 'sans chauffage', 'chauffage ~ ne marche pas', 'chauffage ~ ne fonctionne pas',
        'chauffage ~ en panne', 'chaudiere ~ en panne', 'chaudiere ~ ne marche pas', 'chaudiere ~ ne fonctionne pas',
        'pas d eau chaude', 'sans eau chaude', 'pas d eau', 'sans eau', 'coupure d eau', 'eau coupee',
        'pas d electricite', 'sans electricite', 'coupure d electricite', 'coupure de courant', 'pas de courant',
        'il fait tres froid dans ~ appartement', 'il fait tres froid dans ~ maison', 'on gele',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['soon'], terms: [
        'expuls*', 'mis a la porte', 'mettre a la porte', 'etre a la rue', 'sera a la rue', 'serons a la rue',
        'serai a la rue', 'retrouver a la rue', 'etre sans abri', 'serons sans abri', 'serai sans abri',
        'nulle part ou dormir', 'pas d endroit ou dormir', 'dormir dehors', 'dormir dans la rue',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['landlord'], terms: [
        'change la serrure', 'change les serrures', 'changer les serrures', 'changer la serrure',
      ],
    },
  ],
};
