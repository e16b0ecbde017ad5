/*! Helpdock loader: <script async src="https://support.example.com/widget.js" data-site="shop"></script>
 * Puts the widget in a shadow root (so host styles and ours never mix), loads its stylesheet,
 * the wasm-bindgen glue and the wasm next to this file, and mounts it. It never throws into the
 * host page: every failure ends as one console warning. ES5 apart from `import()`, which only
 * browsers with WebAssembly need to understand. */
(function () {
  'use strict';
  var doc = document;

  function warn(what, err) {
    try {
      if (window.console && console.warn) console.warn('[helpdock] ' + what, err === undefined ? '' : err);
    } catch (ignored) { /* a console that throws is not our problem */ }
  }

  // document.currentScript is null in some old engines and after the script ran; then the last
  // script named widget.js is ours (an async script is in the DOM when it runs).
  function ownScript() {
    var me = doc.currentScript;
    if (me && me.src) return me;
    var scripts = doc.getElementsByTagName('script');
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(?:[?#]|$)/.test(scripts[i].src || '')) return scripts[i];
    }
    return null;
  }

  function start(base, site) {
    if (doc.getElementById('helpdock')) return; // the tag is on the page twice
    var host = doc.createElement('div');
    host.id = 'helpdock';
    var root = host.attachShadow({ mode: 'open' });
    var css = doc.createElement('link');
    css.rel = 'stylesheet';
    css.href = base + 'helpdock.css';
    var box = doc.createElement('div');
    root.appendChild(css);
    root.appendChild(box);
    // Both downloads start now; nothing shows before the stylesheet applies.
    var styled = new Promise(function (resolve, reject) {
      css.onload = resolve;
      css.onerror = function () { reject(new Error('stylesheet ' + css.href + ' did not load')); };
    });
    var wasm = fetch(base + 'helpdock_widget_bg.wasm');
    wasm['catch'](function () { /* reported through init below */ });
    doc.body.appendChild(host);
    import(base + 'helpdock_widget.js')
      .then(function (glue) {
        return glue['default']({ module_or_path: wasm }).then(function () { return styled; }).then(function () {
          glue.mount(box, base + 'api/', site);
        });
      })['catch'](function (err) {
        warn('the support widget could not start:', err);
        if (host.parentNode) host.parentNode.removeChild(host);
      });
  }

  try {
    var me = ownScript();
    if (!me) return warn('cannot find the URL of widget.js');
    // data-site: which of the proxy's sites this page belongs to (sent as X-Helpdock-Site).
    var site = me.getAttribute('data-site') || undefined;
    if (typeof WebAssembly !== 'object' || typeof Promise !== 'function' || typeof fetch !== 'function' ||
        !doc.documentElement.attachShadow) {
      return warn('this browser cannot show the support widget');
    }
    var base = me.src.replace(/[?#].*$/, '').replace(/[^\/]*$/, '');
    if (doc.body) {
      start(base, site);
    } else {
      doc.addEventListener('DOMContentLoaded', function () {
        try { start(base, site); } catch (err) { warn('the support widget could not start:', err); }
      });
    }
  } catch (err) {
    warn('the support widget could not start:', err);
  }
})();
