// The case map's summary (table insight_map_cells): located cases counted per grid cell at
// levels 0..MAP_SUMMARY_LEVELS-1, per status, category, ward, team and sensitivity. The grid of
// level k has cells of cellAt(k) degrees anchored at 0,0: the grid the map draws at zoom k (60
// pixels of a 256-pixel tile), and each cell is exactly four of the next level's. A refresh adds
// each changed case's new cells and takes its old ones away (MapCellDeltas); a rebuild makes
// level 16 from the facts and each coarser level from the finer one. Pure.
import type { InsightMapCellsTable } from '../../platform/db/schema.js';
import type { Fact } from './insights.facts.js';

/** Levels 0..16 are summarised; closer views hold few enough cases to read them directly. */
export const MAP_SUMMARY_LEVELS = 17;
/** A cell's width on screen, in pixels of a 256-pixel tile. */
export const CELL_PIXELS = 60;
/** The width of a cell at level k in degrees: a power of two times 84.375, so exact in binary. */
export const cellAt = (level: number) => ((360 * CELL_PIXELS) / 256) / 2 ** level;
/** The level whose cells are `cell` degrees wide (cell = cellAt(level)). */
export const levelOf = (cell: number) => Math.round(Math.log2(((360 * CELL_PIXELS) / 256) / cell));
/** Stands for "none" (no category, ward or team) in a cell's key. */
export const NONE = '00000000-0000-0000-0000-000000000000';

/** A uuid as the two signed 64-bit halves the table stores its XOR in. */
export function idHalves(id: string): [bigint, bigint] {
  const hex = id.replace(/-/g, '');
  return [BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)), BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`))];
}

/** The uuid whose halves these are (a cell of one case: its id). */
export function idOfHalves(hi: bigint, lo: bigint): string {
  const hex = BigInt.asUintN(64, hi).toString(16).padStart(16, '0') + BigInt.asUintN(64, lo).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A row of insight_map_cells without its office; the id halves as exact 64-bit integers. */
export type MapCellRow = Omit<InsightMapCellsTable, 'office_id' | 'id_hi' | 'id_lo'> & { id_hi: bigint; id_lo: bigint };

const SEP = '\u0001';

/** Changes to the cell rows: per cell and key, the count, position sums and id XOR to add. */
export class MapCellDeltas {
  private readonly cells = new Map<string, MapCellRow>();

  /** Adds (sign 1) or takes away (sign -1) a fact's case in every level's cell; unlocated cases are not on the map. */
  apply(f: Fact, sign: 1 | -1): void {
    if (f.lat === null || f.lng === null) return;
    const [hi, lo] = idHalves(f.case_id);
    const key = [f.status, f.category_id ?? NONE, f.ward_id ?? NONE, f.team_id ?? NONE, f.is_sensitive].join(SEP);
    for (let level = 0; level < MAP_SUMMARY_LEVELS; level++) {
      const cell = cellAt(level);
      const cx = Math.floor(f.lng / cell);
      const cy = Math.floor(f.lat / cell);
      const id = `${level}${SEP}${cx}${SEP}${cy}${SEP}${key}`;
      let row = this.cells.get(id);
      if (!row) {
        row = {
          level, cx, cy, status: f.status, category_id: f.category_id ?? NONE, ward_id: f.ward_id ?? NONE, team_id: f.team_id ?? NONE,
          is_sensitive: f.is_sensitive, n: 0, sum_lng: 0, sum_lat: 0, id_hi: 0n, id_lo: 0n,
        };
        this.cells.set(id, row);
      }
      row.n += sign;
      row.sum_lng += sign * f.lng;
      row.sum_lat += sign * f.lat;
      row.id_hi ^= hi;
      row.id_lo ^= lo;
    }
  }

  /** Rows with a change (a case moved out and back in the same batch cancels out). */
  rows(): MapCellRow[] {
    return [...this.cells.values()].filter((r) => r.n !== 0 || r.id_hi !== 0n || r.id_lo !== 0n || r.sum_lng !== 0 || r.sum_lat !== 0);
  }
}
