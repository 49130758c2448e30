// The editor's decisions written into the XLIFF 2.1 that `translate export` made for this result
// (embedded in the page): edited targets, states, subStates, notes and review metadata.
// approved -> state "final" (subState translate:approved); edited, not approved -> "translated"
// (translate:edited); rejected -> "translated" (translate:rejected) with a note; untouched ->
// "initial". The page never writes "reviewed": only "final" segments go to the memory.
var Review = window.Review || {};
window.Review = Review;
(function (R) {
  "use strict";
  var XLF = "urn:oasis:names:tc:xliff:document:2.0";
  var MDA = "urn:oasis:names:tc:xliff:metadata:2.0";
  var TOOL = "translate";
  // Characters XML 1.0 cannot carry (and CR), as in translate/export/_xml.py.
  var INVALID = /[^\t\n\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

  function safe(text) { return text.replace(INVALID, "\ufffd"); }

  function children(parent, ns, name) {
    return Array.prototype.filter.call(parent.children, function (c) {
      return c.namespaceURI === ns && c.localName === name;
    });
  }

  // Inline content: text, with <cp hex="..."/> for what XML cannot carry (as the exporter does).
  // A lone surrogate (only a typed or pasted edit can hold one) is no character at all, and
  // `translate review` refuses it: it becomes U+FFFD.
  function setContent(doc, elem, text) {
    while (elem.firstChild) { elem.removeChild(elem.firstChild); }
    var pos = 0;
    text.replace(INVALID, function (ch, at) {
      if (at > pos) { elem.appendChild(doc.createTextNode(text.slice(pos, at))); }
      var code = ch.codePointAt(0);
      if (code >= 0xd800 && code <= 0xdfff) {
        elem.appendChild(doc.createTextNode("\ufffd"));
        pos = at + ch.length;
        return ch;
      }
      var cp = doc.createElementNS(XLF, "cp");
      cp.setAttribute("hex", code.toString(16).toUpperCase().padStart(4, "0"));
      elem.appendChild(cp);
      pos = at + ch.length;
      return ch;
    });
    if (pos < text.length) { elem.appendChild(doc.createTextNode(text.slice(pos))); }
  }

  function meta(doc, group, type, value) {
    var m = doc.createElementNS(MDA, "mda:meta");
    m.setAttribute("type", type);
    m.textContent = safe(value);
    group.appendChild(m);
  }

  function note(doc, unit, category, priority, text) {
    var notes = children(unit, XLF, "notes")[0];
    if (!notes) {
      notes = doc.createElementNS(XLF, "notes");
      var before = Array.prototype.find.call(unit.children, function (c) {
        return c.namespaceURI === XLF && /^(originalData|segment|ignorable)$/.test(c.localName);
      });
      unit.insertBefore(notes, before || null);
    }
    var n = doc.createElementNS(XLF, "note");
    n.setAttribute("category", category);
    n.setAttribute("priority", priority);
    n.setAttribute("appliesTo", "target");
    n.textContent = safe(text);
    notes.appendChild(n);
  }

  // Result segment id -> its <mda:metaGroup category="translate:segment"> and <segment>.
  function index(doc) {
    var bySegId = {};
    Array.prototype.forEach.call(doc.getElementsByTagNameNS(XLF, "segment"), function (s) {
      bySegId[s.getAttribute("id")] = s;
    });
    var out = {};
    Array.prototype.forEach.call(doc.getElementsByTagNameNS(MDA, "metaGroup"), function (g) {
      if (g.getAttribute("category") !== TOOL + ":segment") { return; }
      var m = {};
      children(g, MDA, "meta").forEach(function (e) { m[e.getAttribute("type")] = e.textContent; });
      var ref = (m.ref || "").replace(/^#/, "");
      if (m.id && bySegId[ref]) { out[m.id] = { segment: bySegId[ref], group: g }; }
    });
    return out;
  }

  var STATES = {
    approved: ["final", TOOL + ":approved"],
    rejected: ["translated", TOOL + ":rejected"],
    edited: ["translated", TOOL + ":edited"]
  };

  // `decisions`: [{id, status: "approved"|"rejected"|"edited"|"untouched", target, edited,
  // comment}]; `summary`: counts for the file's review-page metadata. Returns the XLIFF text.
  function build(xliffText, decisions, summary) {
    var doc = new DOMParser().parseFromString(xliffText, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) { throw new Error("embedded XLIFF is not well-formed"); }
    var where = index(doc);
    decisions.forEach(function (d) {
      var at = where[d.id];
      if (!at) { return; }
      var seg = at.segment;
      var target = children(seg, XLF, "target")[0];
      if (!target) { target = seg.appendChild(doc.createElementNS(XLF, "target")); }
      if (d.edited) { setContent(doc, target, d.target); }
      var st = STATES[d.status];
      if (st) {
        seg.setAttribute("state", st[0]);
        seg.setAttribute("subState", st[1]);
        meta(doc, at.group, "review.state", d.status);
      } else {
        seg.setAttribute("state", "initial");
      }
      if (d.comment) { meta(doc, at.group, "review.comment", d.comment); }
      var unit = seg.parentNode;
      if (d.status === "rejected") {
        note(doc, unit, TOOL + ":rejected", "1", d.id + " · rejected, needs rework" + (d.comment ? ": " + d.comment : ""));
      } else if (d.comment) {
        note(doc, unit, TOOL + ":comment", "5", d.id + " · " + d.comment);
      }
    });
    var file = doc.getElementsByTagNameNS(XLF, "file")[0];
    var metadata = file && children(file, MDA, "metadata")[0];
    if (metadata) {
      var group = doc.createElementNS(MDA, "mda:metaGroup");
      group.setAttribute("category", TOOL + ":review-page");
      Object.keys(summary).forEach(function (k) { meta(doc, group, k, String(summary[k])); });
      metadata.appendChild(group);
    }
    var text = new XMLSerializer().serializeToString(doc).replace(/^<\?xml[^>]*\?>\s*/, "");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n";
  }

  R.xliff = { build: build };
}(Review));
