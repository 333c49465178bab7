"""A TCP proxy the fault tests control: forwards 127.0.0.1:<port> to the national node.

`cut()` resets every live connection (RST, as a broken network would) and refuses new ones
until `restore()`. The proxy only forwards bytes: TLS stays end to end between the region
and the national node, so the proxy cannot read or alter what they say.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from typing import Any

CONNECT_TIMEOUT_S = 5.0
CALL_TIMEOUT_S = 10.0


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close a connection with a TCP RST rather than an orderly FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


class TcpProxy:
    """A loopback TCP forwarder running its own event loop in a daemon thread."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.accepted = 0          # connections forwarded
        self.refused = 0           # connections reset on arrival while cut
        self.cut_connections = 0   # live connections reset by cut()
        self._cut = False
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-tcp-proxy", daemon=True)
        self._thread.start()
        self._server: asyncio.base_events.Server = self._call(self._listen())
        self.port: int = self._server.sockets[0].getsockname()[1]

    @property
    def address(self) -> str:
        """host:port for a region's `--national`."""
        return f"127.0.0.1:{self.port}"

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(CALL_TIMEOUT_S)

    async def _listen(self) -> asyncio.base_events.Server:
        return await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            self.refused += 1
            _reset(writer)
            return
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*self.target), CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError):
            _reset(writer)
            return
        pair = (writer, up_writer)
        self._pairs.add(pair)
        self.accepted += 1
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._pairs.discard(pair)
            for w in pair:
                w.transport.abort()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()  # one side gone: the other direction is useless too

    async def _do_cut(self) -> int:
        self._cut = True
        pairs = list(self._pairs)
        for client, upstream in pairs:
            _reset(client)
            _reset(upstream)
        return len(pairs)

    async def _do_restore(self) -> None:
        self._cut = False

    def cut(self) -> int:
        """Reset every live connection and refuse new ones; returns how many were live."""
        live: int = self._call(self._do_cut())
        self.cut_connections += live
        return live

    def restore(self) -> None:
        """Forward new connections again."""
        self._call(self._do_restore())

    def close(self) -> None:
        """Stop listening, reset what is left and stop the loop thread."""
        if not self._loop.is_running():
            return

        async def _shutdown() -> None:
            self._server.close()
            await self._do_cut()

        try:
            self._call(_shutdown())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(CALL_TIMEOUT_S)
            self._loop.close()
