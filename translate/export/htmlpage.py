"""The side-by-side review page: one self-contained HTML file (inline CSS and JS, no assets).

Rows are rendered here, so the page reads fine without JavaScript; the inline script only sorts and
filters (by flag, by score range, by text) and keeps that state in the URL hash
(``#flag=any&metric=chrf&max=50&sort=-chrf``), which also lets tests and bookmarks open a view.
The page skeleton, style and script are package data in ``translate/data/review/``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from pathlib import PurePath

from translate import __version__
from translate._io import read_data
from translate.export.base import (
    TOOL,
    Exporter,
    corpus_metrics,
    document_path,
    is_flagged,
    metric_label,
    provenance_items,
    segment_flags,
    split_spans,
    term_spans,
)
from translate.markup.placeholders import pieces as placeholder_pieces
from translate.units import DocumentResult, SegmentResult

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
    out = []
    for piece, span in split_spans(text, term_spans(seg, side)):
        if span is None:
            out.append(_e(piece))
        else:
            cls = "ok" if span.satisfied else "bad"
            out.append(f'<mark class="term {cls}" title="{_e(span.title)}">{_e(piece)}</mark>')
    return "".join(out)


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


def render_review_html(result: DocumentResult) -> str:
    """The complete review page for ``result``; every piece of text is HTML-escaped."""
    segs = result.segments
    metric_keys = list(dict.fromkeys(k for s in segs for k in s.scores))
    has_ref = any(s.reference is not None for s in segs)
    flag_names = sorted({f.name for s in segs for f in segment_flags(s)})
    flagged = sum(is_flagged(s) for s in segs)
    path = document_path(result)
    name = PurePath(path or "document").name
    src, tgt = result.source_lang, result.target_lang
    prov = provenance_items(result)
    models = _models(prov)

    head = [
        '<th data-sort="doc">#</th>',
        f"<th>Source ({_e(src)})</th>",
        f"<th>Translation ({_e(tgt)})</th>",
    ]
    if has_ref:
        head.append(f"<th>Reference ({_e(tgt)})</th>")
    head += [f'<th data-sort="{_slug(k)}">{_e(metric_label(k))}</th>' for k in metric_keys]
    head.append('<th data-sort="flags">Flags</th>')

    rows = []
    for i, seg in enumerate(segs):
        flags = segment_flags(seg)
        attrs = {
            "id": f"seg-{i}",
            "class": "seg flagged" if flags else "seg",
            "data-i": str(i),
            "data-id": seg.id,
            "data-origin": seg.origin,
            "data-flags": " ".join(sorted({f.name for f in flags})),
            "data-nflags": str(len(flags)),
        }
        attrs.update(
            {f"data-s-{_slug(k)}": f"{v:g}" for k, v in seg.scores.items() if k in metric_keys}
        )
        cells = [
            f'<td class="id">{_e(seg.id)}<span class="origin">{_e(seg.origin)}</span></td>',
            f'<td class="src" lang="{_e(src)}">{_highlight(seg, "source")}'
            f"{_markup_line(seg, 'source')}</td>",
            f'<td class="tgt" lang="{_e(tgt)}">{_highlight(seg, "target")}'
            f"{_markup_line(seg, 'target')}</td>",
        ]
        if has_ref:
            ref = _e(seg.reference) if seg.reference is not None else '<span class="none">—</span>'
            cells.append(f'<td class="ref" lang="{_e(tgt)}">{ref}</td>')
        for k in metric_keys:
            if k in seg.scores:
                v = seg.scores[k]
                width = max(0.0, min(100.0, v))
                cells.append(
                    f'<td class="score">{v:.1f}<span class="bar" style="--v:{width:.1f}%"></span></td>'
                )
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
        rows.append(f"<tr {attr_text}>{''.join(cells)}</tr>")

    stats = (
        f'<div class="stat"><b>{len(segs)}</b><span>segments</span></div>'
        f'<div class="stat flagged"><b>{flagged}</b><span>flagged</span></div>'
    )
    flag_opts = [("all", "all segments"), ("any", "flagged"), ("none", "not flagged")]
    flag_opts += [(n, f"flag: {n}") for n in flag_names]
    sort_opts = [("doc", "document order"), ("flags", "most flags first")]
    for k in metric_keys:
        sort_opts += [
            (_slug(k), f"{metric_label(k)} ascending"),
            (f"-{_slug(k)}", f"{metric_label(k)} descending"),
        ]
    metric_opts = [(_slug(k), metric_label(k)) for k in metric_keys] or [("", "no scores")]

    def options(pairs: list[tuple[str, str]]) -> str:
        return "".join(f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in pairs)

    subtitle = f"{_e(path or name)} · {_e(src)} → {_e(tgt)}"
    if models:
        subtitle += " · " + ", ".join(_e(m) for m in dict.fromkeys(models))
    values = {
        "GENERATOR": _e(f"{TOOL} {__version__}"),
        "TITLE": _e(f"Translation review — {name} ({src} → {tgt})"),
        "SUBTITLE": subtitle,
        "STATS": stats,
        "METRICS": _headline(result),
        "PROVENANCE": "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in prov),
        "FLAG_OPTIONS": options(flag_opts),
        "METRIC_OPTIONS": options(metric_opts),
        "SORT_OPTIONS": options(sort_opts),
        "HEAD": "".join(head),
        "ROWS": "\n".join(rows),
        "FOOTER": _e(
            f"Generated by {TOOL} {__version__}. Click a score header to sort; filters are kept in "
            "the address (#flag=any&metric=chrf&max=50)."
        ),
        "CSS": _asset("page.css"),
        "JS": _asset("page.js"),
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
