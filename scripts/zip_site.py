"""Zip a built site into one download: ``python3 scripts/zip_site.py SITE_DIR ZIP_PATH``.

Every file goes under one top folder named after the zip (``studysite-offline/…``), so
unpacking gives a single folder whose ``index.html`` opens from ``file://``. The archive is
reproducible: entries are sorted and carry a fixed timestamp and permissions, so the same
site always gives the same bytes. Only the standard library is used (no ``zip`` binary).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

# 1980-01-01, the earliest date a zip entry can hold.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def zip_site(site: Path, out: Path, top: str | None = None) -> int:
    """Write ``site`` into ``out`` under the folder ``top``; return the number of files."""
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}/index.html is missing: build the site first")
    top = top or out.name.removesuffix(".zip")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    files = sorted(p for p in site.rglob("*") if p.is_file())
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(site).as_posix()}", FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(out)
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder (has index.html)")
    parser.add_argument("zip", type=Path, help="the zip to write")
    parser.add_argument("--top", help="folder name inside the zip (default: the zip's stem)")
    args = parser.parse_args(argv)
    try:
        n = zip_site(args.site, args.zip, args.top)
    except FileNotFoundError as e:
        print(f"zip_site: {e}", file=sys.stderr)
        return 1
    print(f"{args.zip}: {n} files, {args.zip.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
