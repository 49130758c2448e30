"""``translate localize``: the localization pass on translations made elsewhere (CI, editors)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from translate.cli._engine import add_glossary_argument


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "localize",
        help="rewrite translations in a target locale's conventions (numbers, dates, quotes)",
        description="Apply the CLDR-driven localization pass to HYP, translations of the French "
        "lines of SRC (line-aligned, as for 'translate score'): figures, percentages, amounts, "
        "dates and times the source has, quotation marks, French spacing and CJK punctuation "
        "are written as the locale writes them. Prints the localized lines; with --json one "
        'object per line: {"text": ..., "changes": [{"rule", "before", "after", "start", '
        '"end"}]}.',
    )
    p.add_argument("--src", required=True, help="French sources, one segment per line")
    p.add_argument("--hyp", required=True, help="translations, one per source line")
    p.add_argument(
        "--to", required=True, metavar="LOCALE", help="target locale, e.g. en-GB, de-CH, pt-BR"
    )
    add_glossary_argument(
        p, "glossary whose target terms (and do-not-translate names) are never changed"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run)


def _lines(path: str) -> list[str]:
    from translate._io import read_document

    text = read_document(path, allow_empty=True)
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def run(args: argparse.Namespace) -> int:
    from translate.localize import localize_lines, parse_locale

    locale = parse_locale(args.to)
    sources, hyps = _lines(args.src), _lines(args.hyp)
    keep = None
    if args.glossary:
        from translate.glossary import load_glossary

        glossary = load_glossary(list(args.glossary))
        keep = [
            [v for c in glossary.constraints_for(s, glossary.match(s)) for v in c.variants(locale)]
            for s in sources
        ]
    results = localize_lines(sources, hyps, locale, origin=f"{args.src} and {args.hyp}", keep=keep)
    out = sys.stdout
    for r in results:
        if args.json:
            record = {"text": r.text, "changes": [asdict(c) for c in r.changes]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.write(r.text + "\n")
    return 0
