"""The review page: one self-contained HTML file (inline CSS and JS, no assets) where editors
read, filter and post-edit a translation offline.

Rows are rendered here, so the page reads fine without JavaScript. The inline scripts sort and
filter (by flag, severity, review state, term violation, score range, text; state kept in the URL
hash, ``#flag=any&metric=chrf&max=50&sort=-chrf``) and let an editor edit each target, approve
or reject it, comment, and save the decisions as XLIFF 2.1 or result JSON (see
:mod:`translate.export.pagedata` for what the page embeds). Stable hooks for automation:
``data-seg-id`` on each row, ``data-role="target"`` / ``data-role="comment"`` fields,
``data-action="approve"`` / ``"reject"`` / ``"export-xliff"`` buttons. The skeleton, style and
scripts are package data in ``translate/data/review/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from translate import __version__
from translate._io import read_data
from translate.export.base import (
    LOWER_IS_BETTER,
    TOOL,
    Exporter,
    Span,
    corpus_metrics,
    is_flagged,
    metric_label,
    provenance_items,
    segment_flags,
    split_spans,
    term_spans,
)
from translate.export.pagedata import page_data, public_result, script_json, text_direction
from translate.markup.placeholders import pieces as placeholder_pieces
from translate.units import DocumentResult, SegmentResult

#: The page's scripts, inlined in this order (each one a module on ``window.Review``).
SCRIPTS = ("terms.js", "diff.js", "xliff.js", "edit.js", "page.js")
_PLACEHOLDER = re.compile(r"%%([A-Z_]+)%%")


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return read_data(f"review/{name}")


def _slug(key: str) -> str:
    """A metric key usable in attribute names and the URL hash."""
    return re.sub(r"[^a-z0-9_-]+", "-", key.lower())


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _highlight(seg: SegmentResult, side: str) -> str:
    text = seg.source if side == "source" else seg.target
    if not text:
        return '<span class="none">(untranslated)</span>'
    return _marks(text, term_spans(seg, side))


def _markup_line(seg: SegmentResult, side: str) -> str:
    """The segment with its inline markup as readable tags (``‹a›lien‹/a›``, ``‹code/›``)."""
    m = seg.markup
    if m is None or not m.tags:
        return ""
    text = m.source if side == "source" else (m.target or m.source)
    out = []
    for chunk, tag, role in placeholder_pieces(m, text):
        if tag is None:
            out.append(_e(chunk))
            continue
        label = {"open": tag.name, "close": f"/{tag.name}", "ph": f"{tag.name}/"}[role]
        out.append(
            f'<span class="tag" title="{_e(tag.close if role == "close" else tag.open)}">‹{_e(label)}›</span>'
        )
    return f'<div class="markup">{"".join(out)}</div>'


def _signature(result: DocumentResult, metric: str) -> str:
    metrics = result.summary.get("metrics")
    if not isinstance(metrics, dict):
        return ""
    for key in ("signatures", "signature"):
        sigs = metrics.get(key)
        if isinstance(sigs, dict) and metric in sigs:
            return str(sigs[metric])
    entry = metrics.get(metric)
    return str(entry.get("signature", "")) if isinstance(entry, dict) else ""


# Summary numbers that are counts shown elsewhere (segment totals, term tallies), not metrics.
_NOT_HEADLINES = {"n_segments", "segments", "terms_required", "terms_found", "term_accuracy"}


def _gate_checks(result: DocumentResult) -> dict[str, dict[str, object]]:
    gate = result.summary.get("gate")
    checks = gate.get("checks") if isinstance(gate, dict) else None
    return {str(c["metric"]): c for c in checks or () if isinstance(c, dict) and "metric" in c}


def _card(label: str, value: str, note: str, gate: dict[str, object] | None) -> str:
    status = str(gate.get("status", "")) if gate else ""
    cls = f"metric gate-{_e(status)}" if status else "metric"
    title = f' title="{_e(gate.get("message", ""))}"' if gate else ""
    mark = {"pass": " ✓", "fail": " ✗"}.get(status, "")
    small = f"<small>{_e(note)}</small>" if note else ""
    return (
        f'<div class="{cls}"{title}><span>{_e(label)}{mark}</span><b>{_e(value)}</b>{small}</div>'
    )


def _headline(result: DocumentResult) -> str:
    """Corpus metric cards (with signatures), term accuracy, QA counts and the gate verdict."""
    gates = _gate_checks(result)
    cards = []
    for key, value in corpus_metrics(result).items():
        if key in _NOT_HEADLINES:
            continue
        gate = gates.get(key)
        note = _signature(result, key)
        if gate and "threshold" in gate:
            op = "≤" if gate.get("direction") == "max" else "≥"
            note = f"gate {op} {gate['threshold']:g}" + (f" · {note}" if note else "")
        cards.append(_card(metric_label(key), f"{value:.4g}", note, gate))
    summary = result.summary
    required, found = summary.get("terms_required"), summary.get("terms_found")
    accuracy = summary.get("term_accuracy")
    if isinstance(required, int) and required:
        shown = f"{accuracy:.1%}" if isinstance(accuracy, int | float) else "—"
        cards.append(
            _card("Term accuracy", shown, f"{found}/{required} terms", gates.get("term_accuracy"))
        )
    checks = summary.get("checks")
    if isinstance(checks, dict) and checks:
        total = sum(v for v in checks.values() if isinstance(v, int))
        detail = " · ".join(f"{v} {k}" for k, v in checks.items())
        failing = [gates[f"qa_{k}"] for k in checks if f"qa_{k}" in gates]
        worst = next((g for g in failing if g.get("status") == "fail"), None)
        cards.append(
            _card("QA findings", str(total), detail, worst or (failing[0] if failing else None))
        )
    gate = summary.get("gate")
    if isinstance(gate, dict) and "passed" in gate:
        fails = [str(c.get("message", "")) for c in gates.values() if c.get("status") == "fail"]
        verdict = "passed" if gate["passed"] else "failed"
        detail = "; ".join(fails) if fails else "every threshold met"
        cards.insert(
            0,
            f'<div class="gate-verdict gate-{verdict}"><span>Quality gate</span>'
            f"<b>{verdict}</b><small>{_e(detail)}</small></div>",
        )
    return "".join(cards)


def _models(prov: list[tuple[str, str]]) -> list[str]:
    """Model ids in provenance: ``...model`` keys, or ``id``/``name`` under a ``model...`` key."""
    out = []
    for key, value in prov:
        parts = key.lower().split(".")
        if value in ("null", "") or "model" not in key.lower():
            continue
        if parts[-1] == "model" or (
            parts[-1] in ("id", "name") and "model" in ".".join(parts[:-1])
        ):
            out.append(value)
    return list(dict.fromkeys(out))


def _target_spans(seg: SegmentResult) -> list[Span]:
    """Glossary-term spans of the target, and the protected spans that overlap none of them."""
    spans = term_spans(seg, "target")
    text = seg.target
    for p in seg.protected:
        if p.found is None or not (0 <= p.start < p.end <= len(text)):
            continue
        if text[p.start : p.end] != p.found:
            continue
        if all(p.end <= s.start or p.start >= s.end for s in spans):
            spans.append(Span(p.start, p.end, True, f"protected: {p.found}", "prot"))
    return sorted(spans, key=lambda s: s.start)


def _marks(text: str, spans: list[Span]) -> str:
    out = []
    for piece, span in split_spans(text, spans):
        if span is None:
            out.append(_e(piece))
        else:
            cls = f"{span.kind} {'ok' if span.satisfied else 'bad'}"
            term = f' data-term="{span.term}"' if span.term >= 0 else ""
            out.append(f'<mark class="{cls}"{term} title="{_e(span.title)}">{_e(piece)}</mark>')
    return "".join(out)


def _localized(seg: SegmentResult) -> str:
    """The localization pass's changes in a segment (rule, before → after), when it made any."""
    rows = [
        f'<li><span class="rule">{_e(c.rule)}</span> <del>{_e(c.before)}</del> → '
        f"<ins>{_e(c.after)}</ins></li>"
        for c in seg.localized
    ]
    return f'<ul class="loc" title="localized">{"".join(rows)}</ul>' if rows else ""


def _editor(seg: SegmentResult, tgt: str, direction: str) -> str:
    """The editable target over its highlight layer (the same text, transparent, with the marks
    only; empty when there is nothing to mark, and never typed into).

    Plain-text editable elements rather than textareas: a textarea costs the browser a shadow
    tree each, which made a 2,000-segment page slow to open.
    """
    lang = f'lang="{_e(tgt)}" dir="{direction}"'
    spans = _target_spans(seg)
    marks = _marks(seg.target, spans) if spans else ""
    return (
        f'<td class="tgt" {lang}><div class="editor">'
        f'<div class="hl" aria-hidden="true">{marks}</div>'
        f'<div class="text" data-role="target" contenteditable="plaintext-only" role="textbox" '
        f'aria-multiline="true" aria-label="translation" spellcheck="true" '
        f'data-placeholder="(untranslated)">'
        f"{_e(seg.target)}</div></div>"
        f'<div class="diff" hidden></div>{_markup_line(seg, "target")}{_localized(seg)}</td>'
    )


def _actions() -> str:
    return (
        '<td class="act"><div class="decide">'
        '<button type="button" data-action="approve" aria-pressed="false">Approve</button>'
        '<button type="button" data-action="reject" aria-pressed="false">Reject</button></div>'
        '<div class="comment" data-role="comment" contenteditable="plaintext-only" '
        'role="textbox" aria-label="comment" data-placeholder="comment"></div></td>'
    )


def _score_cell(key: str, value: float) -> str:
    width = max(0.0, min(100.0, value))
    cls = "score lower" if key.lower() in LOWER_IS_BETTER else "score"
    return f'<td class="{cls}">{value:.1f}<span class="bar" style="--v:{width:.1f}%"></span></td>'


def _row(seg: SegmentResult, i: int, cols: _Columns) -> str:
    flags = segment_flags(seg)
    violated = [t for t in (*seg.terms, *seg.protected) if not t.satisfied]
    attrs = {
        "id": f"seg-{i}",
        "class": "seg flagged" if flags else "seg",
        "data-i": str(i),
        "data-id": seg.id,
        "data-seg-id": seg.id,
        "data-origin": seg.origin,
        "data-flags": " ".join(sorted({f.name for f in flags})),
        "data-nflags": str(len(flags)),
        "data-sev": " ".join(sorted({f.severity.lower() for f in flags if f.severity})),
        "data-terms": "bad" if violated else ("ok" if seg.terms or seg.protected else ""),
        "data-state": "untouched",
    }
    attrs.update(
        {f"data-s-{_slug(k)}": f"{v:g}" for k, v in seg.scores.items() if k in cols.metrics}
    )
    cells = [
        f'<td class="id">{_e(seg.id)}<span class="origin">{_e(seg.origin)}</span></td>',
        f'<td class="src" lang="{_e(cols.src)}" dir="{cols.src_dir}">{_highlight(seg, "source")}'
        f"{_markup_line(seg, 'source')}</td>",
        _editor(seg, cols.tgt, cols.tgt_dir),
        _actions(),
    ]
    if cols.has_ref:
        ref = _e(seg.reference) if seg.reference is not None else '<span class="none">—</span>'
        lang = f'lang="{_e(cols.tgt)}" dir="{cols.tgt_dir}"'
        cells.append(f'<td class="ref" {lang}>{ref}</td>')
    for k in cols.metrics:
        if k in seg.scores:
            cells.append(_score_cell(k, seg.scores[k]))
        else:
            cells.append('<td class="score"><span class="none">—</span></td>')
    badges = "".join(
        f'<span class="flag lvl-{_e(f.level)}" title="{_e(f.severity or f.level)}: '
        f'{_e(f.message)}">{_e(f.name)}</span>'
        f'<span class="flag-msg">{_e(f.message)}</span>'
        for f in flags
    )
    cells.append(f'<td class="flags">{badges or "<span class=none>—</span>"}</td>')
    attr_text = " ".join(f'{k}="{_e(v)}"' for k, v in attrs.items())
    return f"<tr {attr_text}>{''.join(cells)}</tr>"


@dataclass(frozen=True)
class _Columns:
    src: str
    tgt: str
    src_dir: str
    tgt_dir: str
    has_ref: bool
    metrics: tuple[str, ...]


def _options(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in pairs)


def _severity_options(segs: tuple[SegmentResult, ...]) -> list[tuple[str, str]]:
    """The flag severities present (critical, major, minor...), the most serious first."""
    order = {"high": 0, "medium": 1, "low": 2}
    found = {f.severity.lower(): f.level for s in segs for f in segment_flags(s) if f.severity}
    ranked = sorted(found, key=lambda name: (order.get(found[name], 1), name))
    return [("all", "any severity"), *((n, f"severity: {n}") for n in ranked)]


def render_review_html(result: DocumentResult) -> str:
    """The complete review page for ``result``; every piece of text is HTML-escaped, local file
    paths are reduced to their names (:func:`~translate.export.pagedata.public_result`)."""
    result = public_result(result)
    segs = result.segments
    src, tgt = result.source_lang, result.target_lang
    cols = _Columns(
        src=src,
        tgt=tgt,
        src_dir=text_direction(src),
        tgt_dir=text_direction(tgt),
        has_ref=any(s.reference is not None for s in segs),
        metrics=tuple(dict.fromkeys(k for s in segs for k in s.scores)),
    )
    flag_names = sorted({f.name for s in segs for f in segment_flags(s)})
    flagged = sum(is_flagged(s) for s in segs)
    name = result.source_path or "document"
    prov = provenance_items(result)
    models = _models(prov)

    head = [
        '<th data-sort="doc">#</th>',
        f"<th>Source ({_e(src)})</th>",
        f"<th>Translation ({_e(tgt)})</th>",
        "<th>Review</th>",
    ]
    if cols.has_ref:
        head.append(f"<th>Reference ({_e(tgt)})</th>")
    for k in cols.metrics:
        lower = k.lower() in LOWER_IS_BETTER
        title = "lower is better" if lower else "higher is better"
        label = metric_label(k) + (" ↓" if lower else "")
        head.append(f'<th data-sort="{_slug(k)}" title="{title}">{_e(label)}</th>')
    head.append('<th data-sort="flags">Flags</th>')
    rows = [_row(seg, i, cols) for i, seg in enumerate(segs)]
    # The rows are CSS grids (so off-screen rows skip layout): one track per column.
    tracks = ["6.5em", "minmax(0, 1fr)", "minmax(0, 1.15fr)", "11em"]
    tracks += ["minmax(0, .9fr)"] * cols.has_ref + ["5em"] * len(cols.metrics)
    tracks.append("minmax(0, .8fr)")

    stats = (
        f'<div class="stat"><b>{len(segs)}</b><span>segments</span></div>'
        f'<div class="stat flagged"><b>{flagged}</b><span>flagged</span></div>'
    )
    flag_opts = [("all", "all segments"), ("any", "flagged"), ("none", "not flagged")]
    flag_opts += [(n, f"flag: {n}") for n in flag_names]
    sort_opts = [("doc", "document order"), ("flags", "most flags first")]
    for k in cols.metrics:
        sort_opts += [
            (_slug(k), f"{metric_label(k)} ascending"),
            (f"-{_slug(k)}", f"{metric_label(k)} descending"),
        ]
    metric_opts = [(_slug(k), metric_label(k)) for k in cols.metrics] or [("", "no scores")]

    subtitle = f"{_e(name)} · {_e(src)} → {_e(tgt)}"
    if models:
        subtitle += " · " + ", ".join(_e(m) for m in dict.fromkeys(models))
    values = {
        "GENERATOR": _e(f"{TOOL} {__version__}"),
        "TITLE": _e(f"Translation review — {name} ({src} → {tgt})"),
        "SUBTITLE": subtitle,
        "STATS": stats,
        "METRICS": _headline(result),
        "PROVENANCE": "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in prov),
        "FLAG_OPTIONS": _options(flag_opts),
        "SEVERITY_OPTIONS": _options(_severity_options(segs)),
        "METRIC_OPTIONS": _options(metric_opts),
        "SORT_OPTIONS": _options(sort_opts),
        "HEAD": "".join(head),
        "COLUMNS": " ".join(tracks),
        "ROWS": "\n".join(rows),
        "DATA": script_json(page_data(result)),
        "FOOTER": _e(
            f"Generated by {TOOL} {__version__}. Click a score header to sort; filters are kept in "
            "the address (#flag=any&metric=chrf&max=50). Edits are kept in this browser; export "
            "them to send them back."
        ),
        "CSS": _asset("page.css"),
        "JS": "\n".join(_asset(f) for f in SCRIPTS),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("page.html"))


class HtmlExporter(Exporter):
    """A self-contained side-by-side review page (works offline, from disk)."""

    name = "html"
    # .review.html: never the same file as the translation of an HTML document (format doc)
    extension = "review.html"
    description = "self-contained side-by-side review page with scores, flags and term highlights"

    def render(self, result: DocumentResult) -> str:
        return render_review_html(result)
