// Word diff of the MT against the editor's text, for the "show MT → edit diff" view.
// Words, spaces and punctuation are tokens (each CJK character is one); the common head and tail
// are cut first, and the middle is aligned by longest common subsequence when small enough,
// otherwise shown as replaced: time and memory stay bounded on any segment.
var Review = window.Review || {};
window.Review = Review;
(function (R) {
  "use strict";
  var MAX_CELLS = 40000;
  var TOKEN = /\s+|[\p{L}\p{N}_]+|[^]/gu;
  var CJK_CHAR = /([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff])/u;

  function tokens(text) {
    var out = [];
    (text.match(TOKEN) || []).forEach(function (t) {
      if (CJK_CHAR.test(t)) {
        t.split(CJK_CHAR).forEach(function (part) { if (part) { out.push(part); } });
      } else {
        out.push(t);
      }
    });
    return out;
  }

  function push(ops, op, text) {
    if (!text) { return; }
    var last = ops[ops.length - 1];
    if (last && last[0] === op) { last[1] += text; } else { ops.push([op, text]); }
  }

  // [[op, text]] with op "=" (kept), "-" (only in the MT) or "+" (only in the edit).
  function diff(before, after) {
    var a = tokens(before);
    var b = tokens(after);
    var head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) { head += 1; }
    var tail = 0;
    while (tail < a.length - head && tail < b.length - head &&
           a[a.length - 1 - tail] === b[b.length - 1 - tail]) { tail += 1; }
    var ops = [];
    push(ops, "=", a.slice(0, head).join(""));
    var x = a.slice(head, a.length - tail);
    var y = b.slice(head, b.length - tail);
    if (x.length * y.length > MAX_CELLS) {
      push(ops, "-", x.join(""));
      push(ops, "+", y.join(""));
    } else {
      middle(ops, x, y);
    }
    push(ops, "=", a.slice(a.length - tail).join(""));
    return ops;
  }

  function middle(ops, x, y) {
    var n = x.length;
    var m = y.length;
    var w = m + 1;
    var lcs = new Uint32Array((n + 1) * w);
    for (var i = n - 1; i >= 0; i -= 1) {
      for (var j = m - 1; j >= 0; j -= 1) {
        lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1
          : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    var p = 0;
    var q = 0;
    while (p < n && q < m) {
      if (x[p] === y[q]) { push(ops, "=", x[p]); p += 1; q += 1; }
      else if (lcs[(p + 1) * w + q] >= lcs[p * w + q + 1]) { push(ops, "-", x[p]); p += 1; }
      else { push(ops, "+", y[q]); q += 1; }
    }
    push(ops, "-", x.slice(p).join(""));
    push(ops, "+", y.slice(q).join(""));
  }

  // Fill `container` with the diff as text nodes inside <del>/<ins>.
  function paint(container, ops) {
    var frag = document.createDocumentFragment();
    ops.forEach(function (op) {
      var node = op[0] === "=" ? document.createElement("span")
        : document.createElement(op[0] === "-" ? "del" : "ins");
      node.textContent = op[1];
      frag.appendChild(node);
    });
    container.textContent = "";
    container.appendChild(frag);
  }

  R.diff = { diff: diff, paint: paint, tokens: tokens };
}(Review));
