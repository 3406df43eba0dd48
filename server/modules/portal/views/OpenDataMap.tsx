// The open data page's map: an SVG image (role img, named by its title and described by the
// caption) of the ward outlines and the open public reports; the page's tables are its
// text alternative.
import type { Translator } from '../portal.i18n.js';
import type { OpenMap } from '../portal.open-data.js';

export function OpenDataMap({ t, map, office }: { t: Translator; map: OpenMap; office: string }) {
  const title = t.t('openData.map.title', { count: map.total, office });
  return (
    <figure className="od-map">
      <svg viewBox={`0 0 ${map.width} ${map.height}`} width={map.width} height={map.height} role="img" aria-labelledby="od-map-title" aria-describedby="od-map-caption" preserveAspectRatio="xMidYMid meet">
        <title id="od-map-title">{title}</title>
        <rect x="0" y="0" width={map.width} height={map.height} fill="#ffffff" />
        <g fill="#eef2f5" stroke="#505a5f" strokeWidth="1" strokeLinejoin="round">
          {map.wards.map((w, i) => <path key={i} d={w.path} />)}
        </g>
        <g fill="#b00020" fillOpacity="0.75" stroke="#ffffff" strokeWidth="1">
          {map.marks.map((m, i) => <circle key={i} cx={m.x} cy={m.y} r={m.r} />)}
        </g>
      </svg>
      <figcaption id="od-map-caption">
        {t.t(map.isGrouped ? 'openData.map.descGrouped' : 'openData.map.descPoints')}
        {map.outside > 0 ? <> {t.t('openData.map.outside', { count: map.outside })}</> : null}
      </figcaption>
    </figure>
  );
}
