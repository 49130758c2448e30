"""Fingerprint everything ``translate run`` writes for the bundled articles, with tiny models.

For refactors that must not change outputs: run it on the tree before and after, and compare
the two fingerprint files (``diff``, or ``--against``). Two random-weight Marian models (built
by ``tests/tinymodels.py`` with fixed seeds: one per language)
translate every article of ``articles/fr/`` with the bundled glossary, into ``en`` and ``de``,
in every export format, without memory or cache; the figure is one SHA-256 per file written,
after blanking the fields that hold the time of day or a duration.

Usage: ``python evals/same_outputs.py OUT.json [--repo TREE] [--work DIR] [--against OLD.json]``;
exit 1 when ``--against`` differs. Give both runs the same ``--work`` folder: the models are built
there once and their paths, which the provenance records, are then the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORMATS = "json,xliff,tmx,po,md,txt,html"
# Wall-clock times and durations: the only parts of an output that may differ between runs.
_VOLATILE = re.compile(
    r'("(?:seconds|created|date|changedate|creationdate|started|finished|elapsed)"\s*:\s*)'
    r'("[^"]*"|[0-9.]+)'
    r'|((?:creationdate|changedate|date|created)=")[^"]*(")'
    r"|(\d{8}T\d{6}Z)"
    r"|(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)"
)


def _blank(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + '"-"'
        if m.group(3):
            return m.group(3) + "-" + m.group(4)
        return "-"

    return _VOLATILE.sub(sub, text)


def fingerprint(tree: Path, models: dict[str, Path], out: Path) -> dict[str, str]:
    """Run ``translate run`` from ``tree`` on each bundled article; file name → SHA-256.

    The output folder's own path is written as ``OUT`` (exports record where they went)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(tree)}
    glossary = "glossaries/crypto-cloud.csv"  # relative, as the article: results record them
    sums: dict[str, str] = {}
    for article in sorted((tree / "articles" / "fr").glob("*.txt")):
        dest = out / article.stem
        cmd = [
            sys.executable, "-m", "translate", "run", str(article.relative_to(tree)),
            "--to", "en,de", "--out", str(dest), "-g", glossary, "--no-memory", "--no-cache", "--force",
            "--formats", FORMATS, "--json", "--threads", "1",
            "--model", f"en={models['en']}", "--model", f"de={models['de']}",
        ]  # fmt: skip
        done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
        if done.returncode not in (0, 6):
            sys.exit(f"{article.name}: exit {done.returncode}\n{done.stderr}")
        report = json.loads(done.stdout)
        report.pop("seconds", None)
        report["out"] = "OUT"
        for lang in report.get("languages", {}).values():
            lang.pop("seconds", None)
            for name, path in lang.get("files", {}).items():
                lang["files"][name] = Path(path).name
        sums[f"{article.stem}/report.json"] = hashlib.sha256(
            json.dumps(report, sort_keys=True).encode()
        ).hexdigest()
        for path in sorted(dest.rglob("*")):
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="surrogateescape")
                data = _blank(text.replace(str(out), "OUT"))
                key = f"{article.stem}/{path.relative_to(dest)}"
                sums[key] = hashlib.sha256(data.encode("utf-8", "surrogateescape")).hexdigest()
    return sums


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="where to write the fingerprints (JSON)")
    parser.add_argument("--repo", default=str(REPO), help="the tree to run (default: this one)")
    parser.add_argument("--against", help="fingerprints of another tree to compare with")
    parser.add_argument(
        "--work", help="folder for the models (reused) and outputs (default: temporary)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tests"))
    from tinymodels import build_marian

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        kw = {"init_std": 0.5, "eos_bias": 3.0, "num_beams": 3}
        models = {}
        for lang, name, seed in (("en", "opus-mt-fr-en", 11), ("de", "opus-mt-fr-de", 12)):
            path = work / "models" / name
            if not (path / "config.json").exists():
                build_marian(path, seed=seed, target_lang=lang, **kw)
            models[lang] = path
        out = Path(tempfile.mkdtemp(prefix="out-", dir=work))
        sums = fingerprint(Path(args.repo).resolve(), models, out)
    Path(args.out).write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if not args.against:
        print(json.dumps({"files": len(sums)}))
        return 0
    old = json.loads(Path(args.against).read_text(encoding="utf-8"))
    differ = sorted(k for k in old.keys() | sums.keys() if old.get(k) != sums.get(k))
    print(json.dumps({"files": len(sums), "identical": len(sums) - len(differ), "differ": differ}))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
