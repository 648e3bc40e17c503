#!/usr/bin/env python3
"""Print an HTML file to PDF with headless Chromium, through the DevTools protocol on a pipe.

    .venv/bin/python benchmarks/chromium_pdf.py CHROMIUM file:///.../catalogue.html out.pdf

The same as `chromium --headless --print-to-pdf=out.pdf --no-pdf-header-footer URL`, except that the PDF
comes back as a stream (Page.printToPDF with transferMode ReturnAsStream, read in 1 MB chunks): the
command-line flag returns the whole PDF as one base64 string, and Chromium's renderer dies ("V8 error:
Empty MaybeLocal") on a 340-page catalogue with print-resolution images. Standard library only: the
protocol runs over --remote-debugging-pipe (file descriptors 3 and 4, NUL-terminated JSON).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
    "--remote-debugging-pipe",
]


class Pipe:
    def __init__(self, browser: str, profile: str):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # the child reads commands on fd 3 and answers on fd 4
            import fcntl

            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 100)  # out of the way of 3 and 4 first
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 100)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [browser, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []

    def _read_message(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (it crashed or exited)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str) -> dict:
        for i, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            event = self._read_message()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def print_pdf(browser: str, url: str, target: str) -> int:
    """Load `url`, print it (CSS page size, backgrounds, no header or footer) to `target`; its size."""
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    pipe = Pipe(browser, profile)
    try:
        target_id = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]
        pipe.call("Page.enable", session=session)
        pipe.call("Page.navigate", {"url": url}, session=session)
        pipe.wait_event("Page.loadEventFired", session)
        stream = pipe.call(
            "Page.printToPDF",
            {
                "printBackground": True,
                "preferCSSPageSize": True,
                "displayHeaderFooter": False,
                "transferMode": "ReturnAsStream",
            },
            session=session,
        )["stream"]
        size = 0
        with open(target, "wb") as out:
            while True:
                chunk = pipe.call("IO.read", {"handle": stream, "size": 1 << 20}, session=session)
                data = base64.b64decode(chunk["data"]) if chunk.get("base64Encoded") else chunk["data"].encode()
                out.write(data)
                size += len(data)
                if chunk.get("eof"):
                    break
        pipe.call("IO.close", {"handle": stream}, session=session)
        return size
    finally:
        pipe.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    print(json.dumps({"bytes": print_pdf(*sys.argv[1:])}))
