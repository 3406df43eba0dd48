// Portuguese urgency terms (Portugal and Brazil). Syntax: ../triage.urgency-terms.ts.
// Hyphenated pronouns are split by the normaliser ("matar-me" is "matar me").
import type { UrgencyTermList } from '../triage.urgency-terms.js';

export const pt: UrgencyTermList = {
  language: 'pt',
  negations: ['nao', 'nunca', 'sem', 'nem', 'nenhum', 'nenhuma'],
  groups: {
    vulnerable: [
      'idoso', 'idosa', 'pessoa idosa', 'reformado', 'reformada', 'aposentado', 'aposentada', '7# anos', '8# anos',
      '9# anos', 'bebe', 'recem nascido', 'recem nascida', 'crianca', 'criancas', 'filho pequeno', 'filha pequena',
      '# meses', '## meses', 'gravida', 'deficiente', 'deficiencia', 'cadeira de rodas', 'oxigenio', 'dialise',
      'doente', 'cancro', 'cancer', 'quimioterapia', 'demencia', 'alzheimer', 'vulneravel', 'acamado', 'acamada',
      'asma', 'hipotermia',
    ],
    soon: [
      'hoje', 'esta noite', 'hoje a noite', 'amanha', 'agora mesmo', 'imediatamente', 'esta tarde',
      'daqui a umas horas', 'oficial de justica', 'agente de execucao',
    ],
    landlord: ['senhorio', 'senhoria', 'proprietario', 'proprietaria', 'dono da casa', 'imobiliaria'],
  },
  rules: [
    {
      kind: 'threat_to_life', severity: 'safeguarding', terms: [
        'vai matar me', 'vai me matar', 'vai nos matar', 'vai matar nos', 'vou te matar', 'vou matar te',
        'vou mata lo', 'vou mata la', 'ameaca* de morte', 'ameacou ~ matar', 'ameacando ~ matar', 'ameaca ~ matar',
        'com uma faca', 'com uma arma', 'com uma pistola', 'esfaquead*', 'facada', 'tiroteio', 'levou um tiro',
        'deram lhe um tiro', 'agrediu me', 'me agrediu', 'a minha vida esta em perigo', 'minha vida esta em perigo',
        'temo pela minha vida', 'medo pela minha vida', 'nao respira', 'inconsciente', 'sequestr*', 'assassin*',
      ],
    },
    {
      kind: 'self_harm', severity: 'safeguarding', terms: [
        'suicid*', 'vou matar me', 'quero matar me', 'vou me matar', 'quero me matar', 'tirar a minha vida',
        'tirar a propria vida', 'acabar com a minha vida', 'acabar com tudo', 'nao quero viver', 'quero morrer',
        'vontade de morrer', 'automutila*', 'me cortar', 'cortar me', 'fazer mal a mim mesmo',
        'fazer mal a mim mesma', 'overdose', 'atirar me da ponte', 'atirar me',
      ],
    },
    {
      kind: 'abuse', severity: 'safeguarding', terms: [
        'violencia domestica', 'violencia de genero', 'maus tratos', 'maltrat*', 'abuso sexual', 'abusos sexuais',
        'abuso infantil', 'abuso de menores', 'fui violada', 'foi violada', 'violacao sexual', 'agressao sexual',
        'bate me', 'me bate', 'bate nas criancas', 'bate ~ criancas', 'bater ~ criancas', 'tenho medo do meu marido',
        'tenho medo do meu companheiro', 'tenho medo do meu namorado', 'tenho medo do meu ex', 'criancas sozinhas',
        'crianca sozinha', 'bebe sozinho', 'trafico de pessoas', 'trafico humano', 'escravatura',
        'trabalho escravo', 'casamento forcado', 'mutilacao genital',
      ],
    },
    {
      kind: 'gas_or_fire', severity: 'urgent', terms: [
        'fuga de gas', 'cheiro a gas', 'cheira a gas', 'cheiro de gas', 'vazamento de gas', 'monoxido de carbono',
        'monoxido', 'incendio', 'fogo em ~ casa', 'fogo na ~ casa', 'fogo na ~ cozinha', 'fogo no ~ apartamento',
        'fogo no ~ predio', 'esta a arder', 'pegou fogo', 'em chamas', 'muito fumo', 'cheia de fumo',
        'cheio de fumo', 'muita fumaca',
      ],
    },
    {
      kind: 'flooding', severity: 'urgent', terms: [
        'casa ~ inundada', 'apartamento ~ inundado', 'cozinha ~ inundada', 'inundacao em ~ casa',
        'inundacao no ~ apartamento', 'entra agua em ~ casa', 'a entrar agua', 'agua a entrar em casa',
        'cai agua do teto', 'agua pelo teto', 'agua a cair do teto', 'esgoto ~ dentro de casa', 'esgoto em casa',
      ],
    },
    {
      kind: 'electrical', severity: 'urgent', terms: [
        'fios descarnados', 'fio descarnado', 'fios expostos', 'fio exposto', 'fios a descoberto', 'faiscas',
        'choque eletrico', 'choque electrico', 'eletrocut*', 'electrocut*',
      ],
    },
    {
      kind: 'dangerous_structure', severity: 'urgent', terms: [
        'o teto caiu', 'teto ~ desabou', 'tecto ~ desabou', 'o tecto caiu', 'prestes a desabar', 'risco de desabamento',
      ],
    },
    {
      kind: 'no_heat_or_water_vulnerable', severity: 'urgent', requires: ['vulnerable'], terms: [
        'sem aquecimento', 'nao ha aquecimento', 'nao temos aquecimento', 'aquecimento ~ nao funciona',
        'aquecimento avariado', 'caldeira ~ nao funciona', 'caldeira avariada', 'esquentador avariado',
        'sem agua quente', 'nao ha agua quente', 'nao temos agua quente', 'sem agua', 'nao ha agua',
        'nao temos agua', 'cortaram a agua', 'corte de agua', 'sem luz', 'nao ha luz', 'sem eletricidade',
        'sem electricidade', 'cortaram a luz', 'corte de luz', 'sem gas', 'cortaram o gas', 'casa gelada',
        'muito frio em casa',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['soon'], terms: [
        // Not a bare "despej*": "despejar lixo" is dumping rubbish.
        'ordem de despejo', 'acao de despejo', 'aviso de despejo', 'ser despejados', 'ser despejado',
        'ser despejada', 'fomos despejados', 'despejar nos', 'despejar me', 'expuls*', 'vamos ficar na rua', 'vou ficar na rua', 'ficar sem casa', 'sem abrigo',
        'sem teto', 'sem tecto', 'sem casa', 'dormir na rua', 'nao temos onde dormir', 'nao tenho onde dormir',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['landlord'], terms: [
        'mudou a fechadura', 'mudou as fechaduras', 'trocou a fechadura', 'trocou as fechaduras',
      ],
    },
  ],
};
