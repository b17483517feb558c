"""The process Jupyter starts for a chapter's kernel when a warm process runs (:mod:`scalegap.warm_kernels`).

``python -m scalegap.warm_kernel_launcher SOCKET ARGS...`` asks the warm process at ``SOCKET`` for a kernel
forked with ipykernel's ``ARGS`` (``-f CONNECTION_FILE ...``), this process's environment, working folder and
standard streams; then it stands in for that kernel: the signals the kernel manager sends it go to the kernel,
and it ends with the kernel's exit code.  If this process is killed, or its parent (the chapter worker) ends,
the kernel is stopped too.  Only the standard library is imported here: this process starts once per chapter.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
from types import FrameType
from typing import Any

#: the signals passed on to the kernel (an interrupt; a stop)
RELAYED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
#: seconds between looks at whether the parent is still there
POLL_SECONDS = 1.0


class Messages:
    """The JSON messages, one a line, that arrive on a socket: :meth:`next` waits up to ``timeout`` seconds for
    one (None if none came), and raises EOFError when the other end has closed."""

    def __init__(self, connection: socket.socket, received: bytes = b"") -> None:
        self.connection = connection
        self.pending = received

    def next(self, timeout: float | None = None) -> dict[str, Any] | None:
        while b"\n" not in self.pending:
            readable, _, _ = select.select([self.connection], [], [], timeout)
            if not readable:
                return None
            chunk = self.connection.recv(65536)
            if not chunk:
                raise EOFError
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        message: dict[str, Any] = json.loads(line)
        return message


def send(connection: socket.socket, message: dict[str, Any]) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def main(arguments: list[str]) -> int:
    address, kernel_arguments = arguments[0], arguments[1:]
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    pending: list[int] = []  # signals that came before the kernel was there to take them

    def relay(number: int, frame: FrameType | None) -> None:
        if not started:
            pending.append(number)
        else:
            send(connection, {"signal": number})

    started = False
    for relayed in RELAYED:
        signal.signal(relayed, relay)
    connection.connect(address)
    request = {"argv": kernel_arguments, "env": dict(os.environ), "cwd": os.getcwd()}
    socket.send_fds(connection, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    messages = Messages(connection)
    try:
        messages.next()  # the kernel's process id: it has started
    except EOFError:
        print(f"the warm process at {address} did not start a kernel", file=sys.stderr)
        return 1
    started = True
    for waiting in pending:
        send(connection, {"signal": waiting})
    parent = os.getppid()
    while True:
        try:
            message = messages.next(POLL_SECONDS)
        except EOFError:
            return 1
        if message is not None:
            return int(message["exit"])
        if os.getppid() != parent:  # the worker that started this kernel is gone
            return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
