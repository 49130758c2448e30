"""The pofilter-like surface checks: one table of positive and negative cases per check, and no
finding on the bundled references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translate.checks import run_checks

REPO = Path(__file__).resolve().parent.parent
NEW = (
    "end_punctuation",
    "whitespace",
    "doubled_word",
    "double_space",
    "start_case",
    "char_loop",
    "leading_bullet",
)

# (check, source, target, language, fires)
CASES = [
    ("end_punctuation", "Le marché recule.", "The market falls", "en", True),
    ("end_punctuation", "Le marché recule ?", "The market falls.", "en", True),
    ("end_punctuation", "Quelle chute !", "What a fall?", "en", True),
    ("end_punctuation", "Le marché recule.", "The market falls.", "en", False),
    ("end_punctuation", "« Où va l'argent ? »", "“Where does the money go?”", "en", False),
    ("end_punctuation", "« Où va l'argent ? »", "«¿Adónde va el dinero?».", "es", False),
    ("end_punctuation", "Le marché recule.", "市场下跌。", "zh", False),
    ("end_punctuation", "Il hésite…", "He hesitates...", "en", False),
    ("end_punctuation", "Titre sans point", "Title without a stop.", "en", False),
    ("whitespace", "Le marché recule.", " The market falls.", "en", True),
    ("whitespace", "Le marché recule.", "The market falls.\n", "en", True),
    ("whitespace", "Le marché recule.", "The market falls.", "en", False),
    ("doubled_word", "Le marché recule.", "The the market falls.", "en", True),
    ("doubled_word", "Le marché recule.", "The market falls falls.", "en", True),
    ("doubled_word", "Il dit que cela suffit.", "He says that that is enough.", "en", False),
    ("doubled_word", "Non non, il refuse.", "No no, he refuses.", "en", False),
    (
        "doubled_word",
        "En avril, le marché recule.",
        "In April, April, the market falls.",
        "en",
        True,
    ),
    ("doubled_word", "Le marché recule.", "The market, market falls.", "en", False),
    ("doubled_word", "Il croît très vite.", "It grows very very very fast.", "en", False),
    ("double_space", "Le marché recule.", "The market  falls.", "en", True),
    ("double_space", "Le marché  recule.", "The market  falls.", "en", False),
    ("double_space", "Le marché recule.", "The market falls.", "en", False),
    ("start_case", "Le marché recule.", "the market falls.", "en", True),
    ("start_case", "le marché recule.", "The market falls.", "en", True),
    ("start_case", "« Le marché recule. »", "“the market falls.”", "en", True),
    ("start_case", "le marché recule.", "Der Markt fällt.", "de", False),
    ("start_case", "iOS 17 est sorti.", "iOS 17 is out.", "en", False),
    ("start_case", "refroidissement des GPU", "GPU cooling", "en", False),
    ("start_case", "Le marché recule.", "市场下跌。", "zh", False),
    ("start_case", "Le marché recule.", "The market falls.", "en", False),
    ("char_loop", "Les cryptomonnaies montent.", "ÀÀÀÀÀääää cryptos rise.", "en", True),
    ("char_loop", "Les cryptomonnaies montent.", "The cryptocryptocrypto rise.", "en", True),
    ("char_loop", "Les cryptomonnaies montent.", "Cryptocurrencies rise.", "en", False),
    ("char_loop", "Il a crié « Aaaaah ».", "He shouted “Aaaaah”.", "en", False),
    ("char_loop", "Le taux est de 1000000.", "The rate is 1000000.", "en", False),
    ("char_loop", "Les prix montent.", "Bookkeeper prices rise.", "en", False),
    ("leading_bullet", "la garde des portefeuilles ;", "- custody of wallets;", "en", True),
    ("leading_bullet", "la garde des portefeuilles ;", "• custody of wallets;", "en", True),
    ("leading_bullet", "la garde des portefeuilles ;", "custody of wallets;", "en", False),
    ("leading_bullet", "- la garde ;", "- custody;", "en", False),
    ("leading_bullet", "Le prix -5 % recule.", "The price -5% falls.", "en", False),
    ("leading_bullet", "Le 12 juin 2025", "12. Juni 2025", "de", False),
]


@pytest.mark.parametrize(("check", "source", "target", "lang", "fires"), CASES)
def test_surface_check(check: str, source: str, target: str, lang: str, fires: bool) -> None:
    found = [c for c in run_checks(source, target, lang) if c.check == check]
    assert bool(found) == fires, found


def test_every_new_check_has_positive_and_negative_cases() -> None:
    for name in NEW:
        assert {fires for check, *_, fires in CASES if check == name} == {True, False}, name


def test_no_finding_on_the_bundled_references() -> None:
    pairs = 0
    for path in sorted((REPO / "articles").glob("*/*.jsonl")):
        lang = path.parent.name
        for line in path.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            pairs += 1
            found = [c for c in run_checks(pair["source"], pair["target"], lang) if c.check in NEW]
            assert not found, (path.name, pair, found)
    assert pairs > 500
