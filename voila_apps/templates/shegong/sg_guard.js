/* shegong page guard (included by index.html.j2; plain ES5-ish JavaScript, no libraries).

   1. A lost kernel is noticed at once: the kernel's websocket closing (the server stopped), a
      "dead"/"restarting" status on it, or the server saying the kernel is gone (asked every
      few seconds, when the tab is shown again and when the person steps into the form: the
      server keeps the websocket open when it culls or shuts a kernel down) pins a bilingual
      banner at the top and disables every input of the form (nothing typed into a dead form).
   2. Typed text is kept in this browser (localStorage, "shegong|<app>|<person>|<subject>|<field>")
      from the moment it is typed until the server confirms the database has it: after each
      save the page's hidden marker (.sg-sync, written by shegong.widgets.forms.save_notice) carries
      the values the database holds, and copies equal to them are dropped.
   3. When a record is opened and this browser holds different, unsaved text for it, a bar
      offers it back ("恢复未保存的内容 / Restore unsaved text"): the text is filled into the
      fields and sent as if typed, so it is checked and saved by the normal path.
   The messages come from the message catalogue (#sg-texts, written when the apps are built). */
(function () {
  "use strict";
  var texts = {};
  try {
    texts = JSON.parse(document.getElementById("sg-texts").textContent || "{}");
  } catch (e) {
    texts = {};
  }
  var PREFIX = "shegong|";
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  var KERNEL_URL = /\/api\/kernels\/[^/?]+\/channels/;
  var BAD_STATES = { dead: true, restarting: true, autorestarting: true };
  var CHECK_EVERY_MS = 5000;
  var state = { lost: false, restarted: false, unloading: false, disabled: [], offered: {} };
  var sgGuard = (window.sgGuard = { state: state });

  function both(id, values) {
    var pair = texts[id] || [id, id];
    return pair.map(function (line) {
      return String(line).replace(/\{(\w+)\}/g, function (_m, name) {
        return values && name in values ? values[name] : "";
      });
    });
  }

  function bar(id, kind) {
    var old = document.getElementById(id);
    if (old) old.remove();
    var el = document.createElement("div");
    el.id = id;
    el.className = "sg-pinned sg-pinned-" + kind;
    el.setAttribute("role", kind === "lost" ? "alert" : "status");
    (document.body || document.documentElement).appendChild(el);
    return el;
  }

  function lines(el, pair) {
    pair.forEach(function (line, k) {
      var p = document.createElement("div");
      p.className = k === 0 ? "sg-zh" : "sg-en";
      p.textContent = line;
      el.appendChild(p);
    });
  }

  function button(el, id, cls, onclick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = both(id).join(" / ");
    b.addEventListener("click", onclick);
    el.appendChild(b);
    return b;
  }

  // --- 1. the kernel ------------------------------------------------------------------------
  function disableForm() {
    var controls = document.querySelectorAll(
      ".sg-app input, .sg-app textarea, .sg-app select, .sg-app button"
    );
    for (var k = 0; k < controls.length; k++) {
      if (!controls[k].disabled) {
        controls[k].disabled = true;
        state.disabled.push(controls[k]);
      }
    }
  }

  function markLost(why) {
    if (state.unloading || state.lost) return;
    state.lost = true;
    state.why = why;
    document.documentElement.classList.add("sg-kernel-lost");
    var el = bar("sg-kernel-lost", "lost");
    lines(el, both("kernel_lost"));
    button(el, "reload", "sg-reload", function () {
      window.location.reload();
    });
    disableForm();
  }

  function clearLost() {
    if (!state.lost || state.restarted || state.gone) return;
    state.lost = false;
    document.documentElement.classList.remove("sg-kernel-lost");
    var el = document.getElementById("sg-kernel-lost");
    if (el) el.remove();
    state.disabled.forEach(function (c) {
      c.disabled = false;
    });
    state.disabled = [];
  }

  function executionState(data) {
    try {
      if (typeof data === "string") {
        var msg = JSON.parse(data);
        return msg.header && msg.header.msg_type === "status" ? msg.content.execution_state : null;
      }
      if (!(data instanceof ArrayBuffer)) return null;
      // v1.kernel.websocket.jupyter.org: count, offsets (uint64 LE), channel, header, ...
      var view = new DataView(data);
      var count = view.getUint32(0, true);
      if (count < 6) return null;
      var at = [];
      for (var k = 0; k < count; k++) at.push(view.getUint32(8 * (k + 1), true));
      var decode = function (i) {
        return new TextDecoder().decode(new Uint8Array(data, at[i], at[i + 1] - at[i]));
      };
      if (decode(0) !== "iopub") return null;
      var header = JSON.parse(decode(1));
      return header.msg_type === "status" ? JSON.parse(decode(4)).execution_state : null;
    } catch (e) {
      return null;
    }
  }

  function watch(ws) {
    ws.addEventListener("open", clearLost);
    ws.addEventListener("close", function () {
      markLost("closed");
    });
    ws.addEventListener("message", function (event) {
      var s = executionState(event.data);
      if (s && BAD_STATES[s]) {
        state.restarted = true; // a restarted kernel has lost the page's widgets for good
        markLost(s);
      }
    });
  }

  // The server does not close the websocket when it shuts a kernel down (culling, or the
  // REST API): ask about the kernel every few seconds, when the person comes back to the tab,
  // and whenever they step into the form, so nobody types into a form whose kernel is gone.
  function checkKernel() {
    if (!state.kernelHttp || state.checking || state.gone || state.unloading) return;
    state.checking = true;
    fetch(state.kernelHttp, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        state.checking = false;
        if (response.status === 404) {
          state.gone = true; // shut down or culled: it never comes back
          markLost("gone");
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (model) {
        if (!model) return;
        if (BAD_STATES[model.execution_state]) {
          state.gone = true;
          markLost(model.execution_state);
        } else {
          clearLost();
        }
      })
      .catch(function () {
        state.checking = false;
        markLost("unreachable"); // the server itself is down; cleared if it answers again
      });
  }
  sgGuard.checkKernel = checkKernel;
  window.setInterval(checkKernel, CHECK_EVERY_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") checkKernel();
  });
  document.addEventListener(
    "focusin",
    function (event) {
      if (event.target && event.target.closest && event.target.closest(".sg-app")) checkKernel();
    },
    true
  );

  var NativeWebSocket = window.WebSocket;
  function GuardedWebSocket(url, protocols) {
    var ws =
      protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (KERNEL_URL.test(String(url))) {
      state.kernel = String(url).match(/\/api\/kernels\/([^/?]+)/)[1];
      state.kernelHttp = String(url).replace(/^ws/, "http").replace(/\/channels.*$/, "");
      watch(ws);
    }
    return ws;
  }
  GuardedWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    GuardedWebSocket[name] = NativeWebSocket[name];
  });
  window.WebSocket = GuardedWebSocket;
  window.addEventListener("beforeunload", function () {
    state.unloading = true;
  });
  window.addEventListener("pagehide", function () {
    state.unloading = true;
  });
  sgGuard.markLost = markLost;

  // --- 2. the browser's copy of typed text --------------------------------------------------
  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function currentSync() {
    return document.querySelector(".sg-sync");
  }

  function fieldOf(keep) {
    for (var k = 0; k < keep.classList.length; k++) {
      var c = keep.classList[k];
      if (c.indexOf("sg-keep-") === 0) return c.slice(8);
    }
    return null;
  }

  function inputOf(keep) {
    return keep.matches("input, textarea") ? keep : keep.querySelector("input, textarea");
  }

  function entries(key) {
    var ls = store();
    var found = [];
    if (!ls) return found;
    var head = PREFIX + key + "|";
    for (var k = 0; k < ls.length; k++) {
      var name = ls.key(k);
      if (name && name.indexOf(head) === 0) {
        try {
          found.push({ name: name, field: name.slice(head.length), entry: JSON.parse(ls.getItem(name)) });
        } catch (e) {
          found.push({ name: name, field: name.slice(head.length), entry: null });
        }
      }
    }
    return found;
  }

  function onEdit(event) {
    var target = event.target;
    if (!target || !target.closest) return;
    var keep = target.closest(".sg-keep");
    var sync = currentSync();
    var ls = store();
    if (!keep || !sync || !ls || sync.getAttribute("data-editable") !== "1" || state.lost) return;
    var field = fieldOf(keep);
    if (!field) return;
    try {
      ls.setItem(
        PREFIX + sync.getAttribute("data-key") + "|" + field,
        JSON.stringify({ v: target.value, t: Date.now() })
      );
    } catch (e) {
      /* storage full or refused: the page still saves to the server as before */
    }
  }
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  // --- 3. the server confirms, or the record is opened ----------------------------------------
  var lastSync = "";
  function onSync(sync) {
    var key = sync.getAttribute("data-key");
    var saved = {};
    try {
      saved = JSON.parse(sync.getAttribute("data-saved") || "{}");
    } catch (e) {
      saved = {};
    }
    var ls = store();
    if (!ls) return;
    var now = Date.now();
    var pending = [];
    entries(key).forEach(function (item) {
      var entry = item.entry;
      if (!entry || now - entry.t > MAX_AGE_MS || saved[item.field] === entry.v) {
        ls.removeItem(item.name);
        return;
      }
      pending.push(item);
    });
    sgGuard.pending = pending.length;
    var restoreBar = document.getElementById("sg-restore");
    if (restoreBar && restoreBar.getAttribute("data-key") === key && !pending.length) {
      restoreBar.remove();
    }
    if (state.offered[key] || sync.getAttribute("data-editable") !== "1") return;
    state.offered[key] = true;
    if (pending.length) tryOffer(key, pending, 0);
  }

  // The fields may still be being drawn when the marker arrives: look again for a while.
  function tryOffer(key, pending, tries) {
    var missing = 0;
    var offer = pending.filter(function (item) {
      var keep = document.querySelector(".sg-keep-" + item.field);
      var input = keep && inputOf(keep);
      if (!input) missing += 1;
      return input && input.value !== item.entry.v;
    });
    if (missing && tries < 40) {
      window.setTimeout(function () {
        tryOffer(key, pending, tries + 1);
      }, 250);
      return;
    }
    var sync = currentSync();
    if (offer.length && sync && sync.getAttribute("data-key") === key) offerRestore(key, offer);
  }

  function offerRestore(key, offer) {
    var el = bar("sg-restore", "restore");
    el.setAttribute("data-key", key);
    lines(el, both("restore_offer", { count: offer.length }));
    button(el, "restore", "sg-restore-button", function () {
      offer.forEach(function (item) {
        var keep = document.querySelector(".sg-keep-" + item.field);
        var input = keep && inputOf(keep);
        if (!input || input.disabled) return;
        input.focus();
        input.value = item.entry.v;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.blur();
      });
      el.textContent = "";
      lines(el, both("restored"));
    });
    button(el, "discard", "sg-discard-button", function () {
      var ls = store();
      offer.forEach(function (item) {
        if (ls) ls.removeItem(item.name);
      });
      el.remove();
    });
  }

  function checkSync() {
    var sync = currentSync();
    if (!sync) return;
    var id = sync.getAttribute("data-key") + "#" + sync.getAttribute("data-seq");
    if (id !== lastSync) {
      lastSync = id;
      onSync(sync);
    }
  }
  sgGuard.checkSync = checkSync;
  function observe() {
    new MutationObserver(checkSync).observe(document.body, { childList: true, subtree: true });
    checkSync();
  }
  if (document.body) observe();
  else document.addEventListener("DOMContentLoaded", observe);
})();
