// The incident map (Leaflet 1.9.4): the live track with direction arrows, the current position with its
// accuracy circle, the age of the last fix (green / amber / red, staleness.ts), speed, follow mode and a
// replay slider over the whole track. The basemap works with no network: the UK and Ireland from Natural
// Earth, built into basemap-uk.json by scripts/build-console.mjs; a tile server is layered on top when the
// deployment has one (TECSOS_TILES).
import L from 'leaflet';
import type { TrackPoint } from '../protocol/schemas/index.js';
import { accuracyText, radius95 } from './accuracy.js';
import { h } from './dom.js';
import { ageSeconds, bearing, clock, speed, timeOfDay } from './format.js';
import { staleness } from './staleness.js';
import { SPOKEN_KEEP_MS } from './status-age.js';

/** At most this many direction arrows are drawn (the newest first), so a long track stays fast. */
const MAX_ARROWS = 200;
/**
 * Arrows closer than this on screen (px, the arrow itself is 18) are left out: a 200-fix track drew 199 arrows
 * a few pixels apart, a solid blue band that hid the line and the direction it should show. Thinned by screen
 * distance, not every Nth fix, so that zooming in brings the left-out arrows back.
 */
const ARROW_GAP_PX = 48;
/** The newest direction's arrow sits this far ahead of the position dot (radius 9 + its white edge 3), along the course. */
const NEWEST_AHEAD_PX = 24;
/**
 * Below this speed (knots, about 1 km/h; walking is 2.5 and more) a fix has no direction: a GPS receiver standing
 * still reports a course of 0 or its last one, and the map drew her newest arrow due north of a victim standing in
 * one place (make demo, 25 Nov), as if she were heading that way.
 */
const STILL_KNOTS = 0.5;
/**
 * Two fixes further apart in time than this (ms) are not joined as a walk: a tracking handset reports every 30 s
 * (10 s moving fast), so this is four reports missing: GPS lost in a building or a tunnel, no coverage, the handset
 * off (in `make demo`, a simulated handset restarted at its route's start). The line between them is dashed and
 * lighter, with no direction arrow: drawn solid with an arrow, a call handler read it as the way she went.
 */
const GAP_MS = 2 * 60_000;
const UK_BOUNDS = L.latLngBounds([49.8, -10.8], [60.9, 2.0]);
/**
 * The console's own changes of view are not animated: Leaflet ignores a change of zoom asked for while a zoom
 * animation runs, so the whole-UK view of an empty map, animated at start-up, swallowed the fit to the track
 * that came a frame later (a console opened on a log with a track showed her as a dot on the UK).
 */
const STILL = { animate: false } as const;

export class MapView {
  readonly element: HTMLElement;
  private readonly map: L.Map;
  private readonly trackLine: L.Polyline;
  /** The track's gaps (GAP_MS): each a dashed, lighter line from the fix before to the fix after. */
  private readonly gapLine: L.Polyline;
  private readonly arrows: L.LayerGroup;
  private readonly accuracy: L.Circle;
  private readonly position: L.CircleMarker;
  private readonly info: HTMLElement;
  /** The polite live region: the fix line when its staleness changes (first fix, ageing, stale, fresh again). */
  private readonly spoken: HTMLElement;
  /** The staleness last shown live for this track (null: a new track, not said yet). */
  private stage: 'none' | 'fresh' | 'ageing' | 'stale' | 'ended' | null = null;
  /**
   * Whether the track is live (its handset meant to be reporting): the age of its last fix is an alarm only then.
   * A closed incident, or one whose tracking stopped, turned amber and then red as if reports were missing.
   */
  private live = true;
  /** When `spoken` was given its text (the browser's clock), while it has one: it goes SPOKEN_KEEP_MS after. */
  private spokenAt: number | null = null;
  private readonly slider: HTMLInputElement;
  private readonly followBox: HTMLInputElement;
  private points: readonly TrackPoint[] = [];
  /** The part of the track drawn (all of it, or up to the replayed fix): its arrows are thinned again on zoom. */
  private shown: readonly TrackPoint[] = [];
  private key: string | null = null;
  /** How many points the last draw had. */
  private shownCount = 0;
  /** null: live (the newest fix); otherwise the replayed index. */
  private replayIndex: number | null = null;

  /** `now`: the gateway's clock as the console estimates it (ms); `tilesAttribution`: the tile server's credit (text). */
  constructor(tiles: string | null, private readonly now: () => number, tilesAttribution?: string) {
    const mapEl = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': 'Map of the caller\'s position and track' });
    // Not a live region: its age changes every second, and a screen reader read each change out (a polite region
    // re-read every second while she talked to the caller). What is news goes to `spoken` (updateInfo).
    this.info = h('div', { class: 'fix-info', id: 'fix-info' });
    this.spoken = h('div', { class: 'sr-only', id: 'fix-announce', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.followBox = h('input', { type: 'checkbox', id: 'follow', checked: true });
    this.slider = h('input', { type: 'range', id: 'replay', min: 0, max: 0, value: 0, 'aria-label': 'Replay the track: fix number' });
    this.followBox.addEventListener('change', () => this.draw());
    const liveBtn = h('button', { type: 'button', id: 'replay-live', onclick: () => this.goLive() }, 'Live');
    this.slider.addEventListener('input', () => {
      const i = Number(this.slider.value);
      this.replayIndex = i >= this.points.length - 1 ? null : i;
      this.draw();
      this.updateInfo(this.now());
    });
    this.element = h('section', { class: 'map-panel', 'aria-label': 'Location' },
      this.info,
      this.spoken,
      mapEl,
      h('div', { class: 'map-controls' },
        h('label', { for: 'follow' }, this.followBox, ' Follow (F)'),
        h('label', { for: 'replay', class: 'replay-label' }, 'Replay'),
        this.slider,
        liveBtn,
      ),
    );
    this.map = L.map(mapEl, { preferCanvas: true, zoomControl: true, attributionControl: true, maxBounds: undefined });
    this.map.fitBounds(UK_BOUNDS, STILL);
    this.map.attributionControl.setPrefix('Leaflet');
    L.control.scale({ metric: true, imperial: true }).addTo(this.map);
    void this.loadBasemap();
    // Leaflet shows an attribution as HTML: the deployment's credit is text, so it is escaped.
    const credit = tilesAttribution === undefined ? 'Map tiles: deployment tile server' : escapeHtml(tilesAttribution);
    if (tiles !== null) L.tileLayer(tiles, { maxZoom: 19, attribution: credit }).addTo(this.map);
    this.trackLine = L.polyline([], { color: '#1d4ed8', weight: 4, opacity: 0.9 }).addTo(this.map);
    this.gapLine = L.polyline([], { color: '#1d4ed8', weight: 3, opacity: 0.6, dashArray: '8 8', lineCap: 'butt' }).addTo(this.map);
    this.arrows = L.layerGroup().addTo(this.map);
    this.map.on('zoomend', () => this.drawArrows());
    this.accuracy = L.circle([0, 0], { radius: 1, color: '#b91c1c', weight: 2, fillOpacity: 0.12 });
    this.position = L.circleMarker([0, 0], { radius: 9, color: '#fff', weight: 3, fillColor: '#b91c1c', fillOpacity: 1 });
  }

  private async loadBasemap(): Promise<void> {
    try {
      const r = await fetch('basemap-uk.json');
      const geo = (await r.json()) as GeoJSON.FeatureCollection;
      const layer = L.geoJSON(geo, { style: { color: '#475569', weight: 1, fillColor: '#e2e8f0', fillOpacity: 1 }, interactive: false });
      layer.addTo(this.map);
      layer.bringToBack();
      this.map.attributionControl.addAttribution('Basemap: Natural Earth (offline)');
    } catch {
      this.map.attributionControl.addAttribution('Basemap unavailable');
    }
  }

  /** Leaflet needs to know when its container became visible or changed size. */
  resize(): void {
    this.map.invalidateSize();
    if (this.points.length === 0) this.map.fitBounds(UK_BOUNDS, STILL);
  }

  toggleFollow(): void {
    this.followBox.checked = !this.followBox.checked;
    this.draw();
  }

  goLive(): void {
    this.replayIndex = null;
    this.slider.value = this.slider.max;
    this.draw();
    this.updateInfo(this.now());
  }

  /**
   * Shows a track (oldest first); `key` names whose it is, so a new incident resets replay. `live`: its handset is
   * meant to be reporting (an open incident, tracking): false shows the fix's age without the staleness colours.
   */
  show(key: string | null, points: readonly TrackPoint[], nowMs: number, live = true): void {
    this.live = live;
    // The state grows its track arrays in place: compare counts, not arrays.
    const changed = key !== this.key;
    const grew = points.length !== this.shownCount;
    const first = this.shownCount === 0 && points.length > 0;
    this.shownCount = points.length;
    this.key = key;
    this.points = points;
    if (changed) {
      this.replayIndex = null;
      this.stage = null;
      this.spoken.textContent = '';
      this.spokenAt = null;
    }
    this.slider.max = String(Math.max(0, points.length - 1));
    if (this.replayIndex === null) this.slider.value = this.slider.max;
    if (changed || grew) this.draw(changed || first);
    this.updateInfo(nowMs);
  }

  /** Redraws the age line only (called every second). */
  updateInfo(nowMs: number): void {
    // Read out long since: gone, or a screen reader user reading the page later heard "Last fix 0:00 ago" as now.
    if (this.spokenAt !== null && Date.now() - this.spokenAt >= SPOKEN_KEEP_MS) {
      this.spokenAt = null;
      this.spoken.textContent = '';
    }
    const i = this.replayIndex ?? this.points.length - 1;
    const p = this.points[i];
    this.element.dataset['points'] = String(this.points.length);
    if (p === undefined) {
      this.info.className = 'fix-info none';
      this.info.textContent = 'No position received yet';
      this.element.dataset['staleness'] = 'none';
      this.stage = 'none';
      return;
    }
    const age = ageSeconds(p.fixTime, nowMs);
    const valid = p.gpsStatus !== 'invalid';
    const s = this.replayIndex !== null ? 'replay' : this.live ? staleness(age, valid) : 'ended';
    this.element.dataset['staleness'] = s;
    this.info.className = `fix-info ${s}`;
    const acc = accuracyText(p);
    const src = p.source === 'aml' ? `AML (${p.amlMethod ?? '?'})` : valid ? 'GPS' : 'GPS, no current fix (last known)';
    const label = this.replayIndex !== null ? `Replay ${i + 1}/${this.points.length}` : this.live ? 'Last fix' : 'Not tracking: last fix';
    const staleWord = s === 'stale' ? 'STALE: ' : s === 'ageing' ? 'Ageing: ' : '';
    const prev = this.points[i - 1];
    const gap = prev !== undefined && isGap(prev, p) ? `, after a gap of ${Math.round(gapMs(prev, p) / 60_000)} min` : '';
    this.info.textContent = `${staleWord}${label} ${clock(age)} ago (${timeOfDay(p.fixTime)}), ${acc}, ${speed(p.speedKnots)}, ${src}${gap}`;
    if (s === 'replay' || s === this.stage) return;
    // A track that ended is not news of its own: the console says the tracking stopped or the incident closed.
    if (s === 'ended') {
      this.stage = s;
      return;
    }
    // Said when it changes on the track she is on: her first fix, a fix gone ageing or stale, a fresh one after.
    if (this.stage !== null) {
      this.spoken.textContent = `${this.stage === 'none' ? 'First position: ' : s === 'fresh' ? 'Position updated: ' : ''}${this.info.textContent}`;
      this.spokenAt = Date.now();
    }
    this.stage = s;
  }

  private draw(fit = false): void {
    const upTo = this.replayIndex ?? this.points.length - 1;
    const shown = this.points.slice(0, upTo + 1);
    this.shown = shown;
    const latlngs = shown.map((p) => L.latLng(p.lat, p.lon));
    // The walk in stretches broken at each gap; the gaps on a line of their own.
    const runs: L.LatLng[][] = [];
    const gaps: L.LatLng[][] = [];
    shown.forEach((p, i) => {
      const prev = shown[i - 1];
      const at = latlngs[i] as L.LatLng;
      if (prev === undefined || isGap(prev, p)) {
        if (prev !== undefined) gaps.push([latlngs[i - 1] as L.LatLng, at]);
        runs.push([at]);
      } else (runs[runs.length - 1] as L.LatLng[]).push(at);
    });
    this.trackLine.setLatLngs(runs);
    this.gapLine.setLatLngs(gaps);
    this.element.dataset['drawn'] = String(latlngs.length);
    const last = shown[shown.length - 1];
    if (last === undefined) {
      this.accuracy.remove();
      this.position.remove();
      if (fit) this.map.fitBounds(UK_BOUNDS, STILL);
      this.drawArrows();
      return;
    }
    const at = L.latLng(last.lat, last.lon);
    this.position.setLatLng(at).addTo(this.map);
    const r = radius95(last);
    if (r !== null) this.accuracy.setLatLng(at).setRadius(Math.max(1, r)).addTo(this.map);
    else this.accuracy.remove();
    if (fit && latlngs.length > 1) this.map.fitBounds(L.latLngBounds(latlngs).pad(0.3), { maxZoom: 17, ...STILL });
    else if (fit) this.map.setView(at, 16, STILL);
    else if (this.followBox.checked) this.map.panTo(at);
    // After the fit: the spacing is measured at the zoom the track is seen at.
    this.drawArrows();
  }

  /**
   * The newest direction as an arrow just ahead of the position dot (not on it: the dot must stay in sight),
   * then one arrow per older segment (the GPS course when known, else the bearing between the fixes) at its
   * middle, walking back from the newest: one closer than ARROW_GAP_PX on screen to the dot or to an arrow
   * already placed is left out. The newest is larger and added last (on top).
   */
  private drawArrows(): void {
    this.arrows.clearLayers();
    const shown = this.shown;
    const kept: { at: L.LatLng; deg: number }[] = [];
    // Taken points by grid cell of ARROW_GAP_PX: only the 3x3 cells around a candidate can be too close.
    const cells = new Map<string, L.Point[]>();
    const cellOf = (px: L.Point): [number, number] => [Math.floor(px.x / ARROW_GAP_PX), Math.floor(px.y / ARROW_GAP_PX)];
    const take = (px: L.Point): void => {
      const cell = cellOf(px).join(',');
      cells.set(cell, [...(cells.get(cell) ?? []), px]);
    };
    const near = (px: L.Point): boolean => {
      const [cx, cy] = cellOf(px);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) if ((cells.get(`${cx + dx},${cy + dy}`) ?? []).some((q) => q.distanceTo(px) < ARROW_GAP_PX)) return true;
      }
      return false;
    };
    // null: no direction (she was standing still at b); a fix with no speed (AML) keeps the bearing between fixes,
    // except across a gap (GAP_MS), where the bearing says nothing of the way she went. The receiver's own course
    // at b is hers whatever came before it.
    const course = (a: TrackPoint, b: TrackPoint): number | null =>
      b.speedKnots !== null && b.speedKnots < STILL_KNOTS ? null : (b.courseDeg ?? (isGap(a, b) ? null : bearing(a.lat, a.lon, b.lat, b.lon)));
    const newest = shown[shown.length - 1];
    const before = shown[shown.length - 2];
    const newestDeg = newest !== undefined && before !== undefined ? course(before, newest) : null;
    // The dot is kept clear of arrows even when she stands still (no newest arrow then).
    const dot = newest === undefined ? undefined : this.map.latLngToLayerPoint([newest.lat, newest.lon]);
    if (dot !== undefined) take(dot);
    if (dot !== undefined && newestDeg !== null) {
      const rad = (newestDeg * Math.PI) / 180;
      const head = dot.add(L.point(Math.sin(rad) * NEWEST_AHEAD_PX, -Math.cos(rad) * NEWEST_AHEAD_PX));
      kept.push({ at: this.map.layerPointToLatLng(head), deg: newestDeg });
      take(head);
    }
    for (let i = shown.length - 2; i >= 1 && kept.length < MAX_ARROWS; i--) {
      const a = shown[i - 1] as TrackPoint;
      const b = shown[i] as TrackPoint;
      // A gap's line is not a walk: no arrow on it.
      if (isGap(a, b)) continue;
      const deg = course(a, b);
      if (deg === null) continue;
      const at = L.latLng((a.lat + b.lat) / 2, (a.lon + b.lon) / 2);
      const px = this.map.latLngToLayerPoint(at);
      if (near(px)) continue;
      take(px);
      kept.push({ at, deg });
    }
    for (let k = kept.length - 1; k >= 0; k--) {
      const { at, deg } = kept[k] as { at: L.LatLng; deg: number };
      const top = k === 0 && newestDeg !== null;
      const size = top ? 26 : 18;
      const icon = L.divIcon({ className: top ? 'arrow newest' : 'arrow', html: `<span style="transform: rotate(${Math.round(deg)}deg)">▲</span>`, iconSize: [size, size] });
      L.marker(at, { icon, interactive: false, keyboard: false }).addTo(this.arrows);
    }
    this.element.dataset['arrows'] = String(kept.length);
  }
}

/** How long after `a` the fix `b` was taken (ms; fix times, the track is in fix-time order). */
function gapMs(a: TrackPoint, b: TrackPoint): number {
  return Date.parse(b.fixTime) - Date.parse(a.fixTime);
}

/** Whether nothing came between `a` and `b` for longer than GAP_MS: not a walk from one to the other. */
function isGap(a: TrackPoint, b: TrackPoint): boolean {
  return gapMs(a, b) > GAP_MS;
}

/** Text for a place that takes HTML (Leaflet's attribution control). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
