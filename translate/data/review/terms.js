// Live checks of glossary terms and protected spans while an editor types, so a term the edit
// removes turns red at once. The rules are the Python ones, ported as is (the browser test runs
// both on one table of cases): translate.glossary.term_occurrences + Glossary.verify for terms,
// translate.protect.verify for protected spans (URLs, e-mails, handles...).
// Offsets here are UTF-16 indices; toCodePoints() converts them for the result JSON.
var Review = window.Review || {};
window.Review = Review;
(function (R) {
  "use strict";
  var WORD = /[\p{L}\p{N}_]/u;
  var ALNUM = /[\p{L}\p{N}]/u;
  var UPPER = /\p{Lu}/u;
  var cjk = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

  function init(ranges) { if (ranges) { cjk = new RegExp("[" + ranges + "]", "u"); } }

  // Python's [^\W<CJK>]: a word character outside CJK (underscore included).
  function wordChar(ch) { return ch !== "" && WORD.test(ch) && !cjk.test(ch); }
  // Python's [^\W_<CJK>], and str.isalnum() outside CJK: a letter or digit that glues.
  function gluedChar(ch) { return ch !== "" && ALNUM.test(ch) && !cjk.test(ch); }

  function charBefore(text, i) {
    if (i <= 0) { return ""; }
    var code = text.charCodeAt(i - 1);
    return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text.charAt(i - 1);
  }
  function charAt(text, i) {
    var cp = text.codePointAt(i);
    return cp === undefined ? "" : String.fromCodePoint(cp);
  }
  function escapeRe(s) { return s.replace(/[\\^$.*+?()[\]{}|\/]/g, "\\$&"); }

  // What an MT model can write for a form: NFKC with single spaces (glossary.written_form).
  function writtenForm(form) { return form.normalize("NFKC").split(/\s+/).filter(Boolean).join(" "); }

  // Sorted [start, end] spans where `form` stands in `text`; rule "term" or "span".
  function occurrences(text, form, rule) {
    var seen = {};
    var out = [];
    [form, writtenForm(form)].forEach(function (spelling, n) {
      if (!spelling || (n === 1 && spelling === form)) { return; }
      var chars = Array.from(spelling);
      var term = rule === "term";
      var flags = "gu" + (term && !UPPER.test(spelling) ? "i" : "");
      var source = term ? spelling.split(" ").map(escapeRe).join("\\s+") : escapeRe(spelling);
      var re = new RegExp(source, flags);
      var needStart = gluedChar(chars[0]);
      var needEnd = gluedChar(chars[chars.length - 1]);
      var bad = term ? wordChar : gluedChar;
      var m;
      while ((m = re.exec(text)) !== null) {
        var start = m.index;
        var end = start + m[0].length;
        if ((needStart && bad(charBefore(text, start))) || (needEnd && bad(charAt(text, end)))) {
          re.lastIndex = start + 1;
          continue;
        }
        re.lastIndex = end;
        if (!seen[start + ":" + end]) { seen[start + ":" + end] = true; out.push([start, end]); }
      }
    });
    return out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
  }

  // One result per requirement ({required: [forms]}), in order: {found, start, end} or
  // {found: null}; two requirements sharing a form need separate occurrences.
  function verify(text, requirements, rule) {
    var used = {};
    return requirements.map(function (req) {
      var forms = req.required || [];
      var taken = [];
      var candidates = [];
      forms.forEach(function (f) {
        taken = taken.concat(used[f] || []);
        if (f) { candidates = candidates.concat(occurrences(text, f, rule)); }
      });
      candidates.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var hit = null;
      for (var k = 0; k < candidates.length && !hit; k += 1) {
        var c = candidates[k];
        if (taken.every(function (t) { return c[1] <= t[0] || c[0] >= t[1]; })) { hit = c; }
      }
      if (!hit) { return { found: null, start: -1, end: -1 }; }
      forms.forEach(function (f) { (used[f] = used[f] || []).push(hit); });
      return { found: text.slice(hit[0], hit[1]), start: hit[0], end: hit[1] };
    });
  }

  // Terms and protected spans of a segment checked against `text`.
  function check(seg, text) {
    return {
      terms: verify(text, seg.terms || [], "term"),
      protected: verify(text, seg.protected || [], "span")
    };
  }

  // Highlight spans: kept terms, then protected spans overlapping none of them.
  function spans(checked) {
    var out = [];
    checked.terms.forEach(function (t) {
      if (t.found !== null) { out.push({ start: t.start, end: t.end, kind: "term ok" }); }
    });
    checked.protected.forEach(function (p) {
      if (p.found !== null && out.every(function (s) { return p.end <= s.start || p.start >= s.end; })) {
        out.push({ start: p.start, end: p.end, kind: "prot ok" });
      }
    });
    return out.sort(function (a, b) { return a.start - b.start; });
  }

  // Fill `container` with `text`, marks on the spans (nothing when there are none); text nodes
  // only, never markup.
  function paint(container, text, marks) {
    if (!marks.length) { container.textContent = ""; return; }
    var frag = document.createDocumentFragment();
    var pos = 0;
    marks.forEach(function (s) {
      if (s.start < pos) { return; }
      if (s.start > pos) { frag.appendChild(document.createTextNode(text.slice(pos, s.start))); }
      var mark = document.createElement("mark");
      mark.className = s.kind;
      mark.textContent = text.slice(s.start, s.end);
      frag.appendChild(mark);
      pos = s.end;
    });
    frag.appendChild(document.createTextNode(text.slice(pos)));
    container.textContent = "";
    container.appendChild(frag);
  }

  function toCodePoints(text, index) { return index < 0 ? index : Array.from(text.slice(0, index)).length; }

  R.terms = {
    init: init, occurrences: occurrences, verify: verify, check: check, spans: spans,
    paint: paint, toCodePoints: toCodePoints, writtenForm: writtenForm
  };
}(Review));
