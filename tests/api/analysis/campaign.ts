/**
 * Plausible consultation feedback for the grouping tests, from a seeded generator: a campaign
 * letter copied with small edits (another signature, typos, punctuation, accents dropped) and
 * distinct comments assembled from varied sentences about different indicators.
 */

/** mulberry32: a small seeded generator, so every run sees the same comments. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  return { next, pick, int: (n: number) => Math.floor(next() * n) };
}

const FIRST = ['María', 'José', 'Ana', 'Luis', 'Carmen', 'Jorge', 'Rosa', 'Pedro', 'Lucía', 'Óscar', 'Elena', 'Raúl', 'Sofía', 'Andrés', 'Inés', 'Julián'];
const LAST = ['Quispe', 'Mamani', 'García', 'López', 'Huamán', 'Pérez', 'Rodríguez', 'Flores', 'Núñez', 'Chávez', 'Gutiérrez', 'Ramírez', 'Sánchez', 'Torres'];
const PLACES = ['Cusco', 'Puno', 'Loja', 'Cuenca', 'León', 'Estelí', 'Tegucigalpa', 'Cobán', 'Santa Ana', 'Santiago', 'Oruro', 'Ayacucho', 'Jinotega', 'Riobamba', 'Huancayo', 'Cajamarca', 'San Miguel', 'Choluteca', 'Quetzaltenango', 'Potosí'];

export const CAMPAIGN_LETTER =
  'Como socias de la cooperativa pedimos que el indicador de retención de prestatarias mujeres se mida por ciclo agrícola y no por año calendario, ' +
  'porque en el campo pagamos después de la cosecha. Medirlo por año castiga a las instituciones que atienden a mujeres rurales y desalienta ' +
  'los productos pensados para nosotras. También pedimos que la desagregación por género incluya a las mujeres que son codeudoras, ' +
  'que hoy no aparecen en ningún reporte. Firmamos esta carta para que la certificación reconozca nuestra realidad.';

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

function typo(text: string, r: ReturnType<typeof seededRandom>): string {
  const i = 10 + r.int(text.length - 20);
  switch (r.int(3)) {
    case 0:
      return text.slice(0, i) + text.slice(i + 1); // a letter dropped
    case 1:
      return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2); // two letters swapped
    default:
      return text.slice(0, i) + text[i] + text.slice(i); // a letter doubled
  }
}

/** One copy of the campaign letter, edited the way people edit what they sign. */
export function campaignComment(r: ReturnType<typeof seededRandom>): string {
  let text = CAMPAIGN_LETTER;
  if (r.next() < 0.5) text = `Estimado grupo de trabajo: ${text}`;
  for (let n = r.int(4); n > 0; n--) text = typo(text, r);
  if (r.next() < 0.4) text = text.replaceAll(',', '');
  if (r.next() < 0.3) text = text.replaceAll('.', '!');
  if (r.next() < 0.4) text = stripAccents(text);
  if (r.next() < 0.2) text = text.toUpperCase();
  if (r.next() < 0.3) text = text.replaceAll(' ', '  ');
  const signature = `${r.pick(FIRST)} ${r.pick(LAST)}${r.next() < 0.5 ? `, ${r.pick(PLACES)}` : ''}`;
  return `${text}\n\n${signature}`;
}

const INDICATORS = [
  { code: 'GEN-01', subject: 'la proporción de nuevas prestatarias mujeres' },
  { code: 'GEN-02', subject: 'el monto promedio de préstamo por mujer' },
  { code: 'GEN-03', subject: 'la retención de prestatarias' },
  { code: 'GEN-04', subject: 'la cartera en riesgo de mujeres' },
  { code: 'GEN-05', subject: 'la presencia de mujeres en el directorio' },
  { code: 'POV-01', subject: 'el uso de una herramienta de evaluación de pobreza' },
  { code: 'POV-02', subject: 'la proporción de clientes bajo la línea de pobreza' },
  { code: 'POV-03', subject: 'la salida de la pobreza en el tiempo' },
  { code: 'POV-04', subject: 'la profundidad del alcance' },
  { code: 'RUR-01', subject: 'la cartera en zonas rurales' },
  { code: 'RUR-02', subject: 'los productos agrícolas ofrecidos' },
  { code: 'RUR-03', subject: 'las agencias y agentes en zonas rurales' },
  { code: 'RUR-04', subject: 'los plazos adaptados al ciclo del cultivo' },
];

const OPENINGS = [
  'Sobre {s} ({c}):', 'En nuestra experiencia con {s},', 'Respecto del indicador {c},', 'Nos preocupa cómo se mide {s}.',
  'El {c} está bien encaminado, pero', 'Para {s} proponemos un cambio.', 'Leímos con atención el {c}.', 'Una duda técnica sobre {s}:',
  'Desde {p} vemos que {s} no refleja la realidad.', 'Apoyamos el {c} en general;', 'El texto de {c} deja abierta una pregunta.',
];
const CONCERNS = [
  'la fórmula no dice si se cuentan los créditos refinanciados', 'el periodo de medición debería ser trimestral y no anual',
  'no queda claro qué evidencia revisará el auditor', 'las instituciones pequeñas no tienen sistemas para reportar este dato',
  'habría que separar clientes urbanos de rurales', 'el umbral de cumplimiento parece demasiado exigente para una red joven',
  'falta definir qué es un cliente activo', 'conviene alinear la definición con la del regulador local',
  'el dato depende de encuestas que cuestan caro en zonas alejadas', 'la unidad de medida debería ser un porcentaje de la cartera bruta',
  'no se considera a los grupos solidarios', 'se mezclan datos de personas y de hogares', 'el indicador premia el tamaño y no la calidad',
  'la fuente de datos debería ser el sistema contable y no una encuesta', 'los niveles de cumplimiento no son comparables entre países',
];
const PROPOSALS = [
  'Sugerimos añadir una nota metodológica con ejemplos.', 'Proponemos medirlo con datos de los últimos doce meses.',
  'Recomendamos un periodo de transición de dos años.', 'Pedimos que se acepte una muestra representativa.',
  'Convendría publicar una plantilla de reporte común.', 'Sería útil un umbral distinto para instituciones rurales.',
  'Podría verificarse con una visita de campo.', 'Proponemos que la red regional valide los datos.',
  'Sugerimos reemplazar el promedio por la mediana.', 'Recomendamos pilotearlo antes de exigirlo.',
  'Que se permita reportar en moneda local y en dólares.', 'Bastaría con una declaración firmada por la gerencia.',
];
const CLOSINGS = [
  'Gracias por la oportunidad de comentar.', 'Quedamos atentos.', 'Podemos compartir nuestros datos de {p}.', 'Saludos cordiales.',
  'Lo discutimos en el comité de desempeño social.', 'Es una opinión de la gerencia de riesgos.', '', '', '',
];

const CONTEXTS = [
  'Somos una cooperativa con {n} socios en {p}', 'Nuestra financiera atiende a {n} clientes desde {p}', 'Trabajamos con {n} grupos solidarios cerca de {p}',
  'La red tiene {n} instituciones afiliadas, la mayor en {p}', 'Como agencia calificadora revisamos {n} informes el año pasado, varios de {p}',
  'El programa de crédito rural llega a {n} comunidades alrededor de {p}', 'Nuestro banco comunal de {p} cerró el año con {n} prestatarias',
  'Desde la oficina de {p} supervisamos {n} agentes corresponsales',
];

/** A distinct comment: an opening about one indicator, who is writing, one or two concerns, a proposal, maybe a closing. */
export function distinctComment(r: ReturnType<typeof seededRandom>): { code: string; body: string } {
  const indicator = r.pick(INDICATORS);
  const fill = (s: string) => s.replaceAll('{s}', indicator.subject).replaceAll('{c}', indicator.code).replaceAll('{p}', r.pick(PLACES));
  const first = r.pick(CONCERNS);
  let second = r.pick(CONCERNS);
  if (second === first) second = '';
  const context = r.pick(CONTEXTS).replace('{n}', String(12 + r.int(4000))).replace('{p}', r.pick(PLACES));
  const parts = [fill(r.pick(OPENINGS)), `${context}.`, `${first}${second && r.next() < 0.6 ? `; además, ${second}` : ''}.`, r.pick(PROPOSALS), fill(r.pick(CLOSINGS))];
  const amount = r.next() < 0.4 ? ` En nuestra cartera son ${100 + r.int(9000)} clientes.` : '';
  return { code: indicator.code, body: parts.filter(Boolean).join(' ') + amount };
}
