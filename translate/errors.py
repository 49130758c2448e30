"""One exception tree for the toolkit; each error a user can cause carries its documented exit code.

The library raises these; only the CLI turns them into a one-line message and an exit status.
"""

from __future__ import annotations

# Documented exit codes (README, "Exit codes"). Keep in sync with the README table.
EXIT_OK = 0
EXIT_FAILURE = 1  # unexpected internal error (a bug: please report it)
EXIT_USAGE = 2  # bad command-line arguments (argparse)
EXIT_INPUT = 3  # input document missing, unreadable, empty, binary or badly encoded
EXIT_GLOSSARY = 4  # malformed glossary, or glossary lint found errors
EXIT_MODEL = 5  # model unavailable offline, unknown language, engine failure
EXIT_GATE = 6  # quality gate failed (a metric or QA check missed its threshold)
EXIT_OUTPUT = 7  # output path not writable
EXIT_CONFIG = 8  # malformed configuration/data file (thresholds, suite, rules, result JSON)
EXIT_INTERRUPTED = 130


class TranslateError(Exception):
    """Base of every error the toolkit raises on purpose; ``str(err)`` is a complete sentence."""

    exit_code: int = EXIT_FAILURE


class InputError(TranslateError):
    """The input document cannot be used (missing, a directory, empty, binary, bad encoding)."""

    exit_code = EXIT_INPUT


class SegmentationError(TranslateError):
    """Segmentation rules or abbreviation data are malformed."""

    exit_code = EXIT_CONFIG


class GlossaryError(TranslateError):
    """A glossary file is malformed or failed its lint."""

    exit_code = EXIT_GLOSSARY


class EngineError(TranslateError):
    """A model cannot be loaded or run."""

    exit_code = EXIT_MODEL


class ModelNotAvailableError(EngineError):
    """A model is not in the local cache and the hub cannot be reached (or offline mode is on)."""


class UnknownLanguageError(EngineError):
    """No model chain is registered for a requested target language."""


class MisalignedError(TranslateError):
    """Two line-aligned files (sources and translations) have different numbers of lines."""

    exit_code = EXIT_CONFIG


class ScoreError(TranslateError):
    """Hypothesis/reference files cannot be scored (missing, misaligned, bad thresholds)."""

    exit_code = EXIT_CONFIG


class GateFailed(TranslateError):
    """A quality gate missed one or more thresholds."""

    exit_code = EXIT_GATE


class ExportError(TranslateError):
    """An export cannot be produced or written."""

    exit_code = EXIT_OUTPUT


class OutputError(TranslateError):
    """An output file or directory cannot be written."""

    exit_code = EXIT_OUTPUT


class ConfigError(TranslateError):
    """A configuration or data file (thresholds, suite, result JSON) is malformed."""

    exit_code = EXIT_CONFIG


class UsageError(TranslateError):
    """Options that do not go together, found after parsing (argparse reports the others)."""

    exit_code = EXIT_USAGE


class LanguageTagError(TranslateError, ValueError):
    """A language tag is malformed (not ``en``, ``pt-BR``, ``zh-Hant``...)."""

    exit_code = EXIT_USAGE


class LocaleError(LanguageTagError):
    """A target locale is in the source language, has variants, or is unknown to CLDR."""
