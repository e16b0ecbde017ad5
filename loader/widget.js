/*! Helpdock loader: <script async src="https://support.example.com/widget.js" data-site="shop"></script>
 * Puts the widget in a shadow root (so host styles and ours never mix), loads its stylesheet,
 * the wasm-bindgen glue and the wasm next to this file, and mounts it. It never throws into the
 * host page: every failure ends as one console warning. ES5 apart from `import()`, which only
 * browsers with WebAssembly need to understand.
 *
 * The page talks to the widget with Helpdock('identify', {email, name?, signature, expires?}),
 * 'open', 'close', 'toggle' and 'reset'. Calls made before this script ran wait in the stub's
 * Helpdock.q, later ones until the widget is ready; they run in order. */
(function () {
  'use strict';
  var doc = document;
  var win = window;
  var stub = win.Helpdock;
  if (stub && stub.loader) return; // the tag is on the page twice: the first one serves
  var queue = [].slice.call((stub && stub.q) || []);
  var widget; // the mounted widget; false once it cannot start

  function helpdock() {
    try {
      if (widget) widget.call([].slice.call(arguments));
      else if (widget !== false) queue.push(arguments);
    } catch (err) {
      warn('a Helpdock() call failed:', err);
    }
  }
  helpdock.loader = 1;
  win.Helpdock = helpdock;

  function warn(what, err) {
    try {
      if (win.console && console.warn) console.warn('[helpdock] ' + what, err === undefined ? '' : err);
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
          widget = glue.mount(box, base + 'api/', site);
          // The waiting calls, in order; one that fails is reported and the next still runs.
          while (queue.length) helpdock.apply(null, queue.shift());
        });
      })['catch'](function (err) {
        fail('the support widget could not start:', err);
        if (host.parentNode) host.parentNode.removeChild(host);
      });
  }

  // Calls from now on are dropped: the one warning says why.
  function fail(what, err) {
    widget = false;
    queue = [];
    warn(what, err);
  }

  try {
    var me = ownScript();
    if (!me) return fail('cannot find the URL of widget.js');
    // data-site: which of the proxy's sites this page belongs to (sent as X-Helpdock-Site).
    var site = me.getAttribute('data-site') || undefined;
    if (typeof WebAssembly !== 'object' || typeof Promise !== 'function' || typeof fetch !== 'function' ||
        !doc.documentElement.attachShadow) {
      return fail('this browser cannot show the support widget');
    }
    var base = me.src.replace(/[?#].*$/, '').replace(/[^\/]*$/, '');
    if (doc.body) {
      start(base, site);
    } else {
      doc.addEventListener('DOMContentLoaded', function () {
        try { start(base, site); } catch (err) { fail('the support widget could not start:', err); }
      });
    }
  } catch (err) {
    fail('the support widget could not start:', err);
  }
})();
