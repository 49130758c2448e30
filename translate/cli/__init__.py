"""The ``translate`` command line: a thin layer that parses arguments, calls the API and renders.

Each subcommand lives in its own module exposing ``register(subparsers)``; the module's handler
returns an exit code. Library errors (:class:`translate.errors.TranslateError`) become one line on
stderr and their documented exit code; nothing here imports torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from translate import __version__
from translate.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OUTPUT, TranslateError

# Subcommand modules, in the order ``translate --help`` lists them.
COMMANDS = (
    "segment",
    "glossary",
    "run",
    "models",
    "score",
    "localize",
    "eval",
    "compare",
    "checks",
    "export",
    "review",
    "memory",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translate",
        description="French-to-multilingual translation: segment, translate with enforced "
        "glossaries, score against references, export for CAT tools and review.",
    )
    parser.add_argument("--version", action="version", version=f"translate {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"translate.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except TranslateError as err:
        from translate.cli._terminal import for_stream

        print(for_stream(f"translate: error: {err}", sys.stderr), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("translate: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other Unix tools do.
        return EXIT_FAILURE
    except OSError as err:
        print(
            f"translate: error: cannot write output ({err.strerror or err}); "
            "check the disk space and permissions of the destination.",
            file=sys.stderr,
        )
        return EXIT_OUTPUT
