// Post-editing in the review page: edit each target in place, approve or reject it, comment,
// undo; the work is kept in the browser's local storage under the result's digest (nothing is
// lost on reload or a closed tab) and saved by the editor as XLIFF 2.1 or result JSON (a Blob
// download: no server). Every text goes in as text (textContent, text nodes), never as markup.
// Targets and comments are plain-text editable elements (contenteditable="plaintext-only").
var Review = window.Review || {};
window.Review = Review;
(function (R) {
  "use strict";
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var segs = data.segments;
  var KEY = "translate-review/" + data.digest;
  var tbody = document.querySelector("#segments tbody");
  var rowsByIndex = [];
  Array.prototype.forEach.call(tbody.querySelectorAll("tr.seg"), function (tr) {
    rowsByIndex[parseInt(tr.getAttribute("data-i"), 10)] = tr;
  });
  // Per segment: the edited text (null: the MT), the decision ("", "approved", "rejected"), comment.
  var work = segs.map(function () { return { target: null, decision: "", comment: "" }; });
  var undoStack = [];
  var showDiff = document.getElementById("f-diff");
  var savedNote = document.getElementById("saved");
  R.terms.init(data.cjk);
  R.data = data;

  function text(i) { return work[i].target === null ? segs[i].target : work[i].target; }
  function edited(i) { return work[i].target !== null && work[i].target !== segs[i].target; }
  function status(i) { return work[i].decision || (edited(i) ? "edited" : "untouched"); }
  function copy(w) { return { target: w.target, decision: w.decision, comment: w.comment }; }

  // --- storage ---------------------------------------------------------------------------
  var saveTimer = null;
  function save() {
    clearTimeout(saveTimer);
    saveTimer = null;
    var out = {};
    work.forEach(function (w, i) {
      if (edited(i) || w.decision || w.comment) {
        out[segs[i].id] = { t: edited(i) ? w.target : null, d: w.decision, c: w.comment };
      }
    });
    try {
      if (Object.keys(out).length) {
        localStorage.setItem(KEY, JSON.stringify({ version: 1, saved: new Date().toISOString(), segments: out }));
      } else {
        localStorage.removeItem(KEY);
      }
      savedNote.textContent = Object.keys(out).length ? "saved in this browser" : "";
    } catch (err) {
      savedNote.textContent = "not saved in this browser (" + err.name + "): export to keep your work";
    }
  }
  function saveSoon() { if (saveTimer === null) { saveTimer = setTimeout(save, 300); } }
  function flush() { if (saveTimer !== null) { save(); } }

  function restore() {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (err) { stored = null; }
    if (!stored || typeof stored.segments !== "object" || stored.segments === null) { return; }
    var byId = {};
    segs.forEach(function (s, i) { byId[s.id] = i; });
    Object.keys(stored.segments).forEach(function (id) {
      var i = byId[id];
      var s = stored.segments[id];
      if (i === undefined || !s || typeof s !== "object") { return; }
      work[i] = {
        target: typeof s.t === "string" ? s.t : null,
        decision: s.d === "approved" || s.d === "rejected" ? s.d : "",
        comment: typeof s.c === "string" ? s.c : ""
      };
      paint(i);
    });
    savedNote.textContent = "restored your edits from this browser";
  }

  // --- one row ---------------------------------------------------------------------------
  function field(i, role) { return rowsByIndex[i].querySelector('[data-role="' + role + '"]'); }

  // The text of an editable element: its text nodes, a <br> as a line break (not the last one,
  // which only holds an empty last line open).
  function readText(el) {
    var out = "";
    (function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === 3) { out += child.data; }
        else if (child.nodeName === "BR") { if (child !== el.lastChild) { out += "\n"; } }
        else if (child.nodeType === 1) {
          if (/^(DIV|P)$/.test(child.nodeName) && out && out.slice(-1) !== "\n") { out += "\n"; }
          walk(child);
        }
      });
    }(el));
    return out;
  }
  function writeText(el, value) { if (readText(el) !== value) { el.textContent = value; } }
  R.readText = readText;

  // For automation, each field's `value` reads and sets its text like a form field's (setting
  // it counts as typing: the row updates and the work is saved).
  tbody.querySelectorAll("[data-role]").forEach(function (el) {
    Object.defineProperty(el, "value", {
      configurable: true,
      get: function () { return readText(el); },
      set: function (v) {
        el.textContent = String(v);
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  });

  function paint(i) {
    var row = rowsByIndex[i];
    var value = text(i);
    writeText(field(i, "target"), value);
    writeText(field(i, "comment"), work[i].comment);
    var checked = R.terms.check(segs[i], value);
    R.terms.paint(row.querySelector(".hl"), value, R.terms.spans(checked));
    missing(row, segs[i], checked);
    // The source side of each term follows: green while the target keeps it, red once it is gone.
    row.querySelectorAll(".src mark[data-term]").forEach(function (mark) {
      var t = checked.terms[parseInt(mark.getAttribute("data-term"), 10)];
      if (t) { mark.classList.toggle("ok", t.found !== null); mark.classList.toggle("bad", t.found === null); }
    });
    var st = status(i);
    row.setAttribute("data-state", (edited(i) && work[i].decision ? "edited " : "") + st);
    var hasTerms = (segs[i].terms || []).length + (segs[i].protected || []).length > 0;
    var bad = checked.terms.concat(checked.protected).some(function (t) { return t.found === null; });
    row.setAttribute("data-terms", bad ? "bad" : (hasTerms ? "ok" : ""));
    ["approve", "reject"].forEach(function (action) {
      var on = work[i].decision === (action === "approve" ? "approved" : "rejected");
      row.querySelector('[data-action="' + action + '"]').setAttribute("aria-pressed", String(on));
    });
    paintDiff(i);
  }

  // Required terms and protected spans the text lacks, as red chips under the editor.
  function missing(row, seg, checked) {
    var box = row.querySelector(".missing");
    var lost = [];
    checked.terms.forEach(function (t, k) {
      if (t.found === null) { lost.push(seg.terms[k].source + " → " + seg.terms[k].required.join(" / ")); }
    });
    checked.protected.forEach(function (p, k) {
      if (p.found === null) { lost.push("protected: " + seg.protected[k].source); }
    });
    if (!lost.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.className = "missing";
      row.querySelector(".editor").after(box);
    }
    box.textContent = "";
    lost.forEach(function (label) {
      var chip = document.createElement("mark");
      chip.className = "term bad";
      chip.title = "required, missing from the target";
      chip.textContent = label;
      box.appendChild(chip);
    });
  }

  function paintDiff(i) {
    var box = rowsByIndex[i].querySelector(".diff");
    var on = showDiff.checked && edited(i);
    box.hidden = !on;
    if (on) { R.diff.paint(box, R.diff.diff(segs[i].target, text(i))); }
  }

  // --- changes, undo ---------------------------------------------------------------------
  var undoButton = document.querySelector('[data-action="undo"]');
  function remember(i) {
    undoStack.push({ i: i, before: copy(work[i]) });
    if (undoStack.length > 500) { undoStack.shift(); }
    undoButton.disabled = false;
  }
  function changed(i, refilter) {
    paint(i);
    counters();
    saveSoon();
    if (refilter && R.refilter) { R.refilter(); }
  }
  function undo() {
    var last = undoStack.pop();
    undoButton.disabled = undoStack.length === 0;
    if (!last) { return; }
    work[last.i] = last.before;
    changed(last.i, true);
    field(last.i, "target").focus();
  }

  function decide(i, decision) {
    remember(i);
    work[i].decision = work[i].decision === decision ? "" : decision;
    changed(i, true);
    save();
  }

  function counters() {
    var n = { edited: 0, approved: 0, rejected: 0, remaining: 0 };
    work.forEach(function (w, i) {
      if (edited(i)) { n.edited += 1; }
      if (w.decision) { n[w.decision] += 1; } else { n.remaining += 1; }
    });
    Object.keys(n).forEach(function (k) {
      document.querySelector('[data-count="' + k + '"]').textContent = String(n[k]);
    });
  }

  // --- events ----------------------------------------------------------------------------
  function rowIndex(el) {
    var tr = el.closest("tr.seg");
    return tr ? parseInt(tr.getAttribute("data-i"), 10) : -1;
  }
  var editing = {};  // field element -> true once its current focus session is in the undo stack

  tbody.addEventListener("input", function (event) {
    var role = event.target.getAttribute("data-role");
    var i = rowIndex(event.target);
    if (i < 0 || !role) { return; }
    if (!editing[role + i]) { editing[role + i] = true; remember(i); }
    if (role === "target") { work[i].target = readText(event.target); }
    else { work[i].comment = readText(event.target); }
    changed(i, false);
  });
  tbody.addEventListener("focusout", function (event) {
    var i = rowIndex(event.target);
    if (i >= 0) { delete editing[event.target.getAttribute("data-role") + i]; flush(); }
  });
  tbody.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    var i = button ? rowIndex(button) : -1;
    if (i < 0) { return; }
    decide(i, button.getAttribute("data-action") === "approve" ? "approved" : "rejected");
  });

  function visibleRows() {
    return Array.prototype.filter.call(tbody.querySelectorAll("tr.seg"), function (r) { return !r.hidden; });
  }
  function move(i, step) {
    var shown = visibleRows();
    var at = shown.indexOf(rowsByIndex[i]);
    var next = shown[at + step];
    if (next) {
      var area = next.querySelector('[data-role="target"]');
      area.focus();
      area.scrollIntoView({ block: "center" });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey && (event.key === "z" || event.key === "Z")) { event.preventDefault(); undo(); return; }
    var role = event.target.getAttribute && event.target.getAttribute("data-role");
    var i = role ? rowIndex(event.target) : -1;
    if (i < 0) { return; }
    var mod = event.ctrlKey || event.metaKey;
    if (event.key === "Enter" && mod && event.shiftKey) {
      event.preventDefault();
      decide(i, "rejected");
      if (work[i].decision === "rejected") { field(i, "comment").focus(); }
    } else if (event.key === "Enter" && mod) {
      event.preventDefault();
      if (work[i].decision !== "approved") { decide(i, "approved"); }
      move(i, 1);
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      move(i, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Escape" && role === "target" && edited(i)) {
      event.preventDefault();
      remember(i);
      work[i].target = null;
      changed(i, false);
    }
  });
  undoButton.addEventListener("click", undo);
  showDiff.addEventListener("change", function () { work.forEach(function (w, i) { if (edited(i)) { paintDiff(i); } }); });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", flush);

  document.querySelector('[data-action="discard"]').addEventListener("click", function () {
    if (!window.confirm("Discard every edit, decision and comment made in this page? This cannot be undone.")) { return; }
    try { localStorage.removeItem(KEY); } catch (err) { /* nothing stored */ }
    work.forEach(function (w, i) {
      var touched = w.target !== null || w.decision || w.comment;
      work[i] = { target: null, decision: "", comment: "" };
      if (touched) { paint(i); }
    });
    undoStack = [];
    undoButton.disabled = true;
    counters();
    savedNote.textContent = "edits discarded";
    if (R.refilter) { R.refilter(); }
  });

  // --- exports ---------------------------------------------------------------------------
  function decisions() {
    return segs.map(function (s, i) {
      return { id: s.id, status: status(i), edited: edited(i), target: text(i), comment: work[i].comment };
    });
  }
  function summary() {
    var n = { edited: 0, approved: 0, rejected: 0 };
    work.forEach(function (w, i) {
      if (edited(i)) { n.edited += 1; }
      if (w.decision) { n[w.decision] += 1; }
    });
    n.exported = new Date().toISOString();
    return n;
  }

  // The packed result and XLIFF (gzip + base64), unpacked on the first export.
  var unpacked = null;
  function unpack() {
    if (!unpacked) {
      var bytes = Uint8Array.from(atob(data.pack), function (c) { return c.charCodeAt(0); });
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      unpacked = new Response(stream).text().then(JSON.parse);
    }
    return unpacked;
  }

  // The result with the edits: an edited target gets origin "edited", its terms and protected
  // spans checked again, and no scores or QA findings (they judged the MT); every segment the
  // editor touched records {status, comment, mt} under "review".
  function editedResult(full) {
    var result = JSON.parse(JSON.stringify(full));
    result.segments.forEach(function (s, i) {
      var st = status(i);
      if (st === "untouched" && !work[i].comment) { return; }
      s.review = { status: st, comment: work[i].comment, mt: segs[i].target };
      if (!edited(i)) { return; }
      var value = text(i);
      var checked = R.terms.check(segs[i], value);
      s.target = value;
      s.origin = "edited";
      s.scores = {};
      s.checks = [];
      ["terms", "protected"].forEach(function (key) {
        (s[key] || []).forEach(function (t, k) {
          var c = checked[key][k];
          t.found = c.found;
          t.start = R.terms.toCodePoints(value, c.start);
          t.end = R.terms.toCodePoints(value, c.end);
          t.satisfied = c.found !== null;
        });
      });
    });
    var required = result.summary.terms_required;
    if (typeof required === "number" && required > 0) {
      var found = 0;
      result.segments.forEach(function (s) { (s.terms || []).forEach(function (t) { if (t.found !== null) { found += 1; } }); });
      result.summary.terms_found = found;
      result.summary.term_accuracy = found / required;
    }
    result.summary.review = summary();
    return JSON.stringify(result, null, 2) + "\n";
  }

  function download(name, type, content) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function failed(err) { savedNote.textContent = "export failed: " + err.message; }

  document.querySelector('[data-action="export-xliff"]').addEventListener("click", function () {
    flush();
    unpack().then(function (full) {
      download(data.names.xlf, "application/xliff+xml", R.xliff.build(full.xliff, decisions(), summary()));
    }).catch(failed);
  });
  document.querySelector('[data-action="export-json"]').addEventListener("click", function () {
    flush();
    unpack().then(function (full) {
      download(data.names.json, "application/json", editedResult(full.result));
    }).catch(failed);
  });

  restore();
  counters();
  R.edit = { decisions: decisions, unpack: unpack, undo: undo };
}(Review));
