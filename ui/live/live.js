// The curve follows the finger: while a Streamlit slider of this section is dragged (or moved with the keys), swap
// the chart's data for the server's figure at that stop (charts/frames.py encodes them) and redraw with Plotly.react.
// Releasing the slider sends its value to the server as before; the server's rerun then redraws the chart itself.
// Nothing here computes the maths: a value with no stop (off the slider's grid) waits for the server.
// It reads Streamlit's own widgets: a slider's element carries the class st-key-<its key>, its thumbs hold an
// <input type=range> whose value follows the drag, and the chart's element holds Plotly's graph div.

function bytes(text, Kind) {
  const raw = atob(text);
  const buf = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
  return new Kind(buf.buffer);
}

function decoder(track) {
  const slots = track.slots.map((slot) => {
    if (slot.same !== undefined) return null;  // another slot's array: resolved below
    if (slot.each) return { each: slot.each.map((t) => (t === null ? null : bytes(t, Float32Array))) };
    const out = { base: bytes(slot.base, Float32Array), cols: bytes(slot.cols, Uint32Array) };
    if (slot.q === undefined) return Object.assign(out, { values: bytes(slot.values, Float32Array) });
    const q = bytes(slot.q, Int16Array), values = new Float32Array(q.length);  // 16-bit steps of the span
    for (let i = 0; i < q.length; i++) values[i] = q[i] < -32767 ? NaN : slot.lo + (q[i] + 32767) * slot.step;
    return Object.assign(out, { values });
  });
  track.slots.forEach((slot, i) => { if (slot.same !== undefined) slots[i] = slots[slot.same]; });
  const cache = new Map();
  return (stop) => {
    if (cache.has(stop)) return cache.get(stop);
    const frame = track.frames[stop];
    const data = frame.traces.map(([si, fields]) => {
      const trace = Object.assign({}, track.styles[si]);
      for (const [field, v] of Object.entries(fields)) {
        if (v === null || Array.isArray(v)) { trace[field] = v; continue; }
        const slot = slots[v.slot];
        if (slot.each) { trace[field] = slot.each[stop]; continue; }
        const out = Float32Array.from(slot.base);
        const n = slot.cols.length;
        for (let j = 0; j < n; j++) out[slot.cols[j]] = slot.values[stop * n + j];
        trace[field] = out;
      }
      return trace;
    });
    const result = { data, ranges: frame.ranges };
    cache.set(stop, result);
    return result;
  };
}

function stopOf(track, input) {
  const v = parseFloat(input.value);
  if (!Number.isFinite(v)) return -1;
  if (track.index) return Number.isInteger(v) && v >= 0 && v < track.frames.length ? v : -1;  // a select slider
  let best = -1, gap = Infinity;
  track.values.forEach((s, i) => { const d = Math.abs(s - v); if (d < gap) { gap = d; best = i; } });
  return gap <= track.tolerance ? best : -1;
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.host ? parentElement.host.ownerDocument : document;
  const host = parentElement.host || parentElement;
  const box = host.closest ? host.closest('[data-testid="stElementContainer"]') : null;
  if (box) box.style.display = "none";  // draws nothing itself: no gap in the page's column
  const tracks = (data && data.tracks) || [];
  const state = { drawn: null, raf: 0, idle: 0, saved: null, redraws: 0, stops: [], shape: null, last: null,
                  reacts: 0 };
  const decoders = tracks.map(decoder);

  function graph() {
    return root.querySelector(`.st-key-${data.chart} .js-plotly-plot`);
  }
  function inputOf(track) {
    return root.querySelector(`.st-key-${track.slider} input[type=range]`);
  }

  function draw(ti, stop) {
    const gd = graph();
    const Plotly = window.Plotly;
    if (!gd || !Plotly || !gd.layout) return;
    const key = `${ti}:${stop}`;
    if (state.drawn === key) return;
    if (state.saved === null) state.saved = { data: gd.data, layout: gd.layout };
    const frame = decoders[ti](stop);
    const layout = Object.assign({}, state.saved.layout);
    const held = tracks[ti].hold || {};
    for (const [axis, range] of Object.entries(frame.ranges)) {  // the range that shows every stop, where held
      layout[axis] = Object.assign({}, layout[axis], { range: held[axis] || range, autorange: false });
    }
    state.drawn = key;
    // the same traces as the last frame (only their points move): Plotly's animation path redraws the paths and
    // nothing else; traces that come or go (a region appears) need the full Plotly.react
    const moving_axes = Object.keys(frame.ranges).some((axis) => !held[axis]);  // each stop its own range: relayout
    const shape = moving_axes ? null : `${ti}:` + track_styles(ti, stop);
    if (shape !== null && shape === state.shape) {
      // only what differs from the frame on screen: the curves, and a region only where its edges moved
      const last = state.last, raw = tracks[ti].frames[stop].traces;
      const changed = (i) => last === null || JSON.stringify(raw[i]) !== JSON.stringify(last[i]) ||
        Object.values(raw[i][1]).some((v) => v && v.slot !== undefined);
      const moved = frame.data.map((_, i) => i).filter((i) => tracks[ti].moving[i] && changed(i));
      Plotly.animate(gd, { data: moved.map((i) => frame.data[i]), traces: moved },
                     { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" });
    } else {
      Plotly.react(gd, frame.data, layout);
      state.reacts += 1;
      state.shape = shape;
    }
    state.last = tracks[ti].frames[stop].traces;
    state.redraws += 1;
    state.stops.push([tracks[ti].slider, stop]);
  }
  // The x-range: which thumb left the window the server drew, and its stop ([thumb, stop]), or null.
  function thumbsOf(track) {
    const inputs = root.querySelectorAll(`.st-key-${track.slider} input[type=range]`);
    if (inputs.length !== 2) return null;
    for (const [thumb, name] of [[0, "lo"], [1, "hi"]]) {
      const v = parseFloat(inputs[thumb].value);
      if (!Number.isFinite(v) || Math.abs(v - track.at[thumb]) <= track.tolerance) continue;
      const stops = track.values[name];
      let best = -1, gap = Infinity;
      stops.forEach((s, i) => { const d = Math.abs(s - v); if (d < gap) { gap = d; best = i; } });
      const beyond = v < stops[0] || v > stops[stops.length - 1];  // past the narrowest window: its nearest stop
      return gap <= track.tolerance || beyond ? [thumb, best] : null;
    }
    return null;
  }
  // The whole span's figure (sent once) seen through the window the thumbs make: a relayout per stop
  function drawWindow(ti, [thumb, stop]) {
    const gd = graph();
    const Plotly = window.Plotly;
    const track = tracks[ti];
    if (!gd || !Plotly || !gd.layout) return;
    const key = `${ti}:${thumb}:${stop}`;
    if (state.drawn === key) return;
    if (state.saved === null) state.saved = { data: gd.data, layout: gd.layout };
    const name = thumb === 0 ? "lo" : "hi";
    const x = thumb === 0 ? [track.values.lo[stop], track.at[1]] : [track.at[0], track.values.hi[stop]];
    const ranges = Object.assign({}, ...track.xaxes.map((axis) => ({ [axis]: x })), track.ylims[name][stop]);
    if (state.shape !== `window:${ti}`) {
      const layout = Object.assign({}, state.saved.layout);
      for (const [axis, range] of Object.entries(ranges)) {
        layout[axis] = Object.assign({}, layout[axis], { range, autorange: false });
      }
      Plotly.react(gd, decoders[ti](0).data, layout);
      state.reacts += 1;
      state.shape = `window:${ti}`;
    } else {
      const update = {};
      for (const [axis, range] of Object.entries(ranges)) update[`${axis}.range`] = range;
      Plotly.relayout(gd, update);
    }
    state.drawn = key;
    state.last = null;
    state.redraws += 1;
    state.stops.push([track.slider, thumb * 100000 + stop]);
  }
  function track_styles(ti, stop) {
    return tracks[ti].frames[stop].traces.map((t) => t[0]).join(",");
  }
  function restore() {  // back where the server drew it: its own chart (autograd markers and all)
    const gd = graph();
    state.drawn = null;
    state.shape = null;
    state.last = null;
    if (gd && window.Plotly && state.saved) window.Plotly.react(gd, state.saved.data, state.saved.layout);
  }

  function tick() {
    state.raf = 0;
    if (window.__live[data.chart] !== state) { quit(); return; }  // a newer run's instance took over this chart
    // the slider that left the stop the server drew (one moves at a time); none: back to the server's chart
    let moved = -1, where = -1;
    tracks.forEach((track, ti) => {
      if (moved >= 0) return;
      if (track.window) {
        const at = thumbsOf(track);
        if (at !== null) { moved = ti; where = at; }
        return;
      }
      const input = inputOf(track);
      const s = input ? stopOf(track, input) : -1;
      if (s >= 0 && s !== track.at) { moved = ti; where = s; }
    });
    if (moved >= 0 && tracks[moved].window) drawWindow(moved, where);
    else if (moved >= 0) draw(moved, where);
    else if (state.drawn !== null) restore();
    if (performance.now() < state.idle) state.raf = requestAnimationFrame(tick);
  }
  function wake() {  // follow the sliders for a while after every pointer or key event
    state.idle = performance.now() + 1500;
    if (!state.raf) state.raf = requestAnimationFrame(tick);
  }
  const events = ["pointerdown", "pointermove", "keydown", "touchmove"];
  events.forEach((e) => root.addEventListener(e, wake, { passive: true, capture: true }));
  // for the browser tests and the fps bench: what was drawn, stop by stop
  window.__live = window.__live || {};
  window.__live[data.chart] = state;
  function quit() {
    events.forEach((e) => root.removeEventListener(e, wake, { capture: true }));
    if (state.raf) cancelAnimationFrame(state.raf);
    state.raf = 0;
  }
  return quit;
}
