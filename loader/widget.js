/*! Helpdock loader: see docs/embedding.md. ES5 but for import(), which WebAssembly browsers parse. */
(function () {
  var doc = document;
  var win = window;
  var stub = win.Helpdock;
  if (stub && stub.loader) return; // the tag is there twice
  var early = (stub && stub.q) || [];
  var queue = [];
  var widget; // false: it could not start or stopped
  var me, loading, host, box, base, color, ready;
  var options = {}; // data-* for the container
  var listeners = {};
  var EVENTS = 'ready, open, close, ticketCreated, replySent, unreadChanged';
  var START = 'the support widget could not start:';

  function helpdock(method) {
    var args = [].slice.call(arguments);
    try {
      if (method === 'on' || method === 'off') listen(args);
      else if (widget) widget.call(args);
      else if (widget !== false) {
        queue.push(args);
        if (method === 'open' || method === 'toggle') load();
      }
    } catch (err) {
      if (ours(err)) crashed();
      else warn('a Helpdock() call failed:', err);
    }
  }
  helpdock.loader = 1;
  win.Helpdock = helpdock;

  function warn(what, err) {
    console.warn('[helpdock] ' + what, err || '');
  }

  function listen(args) {
    var name = args[1];
    var callback = args[2];
    if (args.length !== 3 || typeof callback !== 'function' || EVENTS.split(', ').indexOf(name) < 0) {
      return warn("Helpdock('" + args[0] + "', event, callback): event is one of " + EVENTS + '; ignored.');
    }
    var list = listeners[name] = (listeners[name] || []).filter(function (f) { return f !== callback; });
    if (args[0] === 'on') {
      list.push(callback);
      if (name === 'ready' && ready) tell(callback, name);
    }
  }

  function emit(name, detail) {
    if (name === 'ready') ready = 1;
    var list = (listeners[name] || []).slice();
    for (var i = 0; i < list.length; i++) tell(list[i], name, detail);
  }

  function tell(callback, name, detail) {
    try {
      callback(detail);
    } catch (err) {
      warn('a listener for ' + name + ' threw:', err);
    }
  }

  // A panic traps: a RuntimeError, ours if our files are on its stack or the panic hook hid us.
  function ours(err) {
    return !!box && err instanceof WebAssembly.RuntimeError && (box.hidden || String(err.stack).indexOf(base) >= 0);
  }

  // The release build's panics trap at once, without the hook's warning (a debug build warns and
  // hides the box first): then the one warning is said here.
  function crashed() {
    if (widget !== false && !box.hidden) warn('the support widget stopped after an internal error.');
    fail();
  }

  function guard(event) {
    if (ours(event.error || event.reason)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      crashed();
    }
  }

  function fail(what, err) {
    if (what && widget !== false && !ours(err)) warn(what, err);
    widget = false;
    queue = [];
    if (host) host.remove();
  }

  function load() {
    if (loading || widget === false) return;
    loading = 1;
    if (doc.body) start();
    else doc.addEventListener('DOMContentLoaded', start);
  }

  function start() {
    try {
      host = doc.createElement('helpdock-widget');
      host.id = 'helpdock';
      var root = host.attachShadow({ mode: 'open' });
      var css = doc.createElement('link');
      css.rel = 'stylesheet';
      css.href = base + 'helpdock.css';
      box = doc.createElement('div');
      for (var name in options) box.setAttribute('data-' + name, options[name]);
      if (color) box.style.setProperty('--helpdock-color', color);
      root.appendChild(css);
      root.appendChild(box);
      var styled = new Promise(function (resolve, reject) {
        css.onload = resolve;
        css.onerror = reject;
      });
      var wasm = fetch(base + 'helpdock_widget_bg.wasm');
      wasm['catch'](Object);
      doc.body.appendChild(host);
      import(base + 'helpdock_widget.js')
        .then(function (glue) {
          return glue['default']({ module_or_path: wasm }).then(function () { return styled; }).then(function () {
            widget = glue.mount(box, base + 'api/', me.dataset.site, emit);
            while (widget && queue.length) helpdock.apply(null, queue.shift());
          });
        })['catch'](function (err) {
          fail(START, err);
        });
    } catch (err) {
      fail(START, err);
    }
  }

  function option(name, allowed) {
    var value = me.dataset[name];
    var fallback = allowed.split('|')[0];
    if (value !== undefined && !new RegExp('^(' + allowed + ')$').test(value)) value = wrong(name, value);
    return (options[name] = value || fallback);
  }

  // Warns, and is no value.
  function wrong(name, value) {
    warn('data-' + name + '="' + value + '" is not valid; using the default.');
  }

  try {
    me = doc.currentScript;
    if (typeof WebAssembly !== 'object' || !doc.documentElement.attachShadow) {
      return fail('this browser cannot show the support widget');
    }
    base = me.src.replace(/[?#].*$/, '').replace(/[^\/]*$/, '');
    win.addEventListener('error', guard, true);
    win.addEventListener('unhandledrejection', guard, true);
    option('position', '|right|left');
    option('theme', 'light|dark|auto');
    var off = /f/.test(option('launcher', 'on|true|off|false')); // off, false
    options.launcher = off ? 'off' : '';
    color = me.dataset.color;
    if (color && !CSS.supports('color', color)) color = wrong('color', color);
    if (me.dataset.locale) queue.push(['setLocale', me.dataset.locale]);
    for (var i = 0; i < early.length; i++) helpdock.apply(null, early[i]);
    if (off) return; // loads on the first open
    var idle = function () {
      if (win.requestIdleCallback) requestIdleCallback(load, { timeout: 3000 });
      else setTimeout(load, 500);
    };
    if (doc.readyState === 'complete') idle();
    else win.addEventListener('load', idle);
  } catch (err) {
    fail(START, err);
  }
})();
