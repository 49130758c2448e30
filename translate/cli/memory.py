"""``translate memory``: import, export and inspect the translation memory (TMX 1.4b)."""

from __future__ import annotations

import argparse
import json
import sys

from translate.cli._engine import language


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "memory",
        help="import/export the translation memory as TMX, or show where it is",
        description="The memory holds approved translations (from 'translate review FILE.xlf' or "
        "imported TMX); 'translate run' reuses exact matches. Location: $TRANSLATE_MEMORY, else "
        "memory.sqlite in the user data directory.",
    )
    p.add_argument(
        "--memory",
        metavar="PATH",
        help="memory file (default: $TRANSLATE_MEMORY or the user data dir)",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="add the French→X pairs of a TMX file")
    imp.add_argument("tmx", metavar="FILE.tmx")
    exp = actions.add_parser("export", help="write the memory as TMX 1.4b")
    exp.add_argument("tmx", metavar="FILE.tmx")
    exp.add_argument("--lang", type=language, help="only this target language")
    info = actions.add_parser("info", help="show the memory's path and entries per language")
    for q in (imp, exp, info):
        q.add_argument("--json", action="store_true", help="machine-readable output")
        # also after the action, like `run`: `memory import X.tmx --memory Y`
        q.add_argument("--memory", metavar="PATH", default=argparse.SUPPRESS, help="memory file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translate.memory import TranslationMemory

    with TranslationMemory(args.memory) as memory:
        if args.action == "import":
            added = memory.import_tmx(args.tmx)
            report = {"memory": str(memory.path), "added": added, "total": len(memory)}
            text = f"imported {added} new or changed entries from {args.tmx} into {memory.path}"
        elif args.action == "export":
            count = memory.export_tmx(args.tmx, args.lang)
            report = {"memory": str(memory.path), "exported": count, "file": args.tmx}
            text = f"exported {count} entries from {memory.path} to {args.tmx}"
        else:
            langs = memory.languages()
            report = {"memory": str(memory.path), "entries": langs}
            text = "\n".join([str(memory.path)] + [f"  {k}\t{n}" for k, n in langs.items()])
    sys.stdout.write((json.dumps(report) if args.json else text) + "\n")
    return 0
