// One chart: the figure drawn by plotly.js (loaded by plotly_loader.js) into the page.
const CONFIG = {
    displaylogo: false,
    responsive: false,  // that follows the window only; the ResizeObserver follows the box
    // Never offer to upload a chart to Plotly's cloud (its default in this release): the
    // figure on screen can carry exempt titles, and nothing may go to another host.
    showSendToCloud: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage", "sendChartToCloud"],
};
const NOT_DRAWN =
    "This chart could not be drawn in this browser; the words under it say what it shows.";
const KEYS =
    "To list the recommendations of one bar: the arrow keys choose a bar, Enter lists it.";
const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

// A value as JSON carries it (plotly keeps numbers it was sent packed as typed arrays).
function plain(value) {
    return ArrayBuffer.isView(value) ? Array.from(value) : value ?? null;
}

// The bar the reader chose, as Streamlit's own selection event shaped it.
function pointsOf(event) {
    return event.points.map((point) => ({
        x: point.x,
        y: point.y,
        customdata: plain(point.customdata),
        point_index: point.pointIndex ?? point.pointNumber,
        curve_number: point.curveNumber,
    }));
}

// A bar chosen by the keyboard, shaped as `pointsOf` shapes a click on it.
function pointsAt(box, { curveNumber, pointNumber }) {
    const trace = box._fullData[curveNumber];
    const at = (values) => (values == null ? null : values[pointNumber] ?? null);
    return [{
        x: at(trace.x),
        y: at(trace.y),
        customdata: plain(at(trace.customdata)),
        point_index: pointNumber,
        curve_number: curveNumber,
    }];
}

// Every bar drawn (none of nought), in reading order: top to bottom on a chart of
// horizontal bars, left to right on one of columns, and the parts of a stacked bar in
// the order of its key.
function barsOf(box) {
    const bars = [];
    (box.calcdata || []).forEach((trace, curveNumber) => {
        const full = box._fullData[curveNumber];
        if (!full || full.type !== "bar" || full.visible !== true) return;
        const down = full.orientation === "h" ? -1 : 1;
        trace.forEach((point, pointNumber) => {
            if (point.s) bars.push({ curveNumber, pointNumber, at: down * point.p });
        });
    });
    bars.sort((a, b) => a.at - b.at || a.curveNumber - b.curveNumber);
    return bars.map(({ curveNumber, pointNumber }) => ({ curveNumber, pointNumber }));
}

// What plotly's hover label says, a line at a time, for the screen reader.
function hoverWords(box) {
    return [...box.querySelectorAll(".hoverlayer .hovertext text")]
        .map((text) => {
            const lines = [...text.querySelectorAll("tspan.line")];
            return lines.length ? lines.map((line) => line.textContent).join(", ")
                : text.textContent;
        })
        .join("; ");
}

// Keyboard: a chart whose bars lead to a list takes the focus; the arrow keys move a
// hover label from bar to bar (read out through a live region), Enter or Space lists the
// bar, Escape lets go of it.
function listenToKeys(box, Plotly, spoken) {
    box.addEventListener("keydown", (event) => {
        // Keys pressed on the chart itself only, not on its mode bar's buttons inside it.
        if (event.target !== box || !box.sendSelection) return;
        const step = STEPS[event.key];
        const bars = barsOf(box);
        if (step && bars.length) {
            event.preventDefault();
            const at = box.chosen ?? (step > 0 ? -1 : 0);
            box.chosen = (at + step + bars.length) % bars.length;
            Plotly.Fx.hover(box, [bars[box.chosen]]);  // drawn up to 50 ms later (throttled)
        } else if ((event.key === "Enter" || event.key === " ") && bars[box.chosen]) {
            event.preventDefault();
            box.sendSelection(pointsAt(box, bars[box.chosen]));
        } else if (event.key === "Escape") {
            Plotly.Fx.unhover(box);
            box.chosen = null;
        }
    });
    // Say what the hover label says once it is drawn, while the keyboard is on the chart.
    new MutationObserver(() => {
        if (document.activeElement === box) spoken.textContent = hoverWords(box);
    }).observe(box, { childList: true, subtree: true });
    box.addEventListener("blur", () => {
        Plotly.Fx.unhover(box);
        box.chosen = null;
    });
}

// On a phone a chart of horizontal bars gave its names most of the width (about 100 px
// were left for the bars at 390 px). Narrower than NARROW_PX, each name goes above its bar
// instead, across the whole width, and the chart grows a band per bar to hold it.
const NARROW_PX = 560;
const NARROW_BAND_PX = 46;
const NARROW_BAR_GAP = 0.5;

function namedRows(figure) {
    const names = figure.layout.yaxis && figure.layout.yaxis.categoryarray;
    const rows = figure.data.length > 0
        && figure.data.every((trace) => trace.type === "bar" && trace.orientation === "h");
    return rows && Array.isArray(names) && names.length > 0 ? names : null;
}

function narrowLayout(figure, names) {
    const wide = figure.layout;
    const layout = structuredClone(wide);
    layout.height = wide.margin.t + wide.margin.b + names.length * NARROW_BAND_PX;
    // The title and key are placed from the top of the chart (`yref: "container"`, a share
    // of its height): the same distance from the top at the new height.
    const sameFromTop = (y) => 1 - ((1 - y) * wide.height) / layout.height;
    for (const part of [layout.title, layout.legend]) {
        if (part && part.yref === "container" && typeof part.y === "number") {
            part.y = sameFromTop(part.y);
        }
    }
    layout.margin = { ...wide.margin, l: 8 };
    layout.bargap = NARROW_BAR_GAP;
    layout.yaxis = { ...wide.yaxis, showticklabels: false, automargin: false };
    const above = (NARROW_BAND_PX * (1 - NARROW_BAR_GAP)) / 2;
    layout.annotations = [
        ...(wide.annotations || []),
        ...names.map((name) => ({
            text: name, showarrow: false, align: "left",
            x: 0, xref: "paper", xanchor: "left",
            y: name, yref: "y", yanchor: "bottom", yshift: above,
            font: wide.yaxis.tickfont || {},
            bgcolor: wide.plot_bgcolor || "#ffffff",  // no grid line through the name
        })),
    ];
    return layout;
}

// The layout to draw at `width`, and whether it is the narrow one; `printing` fixes the
// width (the page is laid out for paper only while it prints).
// The names to put above the bars at `width`, or null where the chart keeps its wide form.
function namesAbove(figure, width) {
    return width < NARROW_PX ? namedRows(figure) : null;
}

function layoutAt(figure, width, printing) {
    const names = namesAbove(figure, width);
    const narrow = names !== null;
    // A copy: plotly keeps the layout it is given and changes it as the reader zooms.
    const layout = narrow ? narrowLayout(figure, names) : structuredClone(figure.layout);
    return { narrow, layout: printing ? { ...layout, width } : layout };
}

// Draws the box's figure anew at `width`, noting which form it drew.
function redraw(box, Plotly, width, printing = false) {
    const { narrow, layout } = layoutAt(box.figure, width, printing);
    box.narrow = narrow;
    box.printed = printing;
    return Plotly.react(box, box.figure.data, layout, CONFIG);
}

// Fits the chart to `width`: drawn anew when it changes between its wide and narrow forms
// (or to or from paper), else only resized.
function fit(box, Plotly, width, printing = false) {
    const narrow = namesAbove(box.figure, width) !== null;
    if (printing || box.printed || narrow !== box.narrow) {
        return redraw(box, Plotly, width, printing);
    }
    return Plotly.Plots.resize(box);
}

function boxWidth(box) {
    return parseFloat(getComputedStyle(box).width) || box.clientWidth;
}

// On paper the page is laid out anew (ui/styles.py, PRINT_CSS): each chart is redrawn at
// the width it has there before the page is printed (the browser prints what a handler of
// the print media query leaves), and at its screen width again after.
function followPrinting(Plotly) {
    if (window.__recommendationTrackerPrinting) return;
    window.__recommendationTrackerPrinting = true;
    matchMedia("print").addEventListener("change", (event) => {
        for (const box of document.querySelectorAll(".rt-chart.js-plotly-plot")) {
            const width = boxWidth(box);
            if (width > 0 && box.figure) fit(box, Plotly, width, event.matches);
        }
    });
}

function setUp(parentElement) {
    const box = document.createElement("div");
    box.className = "rt-chart";
    box.style.width = "100%";
    const failed = document.createElement("p");
    failed.className = "rt-chart-failed";
    failed.hidden = true;
    failed.textContent = NOT_DRAWN;
    const keys = document.createElement("span");  // read through aria-describedby only
    keys.hidden = true;
    keys.id = `rt-keys-${Math.random().toString(36).slice(2)}`;
    keys.textContent = KEYS;
    const spoken = document.createElement("span");
    spoken.className = "rt-chart-unseen";
    spoken.setAttribute("aria-live", "polite");
    parentElement.append(box, failed, keys, spoken);
    box.keysHint = keys.id;
    box.failed = failed;
    box.spoken = spoken;
    return box;
}

// What the chart is to assistive technology and the keyboard: a chart whose bars lead to
// a list is a widget of its own that the Tab key reaches, described by the keys to use
// (role "application": a screen reader then passes it the arrow keys and Enter instead of
// keeping them to read the page with); any other a labelled figure (its mode bar's buttons
// stay usable inside it).
function describe(box, data, setTriggerValue) {
    box.setAttribute("aria-label", data.alt);
    if (data.clickable) {
        box.setAttribute("role", "application");
        box.setAttribute("aria-roledescription", "chart");
        box.setAttribute("aria-describedby", box.keysHint);
        box.tabIndex = 0;
        box.sendSelection = (points) => setTriggerValue("selection", { points });
    } else {
        box.setAttribute("role", "figure");
        box.removeAttribute("aria-roledescription");
        box.removeAttribute("aria-describedby");
        box.removeAttribute("tabindex");
        box.sendSelection = null;
    }
}

function watchWidth(box, Plotly) {
    // The page's width changes without the window's (the sidebar opens or closes): the
    // chart follows its own box, once a frame at most.
    let pending = false;
    box.resizeObserver = new ResizeObserver(() => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
            pending = false;
            if (box.isConnected && !box.hidden) fit(box, Plotly, boxWidth(box));
        });
    });
    box.resizeObserver.observe(box);
}

// Streamlit calls this again with new data on a rerun, on the same box; it may run a
// superseded call's cleanup late. Each call is a draw of its own (`box.draw`): only the
// latest one draws, reports a failure, or tears down.
export default function (component) {
    const { data, parentElement, setTriggerValue } = component;
    const box = parentElement.querySelector(".rt-chart") || setUp(parentElement);
    const figure = JSON.parse(data.figure);
    const draw = {};
    box.draw = draw;
    if (box.figureText !== data.figure) {
        box.figureText = data.figure;
        box.chosen = null;  // a bar chosen by keyboard in other data is not this data's bar
    }
    describe(box, data, setTriggerValue);
    box.style.minHeight = (figure.layout.height || 450) + "px";  // no jump when drawn
    loadPlotly(data.code)
        .then((Plotly) => {
            if (box.draw !== draw) return;
            box.hidden = false;
            box.failed.hidden = true;
            box.figure = figure;
            return redraw(box, Plotly, boxWidth(box)).then(() => {
                if (box.draw !== draw || box.listening) return;
                box.listening = true;
                box.on("plotly_click", (event) => {
                    if (box.sendSelection) box.sendSelection(pointsOf(event));
                });
                followPrinting(Plotly);
                if (!box.keysListening) {
                    box.keysListening = true;
                    listenToKeys(box, Plotly, box.spoken);
                }
                watchWidth(box, Plotly);
            });
        })
        .catch(() => {
            if (box.draw !== draw) return;
            box.hidden = true;  // nothing to reach by Tab or to describe
            box.failed.hidden = false;
        });
    return () => {
        if (box.draw !== draw) return;
        box.draw = null;
        if (box.resizeObserver) box.resizeObserver.disconnect();
        box.resizeObserver = null;
        box.listening = false;
        if (window.Plotly) window.Plotly.purge(box);
    };
}
