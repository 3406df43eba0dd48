// Fills for the parts of a stacked bar: each age bucket has its own colour AND its own
// pattern (plain, stripes, dots, hatching, bars), so the parts are told apart without colour.
const FILLS = [
  { color: '#c6dbef', ink: '#08306b', overlay: '' },
  { color: '#9ecae1', ink: '#08306b', overlay: '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke-width="1.5"/>' },
  { color: '#4292c6', ink: '#ffffff', overlay: '<circle cx="2" cy="2" r="1.4" stroke="none"/><circle cx="6" cy="6" r="1.4" stroke="none"/>' },
  { color: '#2171b5', ink: '#ffffff', overlay: '<path d="M0,0 l8,8 M8,0 l-8,8" stroke-width="1.2"/>' },
  { color: '#08306b', ink: '#ffffff', overlay: '<path d="M0,4 h8" stroke-width="2"/>' },
];

/** An SVG <pattern> for part i (an id unique in the document). */
export function patternDef(id: string, i: number): string {
  const f = FILLS[i % FILLS.length]!;
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="${f.color}"/><g stroke="${f.ink}" fill="${f.ink}">${f.overlay}</g></pattern>`;
}

/** <defs> holding the patterns of parts 0..n-1, named prefix-0, prefix-1, … */
export function patternDefs(prefix: string, n: number): string {
  return `<defs>${Array.from({ length: n }, (_, i) => patternDef(`${prefix}-${i}`, i)).join('')}</defs>`;
}

/** Adds the pattern definitions to a chart drawn by Plot. */
export function addPatterns(chart: SVGSVGElement | HTMLElement, prefix: string, n: number): void {
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  svg?.insertAdjacentHTML('afterbegin', patternDefs(prefix, n));
}
