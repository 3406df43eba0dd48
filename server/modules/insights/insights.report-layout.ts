// Page layout for the weekly report's PDF on pdf-lib: text lines, tables that continue on the
// next page with their header repeated, and a bar chart drawn with rectangles. Every string
// goes through pdf.ts's printable(), so text the standard fonts cannot encode shows as "?"
// instead of failing the whole report.
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { A4, printable, type Fonts } from '../../platform/pdf.js';

export type Column = { label: string; width: number; align?: 'left' | 'right' };

const INK = rgb(0, 0, 0);
const RULE = rgb(0.6, 0.6, 0.6);
const BAR = rgb(0.04, 0.31, 0.61);
const ROW = 13;

export class ReportLayout {
  private page: PDFPage;
  private y: number;
  readonly width = A4.width - 2 * A4.margin;

  constructor(private readonly doc: PDFDocument, readonly fonts: Fonts) {
    this.page = doc.addPage([A4.width, A4.height]);
    this.y = A4.height - A4.margin;
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = A4.height - A4.margin;
  }

  /** Starts a new page unless `height` points are left on this one. */
  ensure(height: number): void {
    if (this.y - height < A4.margin) this.newPage();
  }

  space(points: number): void {
    this.y -= points;
  }

  /** The text cut to `width` points, ending in "..." when it had to be cut. */
  fit(text: string, font: PDFFont, size: number, width: number): string {
    let s = printable(font, text).replace(/\n/g, ' ');
    if (font.widthOfTextAtSize(s, size) <= width) return s;
    while (s.length > 1 && font.widthOfTextAtSize(`${s}...`, size) > width) s = s.slice(0, -1);
    return `${s}...`;
  }

  line(text: string, opts: { size?: number; bold?: boolean; indent?: number } = {}): void {
    const size = opts.size ?? 9;
    const font = opts.bold ? this.fonts.bold : this.fonts.regular;
    const indent = opts.indent ?? 0;
    this.ensure(size + 4);
    this.page.drawText(this.fit(text, font, size, this.width - indent), { x: A4.margin + indent, y: this.y - size, size, font, color: INK });
    this.y -= size + 4;
  }

  heading(text: string): void {
    this.ensure(14 + 6 + 3 * ROW); // never a heading alone at the foot of a page
    this.space(6);
    this.line(text, { size: 13, bold: true });
    this.space(2);
  }

  private row(columns: Column[], cells: string[], font: PDFFont): void {
    let x = A4.margin;
    columns.forEach((col, i) => {
      const text = this.fit(cells[i] ?? '', font, 8, col.width - 4);
      const at = col.align === 'right' ? x + col.width - 4 - font.widthOfTextAtSize(text, 8) : x;
      this.page.drawText(text, { x: at, y: this.y - 9, size: 8, font, color: INK });
      x += col.width;
    });
    this.y -= ROW;
  }

  private header(columns: Column[]): void {
    this.row(columns, columns.map((c) => c.label), this.fonts.bold);
    this.page.drawLine({ start: { x: A4.margin, y: this.y + 2 }, end: { x: A4.margin + this.width, y: this.y + 2 }, thickness: 0.5, color: RULE });
  }

  /** A table; on a new page its header is repeated. An empty table says so in words. */
  table(columns: Column[], rows: string[][], empty = 'Nothing to show.'): void {
    this.ensure(2 * ROW);
    this.header(columns);
    if (rows.length === 0) this.row(columns, [empty], this.fonts.regular);
    for (const r of rows) {
      if (this.y - ROW < A4.margin) {
        this.newPage();
        this.header(columns);
      }
      this.row(columns, r, this.fonts.regular);
    }
    this.space(4);
  }

  /** Vertical bars of `values` with a label under every `labelEvery`-th bar and the largest value on the axis. */
  barChart(values: { label: string; value: number }[], caption: string): void {
    const height = 110;
    this.ensure(height + 40);
    const max = Math.max(1, ...values.map((v) => v.value));
    const left = A4.margin + 30;
    const plotWidth = this.width - 30;
    const base = this.y - height;
    const step = values.length ? plotWidth / values.length : plotWidth;
    const small = this.fonts.regular;
    this.page.drawText(String(max), { x: A4.margin, y: this.y - 7, size: 7, font: small, color: INK });
    this.page.drawText('0', { x: A4.margin, y: base, size: 7, font: small, color: INK });
    this.page.drawLine({ start: { x: left, y: base }, end: { x: left + plotWidth, y: base }, thickness: 0.5, color: RULE });
    const labelEvery = Math.max(1, Math.ceil(values.length / 12));
    values.forEach((v, i) => {
      const h = (v.value / max) * (height - 10);
      if (h > 0) this.page.drawRectangle({ x: left + i * step + step * 0.15, y: base, width: Math.max(0.5, step * 0.7), height: h, color: BAR });
      if (i % labelEvery === 0) this.page.drawText(this.fit(v.label, small, 6, step * labelEvery), { x: left + i * step, y: base - 9, size: 6, font: small, color: INK });
    });
    this.y = base - 14;
    this.line(caption, { size: 8 });
  }
}
