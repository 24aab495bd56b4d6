"""Start sphinxcontrib-katex's node server reliably on a busy machine.

sphinxcontrib-katex waits for the server's socket file to appear and then
connects once. The file appears when node binds the socket, a moment before it
listens, so on a loaded machine the single attempt can be refused
(``ConnectionRefusedError``) and the build fails. This retries the connection
until the start-up deadline, which is also raised from 5 s to 30 s.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from subprocess import PIPE, Popen
from typing import Any

from sphinxcontrib import katex

STARTUP_TIMEOUT = 30.0


def _start_server_process(
    cls: type[katex.KaTeXServer], rundir: Path, timeout: float
) -> tuple[Popen[bytes], socket.socket]:
    socket_path = rundir / "katex.sock"
    process = Popen(cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE, cwd=rundir)
    deadline = time.monotonic() + max(timeout, STARTUP_TIMEOUT)
    while time.monotonic() < deadline:
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(socket_path))
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()
            else:
                return process, sock
        time.sleep(0.01)
    process.kill()
    raise cls.timeout_error(timeout)


#: What the replacement reads or replaces; pyproject.toml pins the release range.
_NEEDED = ("start_server_process", "build_command", "timeout_error")


def install() -> None:
    """Replace the one-shot connection of sphinxcontrib-katex with a retrying one.

    Raises:
        RuntimeError: this sphinxcontrib-katex lacks a method the patch needs, so
            the patch would silently stop working.
    """
    server: Any = getattr(katex, "KaTeXServer", None)
    missing = [name for name in _NEEDED if not hasattr(server, name)]
    if missing:
        raise RuntimeError(
            f"sphinxcontrib-katex {getattr(katex, '__version__', '?')} has no "
            f"KaTeXServer.{', KaTeXServer.'.join(missing)}: update "
            "docs/_ext/tensornotes_docs/katex_startup.py for this release"
        )
    server.start_server_process = classmethod(_start_server_process)
