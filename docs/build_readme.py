"""Assemble README.md from docs/readme_head.md, the command sections in docs/cli/, and docs/readme_tail.md.

Run `python docs/build_readme.py` after editing any of them; tests/test_readme.py checks it is current.
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent
ORDER = ["codebook", "validate", "store", "compare", "scale", "review"]


def build() -> str:
    parts = [(DOCS / "readme_head.md").read_text(encoding="utf-8").rstrip() + "\n"]
    for name in ORDER:
        p = DOCS / "cli" / f"{name}.md"
        if p.exists():
            parts.append(p.read_text(encoding="utf-8").rstrip() + "\n")
    parts.append((DOCS / "readme_tail.md").read_text(encoding="utf-8").rstrip() + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    (DOCS.parent / "README.md").write_text(build(), encoding="utf-8")
    print("README.md written")
