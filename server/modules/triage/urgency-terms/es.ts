// Spanish urgency terms (Spain and Latin America). Syntax: ../triage.urgency-terms.ts.
// Accents are folded: "calefacción" is written "calefaccion", "años" "anos".
import type { UrgencyTermList } from '../triage.urgency-terms.js';

export const es: UrgencyTermList = {
  language: 'es',
  negations: ['no', 'nunca', 'ni', 'sin', 'ningun', 'ninguna'],
  groups: {
    vulnerable: [
      'anciano', 'anciana', 'persona mayor', 'personas mayores', 'gente mayor', 'muy mayor', 'jubilado', 'jubilada',
      'pensionista', 'tercera edad', '7# anos', '8# anos', '9# anos', 'bebe', 'recien nacido', 'recien nacida',
      'nino', 'nina', 'ninos', 'ninas', 'hijo pequeno', 'hija pequena', 'hijos pequenos', 'criatura',
      '# meses', '## meses', '# semanas', 'embarazada', 'discapacitado', 'discapacitada', 'discapacidad',
      'minusvalido', 'minusvalida', 'silla de ruedas', 'oxigeno', 'dialisis', 'enfermo', 'enferma', 'enfermedad',
      'cancer', 'quimioterapia', 'demencia', 'alzheimer', 'vulnerable', 'postrado en cama', 'postrada en cama',
      'encamado', 'encamada', 'persona dependiente', 'asma', 'asmatico', 'asmatica', 'hipotermia',
    ],
    soon: [
      'hoy', 'esta noche', 'manana', 'ahora mismo', 'esta tarde', 'en unas horas', 'dentro de unas horas',
      'inmediatamente', 'comision judicial', 'orden de lanzamiento', 'lanzamiento',
    ],
    landlord: [
      'casero', 'casera', 'propietario', 'propietaria', 'dueno del piso', 'duena del piso', 'dueno de la casa',
      'arrendador', 'arrendadora', 'inmobiliaria',
    ],
  },
  rules: [
    {
      kind: 'threat_to_life', severity: 'safeguarding', terms: [
        'me quiere matar', 'nos quiere matar', 'quiere matarme', 'quieren matarme', 'matarte', 'matarlo', 'matarla', 'matarle', 'matarnos', 'matarlos', 'matarlas', 'me va a matar',
        'nos va a matar', 'te voy a matar', 'lo voy a matar', 'la voy a matar', 'les voy a matar',
        'amenaza* de muerte', 'amenazo con matar*', 'amenaza con matar*', 'amenazando con matar*', 'me amenaza*',
        'nos amenaza*', 'me ha amenazado', 'nos ha amenazado', 'con un cuchillo', 'con una navaja',
        'con una pistola', 'con un arma', 'apunalad*', 'acuchillad*', 'le dispararon', 'me dispararon', 'disparos',
        'tiroteo', 'me agredio', 'me ha agredido', 'me han agredido', 'nos agredio', 'una paliza',
        'mi vida corre peligro', 'mi vida esta en peligro', 'temo por mi vida', 'peligro de muerte', 'no respira',
        'inconsciente', 'secuestr*', 'asesin*',
      ],
    },
    {
      kind: 'self_harm', severity: 'safeguarding', terms: [
        'suicid*', 'quitarme la vida', 'me quiero matar', 'quiero matarme', 'voy a matarme', 'me voy a matar',
        'acabar con mi vida', 'no quiero vivir', 'quiero morir*', 'me quiero morir', 'ganas de morir',
        'no tengo razones para vivir', 'mejor muerto', 'mejor muerta', 'autolesion*', 'hacerme dano',
        'cortarme las venas', 'sobredosis', 'tirarme de un puente', 'tirarme por la ventana', 'tirarme del',
      ],
    },
    {
      kind: 'abuse', severity: 'safeguarding', terms: [
        'violencia domestica', 'violencia de genero', 'violencia machista', 'es violento conmigo',
        'es violenta conmigo', 'violencia en casa', 'maltrat*', 'abuso sexual',
        'abusos sexuales', 'abuso infantil', 'abuso de menores', 'abusa de', 'abusan de', 'abusando de',
        'me violo', 'me han violado', 'me ha violado', 'violacion sexual', 'agresion sexual', 'agredida sexualmente',
        'agredido sexualmente', 'me pega', 'me pegan', 'nos pega', 'pega a ~ ninos', 'pega a ~ hijos',
        'pegando a ~ ninos', 'golpea a ~ ninos', 'me golpea', 'me golpeo', 'tengo miedo de mi marido',
        'tengo miedo de mi pareja', 'tengo miedo de mi novio', 'tengo miedo de mi ex', 'miedo a mi marido',
        'miedo a mi pareja', 'abandono de menores', 'ninos solos', 'nino solo', 'bebe solo', 'explotacion sexual',
        'trata de personas', 'trata de seres humanos', 'esclavitud', 'matrimonio forzado', 'mutilacion genital',
      ],
    },
    {
      kind: 'welfare_concern', severity: 'safeguarding', terms: [
        'hace dias que no lo vemos', 'hace dias que no la vemos', 'no lo vemos desde hace',
        'no la vemos desde hace', 'nadie la ha visto', 'nadie lo ha visto', 'preocupados por su bienestar',
        'se ha caido y no puede levantarse', 'tirado en el suelo', 'tirada en el suelo',
      ],
    },
    {
      kind: 'gas_or_fire', severity: 'urgent', terms: [
        'fuga de gas', 'escape de gas', 'huele a gas', 'olor a gas', 'oler a gas', 'olor de gas', 'perdida de gas',
        'monoxido de carbono', 'monoxido', 'incendio', 'fuego en ~ casa', 'fuego en ~ piso', 'fuego en ~ edificio',
        'fuego en ~ cocina', 'esta ardiendo', 'se esta quemando', 'en llamas', 'sale humo', 'saliendo humo',
        'mucho humo', 'lleno de humo', 'llena de humo',
      ],
    },
    {
      kind: 'flooding', severity: 'urgent', terms: [
        'se inunda ~ casa', 'se inunda ~ piso', 'se inunda ~ vivienda', 'inundacion en ~ casa',
        'inundacion en ~ piso', 'inundacion en ~ vivienda', 'inundacion en ~ cocina', 'casa inundada',
        'piso inundado', 'vivienda inundada', 'cocina inundada', 'entra agua en ~ casa', 'entra agua en ~ piso',
        'esta entrando agua', 'cae agua del techo', 'sale agua del techo', 'agua por el techo',
        'aguas residuales en ~ casa', 'aguas fecales en ~ casa', 'aguas fecales en ~ piso',
      ],
    },
    {
      kind: 'electrical', severity: 'urgent', terms: [
        'cables pelados', 'cable pelado', 'cables expuestos', 'cables al descubierto', 'echa chispas',
        'saltan chispas', 'chispazos', 'descarga electrica', 'electrocut*',
      ],
    },
    {
      kind: 'dangerous_structure', severity: 'urgent', terms: [
        'se ha caido el techo', 'se cayo el techo', 'se ha hundido el techo', 'techo ~ derrumb*',
        'se esta derrumbando', 'a punto de derrumbarse',
      ],
    },
    {
      kind: 'no_heat_or_water_vulnerable', severity: 'urgent', requires: ['vulnerable'], terms: [
        'sin calefaccion', 'no hay calefaccion', 'no tenemos calefaccion', 'no tengo calefaccion',
        'calefaccion ~ no funciona', 'calefaccion rota', 'calefaccion averiada', 'calefaccion estropeada',
        'caldera ~ no funciona', 'caldera rota', 'caldera averiada', 'caldera estropeada', 'sin agua caliente',
        'no hay agua caliente', 'no tenemos agua caliente', 'sin agua', 'no hay agua', 'no tenemos agua',
        'cortado el agua', 'cortaron el agua', 'corte de agua', 'sin luz', 'no hay luz', 'no tenemos luz',
        'sin electricidad', 'corte de luz', 'cortado la luz', 'cortaron la luz', 'sin gas', 'cortado el gas',
        'la casa esta helada', 'el piso esta helado', 'mucho frio en casa', 'pasando frio',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['soon'], terms: [
        // Not a bare "nos echan": "nos echan la basura" is rubbish thrown at the door.
        'desahuci*', 'desaloj*', 'nos echan de casa', 'nos echan del piso', 'me echan de casa', 'me echan del piso',
        'nos van a echar de', 'me van a echar de', 'nos quieren echar', 'nos echa de casa',
        'sin hogar', 'quedarnos en la calle', 'quedarme en la calle', 'nos quedamos en la calle',
        'me quedo en la calle', 'dormir en la calle', 'no tenemos donde dormir', 'no tengo donde dormir',
        'sin techo', 'sin casa',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['landlord'], terms: [
        'cambiado la cerradura', 'cambiado las cerraduras', 'cambio la cerradura', 'cambio las cerraduras',
      ],
    },
  ],
};
