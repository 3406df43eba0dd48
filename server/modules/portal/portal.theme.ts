// The office's colour on the portal: the text drawn on it is white or black, whichever
// contrasts more (WCAG 2 relative luminance), so the header keeps AA contrast for any colour.
export const DEFAULT_PRIMARY = '#1d3557';
// Black, not a softer near-black: only black and white between them reach 4.5:1 on every colour.
export const DARK_TEXT = '#000000';
export const LIGHT_TEXT = '#ffffff';

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The brand colour (a #rrggbb, else the default) and the text colour to use on it. */
export function themeOf(primaryColor: string | undefined): { brand: string; onBrand: string } {
  const brand = primaryColor && /^#[0-9a-fA-F]{6}$/.test(primaryColor) ? primaryColor.toLowerCase() : DEFAULT_PRIMARY;
  return { brand, onBrand: contrastRatio(brand, LIGHT_TEXT) >= contrastRatio(brand, DARK_TEXT) ? LIGHT_TEXT : DARK_TEXT };
}
