// Shared by the charts (chart.js) and the first glance's signal (views/first_glance.py),
// which fetches the bundle early: one promise per page, kept on `window`, so the bundle is
// run once however many charts (and components) ask for it. The address is worked out from
// Streamlit's own main script, which sits at <app>/static/js/, so that a server under a
// path prefix (server.baseUrlPath) works too.
function plotlyAddress(file) {
    const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
    return new URL("../../app/static/" + file, main ? main.src : document.baseURI).href;
}
function preloadPlotly(file) {
    const href = plotlyAddress(file);
    if (document.querySelector(`link[rel="preload"][href="${href}"]`)) return;
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = href;
    document.head.appendChild(link);
}
function loadPlotly(file) {
    if (!window.__recommendationTrackerPlotly) {
        window.__recommendationTrackerPlotly = new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = plotlyAddress(file);
            script.onload = () =>
                window.Plotly ? resolve(window.Plotly) : reject(new Error(file));
            script.onerror = () => {
                window.__recommendationTrackerPlotly = null;  // a later chart tries again
                reject(new Error(file));
            };
            document.head.appendChild(script);
        });
    }
    return window.__recommendationTrackerPlotly;
}
