/*
 * Interactive figures: a chapter's trained decoder runs in the reader's
 * browser. A chapter places <div class="ae-widget" data-widget="NAME"> in a
 * Markdown cell and writes _static/widgets/NAME.js with
 * companion.widgets (weights as float16, a few test digits as bytes). This
 * file loads that data with a <script> tag (which works from a web server
 * and from a saved copy opened as a file alike), then draws the widget.
 * The forward pass below is companion.widgets.decode_exported in
 * JavaScript: dense layers with linear, relu, sigmoid or tanh.
 *
 * Each widget element gets element.autoencoderWidget, the state the
 * browser tests read: the code or weight shown and a decode function.
 */
(function () {
  "use strict";

  const REGISTRY = "autoencoderWidgets";
  const script = document.currentScript;
  const BASE = script
    ? script.src.replace(/widgets\.js(\?.*)?$/, "widgets/")
    : "_static/widgets/";
  // matplotlib's tab10, the colours of the book's scatter plots.
  const COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ];

  // --- data --------------------------------------------------------------

  function bytesOf(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function halfToFloat(bits) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0) return sign * Math.pow(2, -14) * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
  }

  function readArray(entry) {
    const bytes = bytesOf(entry.data);
    const view = new DataView(bytes.buffer);
    if (entry.dtype === "uint8") return bytes;
    if (entry.dtype === "float16") {
      const values = new Float32Array(bytes.length / 2);
      for (let i = 0; i < values.length; i += 1) {
        values[i] = halfToFloat(view.getUint16(2 * i, true));
      }
      return values;
    }
    if (entry.dtype === "float32") {
      const values = new Float32Array(bytes.length / 4);
      for (let i = 0; i < values.length; i += 1) {
        values[i] = view.getFloat32(4 * i, true);
      }
      return values;
    }
    throw new Error("unknown dtype " + entry.dtype);
  }

  const ACTIVATIONS = {
    linear: (x) => x,
    relu: (x) => (x > 0 ? x : 0),
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    tanh: Math.tanh,
  };

  // Dense layers: kernel[i * outputs + j] maps input i to output j.
  function makeDecoder(spec) {
    const layers = spec.layers.map((layer) => ({
      kernel: readArray(layer.kernel),
      bias: readArray(layer.bias),
      inputs: layer.kernel.shape[0],
      outputs: layer.kernel.shape[1],
      activation: ACTIVATIONS[layer.activation],
    }));
    return function decode(code) {
      let values = Float64Array.from(code);
      for (const layer of layers) {
        const next = new Float64Array(layer.outputs);
        for (let j = 0; j < layer.outputs; j += 1) next[j] = layer.bias[j];
        for (let i = 0; i < layer.inputs; i += 1) {
          const value = values[i];
          if (value === 0) continue;
          const row = i * layer.outputs;
          for (let j = 0; j < layer.outputs; j += 1) {
            next[j] += value * layer.kernel[row + j];
          }
        }
        for (let j = 0; j < layer.outputs; j += 1) {
          next[j] = layer.activation(next[j]);
        }
        values = next;
      }
      return values;
    };
  }

  function load(name, done, failed) {
    const loaded = () => (window[REGISTRY] || {})[name];
    if (loaded()) {
      done(loaded());
      return;
    }
    const tag = document.createElement("script");
    tag.src = BASE + name + ".js";
    tag.onload = () => (loaded() ? done(loaded()) : failed());
    tag.onerror = failed;
    document.head.appendChild(tag);
  }

  // --- drawing -----------------------------------------------------------

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  function digitCanvas(side, label) {
    return element("canvas", {
      class: "ae-digit",
      width: side,
      height: side,
      role: "img",
      "aria-label": label,
    });
  }

  // Grey pixels, 0 black and 1 white, as the book's figures draw digits.
  function drawDigit(canvas, values, scale) {
    const context = canvas.getContext("2d");
    const image = context.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < values.length; i += 1) {
      const grey = Math.max(0, Math.min(255, Math.round(values[i] * scale)));
      image.data[4 * i] = grey;
      image.data[4 * i + 1] = grey;
      image.data[4 * i + 2] = grey;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  function panel(canvas, caption) {
    return element("figure", { class: "ae-panel" }, [
      canvas,
      element("figcaption", { text: caption }),
    ]);
  }

  // --- chapter 8: the latent explorer ------------------------------------

  function latentExplorer(root, data) {
    const decode = makeDecoder(data.decoder);
    const codes = readArray(data.codes);
    const labels = readArray(data.labels);
    const images = readArray(data.images);
    const side = data.image_side;
    const pixels = side * side;
    const [xLow, xHigh, yLow, yHigh] = data.extent;
    const count = labels.length;
    const SIZE = 600; // the plane's drawing size; CSS scales it

    const plane = element("canvas", {
      class: "ae-plane",
      width: SIZE,
      height: SIZE,
      tabindex: "0",
      role: "application",
      "aria-roledescription": "latent plane",
      "aria-label":
        "Latent plane of the VAE: drag the point, or use the arrow keys " +
        "(with Shift for larger steps), to choose the code to decode.",
    });
    const decoded = digitCanvas(side, "digit decoded from the chosen code");
    decoded.classList.add("ae-decoded");
    const nearest = digitCanvas(side, "nearest test digit");
    nearest.classList.add("ae-nearest");
    const nearestCaption = element("figcaption", { text: "nearest test digit" });
    const readout = element("p", { class: "ae-readout", "aria-live": "polite" });
    const legend = element(
      "p",
      { class: "ae-legend" },
      COLOURS.map((colour, digit) =>
        element("span", { style: "--ae-colour: " + colour, text: digit })
      )
    );
    root.replaceChildren(
      element("div", { class: "ae-explorer" }, [
        element("div", { class: "ae-plane-box" }, [plane, legend]),
        element("div", { class: "ae-panels" }, [
          panel(decoded, "decoded"),
          element("figure", { class: "ae-panel" }, [nearest, nearestCaption]),
          readout,
        ]),
      ])
    );

    const toX = (z) => ((z - xLow) / (xHigh - xLow)) * SIZE;
    const toY = (z) => ((yHigh - z) / (yHigh - yLow)) * SIZE;
    const fromX = (x) => xLow + (x / SIZE) * (xHigh - xLow);
    const fromY = (y) => yHigh - (y / SIZE) * (yHigh - yLow);

    // The scattered codes are drawn once; each move redraws the marker.
    const points = element("canvas", { width: SIZE, height: SIZE });
    const pointContext = points.getContext("2d");
    // The axes through the origin, the prior's centre, and their names.
    pointContext.strokeStyle = "#bbb";
    pointContext.lineWidth = 2;
    pointContext.beginPath();
    pointContext.moveTo(toX(0), 0);
    pointContext.lineTo(toX(0), SIZE);
    pointContext.moveTo(0, toY(0));
    pointContext.lineTo(SIZE, toY(0));
    pointContext.stroke();
    pointContext.fillStyle = "#555";
    pointContext.font = "26px sans-serif";
    pointContext.textAlign = "right";
    pointContext.fillText("z\u2081", SIZE - 8, toY(0) - 10);
    pointContext.textAlign = "left";
    pointContext.fillText("z\u2082", toX(0) + 10, 30);
    pointContext.globalAlpha = 0.75;
    for (let n = 0; n < count; n += 1) {
      pointContext.fillStyle = COLOURS[labels[n]];
      pointContext.beginPath();
      pointContext.arc(toX(codes[2 * n]), toY(codes[2 * n + 1]), 4, 0, 7);
      pointContext.fill();
    }

    const state = { code: [0, 0], nearest: 0, ready: false };

    function show(code) {
      state.code = [
        Math.min(xHigh, Math.max(xLow, code[0])),
        Math.min(yHigh, Math.max(yLow, code[1])),
      ];
      const [z1, z2] = state.code;
      const context = plane.getContext("2d");
      context.clearRect(0, 0, SIZE, SIZE);
      context.drawImage(points, 0, 0);
      context.lineWidth = 5;
      for (const [colour, radius] of [["#000", 14], ["#fff", 9]]) {
        context.strokeStyle = colour;
        context.beginPath();
        context.arc(toX(z1), toY(z2), radius, 0, 7);
        context.stroke();
      }
      drawDigit(decoded, decode(state.code), 255);
      let best = 0;
      let bestDistance = Infinity;
      for (let n = 0; n < count; n += 1) {
        const distance =
          (codes[2 * n] - z1) ** 2 + (codes[2 * n + 1] - z2) ** 2;
        if (distance < bestDistance) {
          best = n;
          bestDistance = distance;
        }
      }
      state.nearest = best;
      drawDigit(nearest, images.subarray(best * pixels, (best + 1) * pixels), 1);
      nearestCaption.textContent = "nearest test digit: " + labels[best];
      readout.textContent =
        "code (" + z1.toFixed(2) + ", " + z2.toFixed(2) + ")";
    }

    function fromPointer(event) {
      const box = plane.getBoundingClientRect();
      show([
        fromX(((event.clientX - box.left) / box.width) * SIZE),
        fromY(((event.clientY - box.top) / box.height) * SIZE),
      ]);
    }

    let dragging = false;
    plane.addEventListener("pointerdown", (event) => {
      dragging = true;
      plane.setPointerCapture(event.pointerId);
      plane.focus({ preventScroll: true });
      fromPointer(event);
      event.preventDefault();
    });
    plane.addEventListener("pointermove", (event) => {
      if (dragging) fromPointer(event);
    });
    for (const name of ["pointerup", "pointercancel"]) {
      plane.addEventListener(name, () => {
        dragging = false;
      });
    }
    const MOVES = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, 1],
      ArrowDown: [0, -1],
    };
    plane.addEventListener("keydown", (event) => {
      const move = MOVES[event.key];
      if (!move) return;
      const step = (event.shiftKey ? 0.1 : 0.02) * (xHigh - xLow);
      show([state.code[0] + move[0] * step, state.code[1] + move[1] * step]);
      event.preventDefault();
    });

    show([0, 0]);
    state.ready = true;
    root.autoencoderWidget = Object.assign(state, { decode, show });
  }

  // --- chapter 7: the interpolation slider -------------------------------

  const SMALL_ANGLE = 1e-6; // as in companion.latent

  function spherical(start, end, weight) {
    let dot = 0;
    let startNorm = 0;
    let endNorm = 0;
    for (let i = 0; i < start.length; i += 1) {
      dot += start[i] * end[i];
      startNorm += start[i] * start[i];
      endNorm += end[i] * end[i];
    }
    const norms = Math.sqrt(startNorm) * Math.sqrt(endNorm);
    if (norms > 0) {
      const angle = Math.acos(Math.min(1, Math.max(-1, dot / norms)));
      if (SMALL_ANGLE < angle && angle < Math.PI - SMALL_ANGLE) {
        const a = Math.sin((1 - weight) * angle) / Math.sin(angle);
        const b = Math.sin(weight * angle) / Math.sin(angle);
        return start.map((value, i) => a * value + b * end[i]);
      }
    }
    return linear(start, end, weight);
  }

  function linear(start, end, weight) {
    return start.map((value, i) => (1 - weight) * value + weight * end[i]);
  }

  function interpolationSlider(root, data) {
    const decode = makeDecoder(data.decoder);
    const size = data.decoder.code_size;
    const side = data.image_side;
    const pixels = side * side;
    const arrays = {};
    for (const name of [
      "start_codes", "end_codes", "start_images", "end_images",
    ]) {
      arrays[name] = readArray(data[name]);
    }
    const code = (name, pair) =>
      Array.from(arrays[name].subarray(pair * size, (pair + 1) * size));
    const image = (name, pair) =>
      arrays[name].subarray(pair * pixels, (pair + 1) * pixels);
    const STEPS = 20;

    const choice = element(
      "select",
      { class: "ae-pair" },
      data.names.map((name, pair) =>
        element("option", { value: pair, text: name })
      )
    );
    const slider = element("input", {
      class: "ae-weight",
      type: "range",
      min: "0",
      max: String(STEPS),
      step: "1",
      value: String(STEPS / 2),
      "aria-label": "weight of the end digit",
    });
    const shown = element("output", { class: "ae-weight-value" });
    const canvases = {};
    const captions = {
      start: "start",
      crossfade: "cross-fade (pixels)",
      linear: "linear (codes)",
      spherical: "spherical (codes)",
      end: "end",
    };
    for (const [name, caption] of Object.entries(captions)) {
      canvases[name] = digitCanvas(side, caption);
      canvases[name].classList.add("ae-" + name);
    }
    root.replaceChildren(
      element("div", { class: "ae-slider" }, [
        element("p", { class: "ae-controls" }, [
          element("label", { text: "pair " }, [choice]),
          element("label", { text: "weight of the end digit " }, [
            slider,
            shown,
          ]),
        ]),
        element(
          "div",
          { class: "ae-panels" },
          Object.entries(captions).map(([name, caption]) =>
            panel(canvases[name], caption)
          )
        ),
      ])
    );

    const state = { pair: 0, weight: 0.5, ready: false };

    function show() {
      state.pair = Number(choice.value);
      state.weight = Number(slider.value) / STEPS;
      const { pair, weight } = state;
      shown.textContent = weight.toFixed(2);
      const start = code("start_codes", pair);
      const end = code("end_codes", pair);
      const first = image("start_images", pair);
      const last = image("end_images", pair);
      drawDigit(canvases.start, first, 1);
      drawDigit(canvases.end, last, 1);
      drawDigit(
        canvases.crossfade,
        Float64Array.from(
          first,
          (value, i) => (1 - weight) * value + weight * last[i]
        ),
        1
      );
      drawDigit(canvases.linear, decode(linear(start, end, weight)), 255);
      drawDigit(
        canvases.spherical,
        decode(spherical(start, end, weight)),
        255
      );
    }

    choice.addEventListener("change", show);
    slider.addEventListener("input", show);
    show();
    state.ready = true;
    root.autoencoderWidget = Object.assign(state, { decode, show });
  }

  // --- start -------------------------------------------------------------

  const KINDS = {
    "latent-explorer": latentExplorer,
    "interpolation-slider": interpolationSlider,
  };

  function start() {
    for (const root of document.querySelectorAll(".ae-widget")) {
      const name = root.dataset.widget;
      load(
        name,
        (data) => {
          KINDS[data.kind](root, data);
          root.classList.add("ae-ready");
        },
        () => {
          root.classList.add("ae-failed");
        }
      );
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
