"""Translation catalogs: extract every marked message into locales/messages.pot and update each locale's .po.

    python scripts/i18n.py            # extract, then update locales/<lang>/LC_MESSAGES/messages.po
    python scripts/i18n.py --check    # exit 1 if the template is out of date (tests run this)

The app reads the .po files directly (compiled in memory at start), so there is no build step to forget.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "locales" / "messages.pot"
KEYWORDS = ["-k", "N_", "-k", "Nn_:1,2", "-k", "_f"]


def extract(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    *KEYWORDS, "--no-location", "--sort-output", "--omit-header", "--add-comments=Translators:",
                    "-o", str(out), str(ROOT)], check=True, cwd=ROOT, capture_output=True)


def ids(path: Path) -> set[tuple[str | None, str]]:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(f) if m.id}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check that the template is up to date")
    args = ap.parse_args()
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "messages.pot"
            extract(fresh)
            missing = ids(fresh) - ids(POT)
            stale = ids(POT) - ids(fresh)
        for ctx, mid in sorted(missing, key=str):
            print(f"not in the template: {mid!r}" + (f" (context {ctx})" if ctx else ""))
        for _ctx, mid in sorted(stale, key=str):
            print(f"no longer in the code: {mid!r}")
        return 1 if missing or stale else 0
    extract(POT)
    for po in sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po")):
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "update", "-i", str(POT), "-o", str(po),
                        "-l", po.parent.parent.name, "--no-fuzzy-matching", "--ignore-obsolete"],
                       check=True, cwd=ROOT, capture_output=True)
    print(f"{POT.relative_to(ROOT)}: {len(ids(POT))} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
