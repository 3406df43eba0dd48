import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.js';
import { cliRunner } from '../../../test/cli.js';

// Each call is a real `civitas` process on its own embedded database in a temporary DATA_DIR.
const { dir: dataDir, civitas } = cliRunner('civitas-geo-cli-');

const wards = path.join(projectRoot, 'server/modules/geo/fixtures/lewisham-wards-2022.geojson');

describe('civitas geo', { timeout: 300_000 }, () => {
  it('imports wards and a register, recomputes, and refuses bad files with exit code 2', async () => {
    expect((await civitas(['geo', 'import-boundaries', '--help'])).out).toMatch(/--code-property <name>/);
    expect((await civitas(['office', 'create', '--slug', 'lewisham', '--name', 'Lewisham'])).code).toBe(0);

    const missing = await civitas(['geo', 'import-boundaries', wards, '--office', 'lewisham']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/required option '--layer <layer>' not specified/);

    const ok = await civitas(['geo', 'import-boundaries', wards, '--layer', 'ward', '--office', 'lewisham']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/layer ward: 19 boundaries \(19 new, 0 changed, 0 unchanged\), 0 removed/);
    expect(ok.out).toMatch(/areas recomputed for 0 addresses/);

    const bad = path.join(dataDir, 'bad.geojson');
    const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    fs.writeFileSync(bad, JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { code: 'B' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } },
        { type: 'Feature', properties: { code: 'C' }, geometry: { type: 'Point', coordinates: [0, 0] } },
      ],
    }));
    const refused = await civitas(['geo', 'import-boundaries', bad, '--layer', 'ward', '--office', 'lewisham']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/features\.1\.geometry: ring 0 crosses itself/);
    expect(refused.err).toMatch(/features\.2\.geometry: must be a Polygon or MultiPolygon, not Point/);
    fs.writeFileSync(bad, '{"type": "FeatureCollection", ');
    expect((await civitas(['geo', 'import-boundaries', bad, '--layer', 'ward', '--office', 'lewisham'])).err).toMatch(/is not valid JSON/);

    const csv = path.join(dataDir, 'register.csv');
    fs.writeFileSync(csv, 'uprn,address_1,postcode,latitude,longitude\n1,1 Catford Road,SE6 4RU,51.445,-0.02\n2,2 Catford Road,SE6 4RU,91,-0.02\n');
    const reg = await civitas(['geo', 'import-register', csv, '--office', 'lewisham']);
    expect(reg.code, reg.err).toBe(0);
    expect(reg.out).toMatch(/register: 2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected/);
    expect(reg.err).toMatch(/row 3, lat: 91 is outside the world/);

    const again = await civitas(['geo', 'import-boundaries', wards, '--layer', 'ward', '--office', 'lewisham', '--no-recompute']);
    expect(again.out).toMatch(/19 unchanged/);
    const recompute = await civitas(['geo', 'recompute', '--office', 'lewisham']);
    expect(recompute.code, recompute.err).toBe(0);
    expect(recompute.out).toMatch(/areas recomputed for 0 addresses/);
  });
});
