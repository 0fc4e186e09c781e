"""Faults injected for real: a loopback TCP proxy in front of PostgreSQL that can refuse,
reset or black-hole connections, as a network outage, a crash or a partition does."""

from __future__ import annotations

import asyncio
import contextlib
import enum
from urllib.parse import parse_qs, urlsplit, urlunsplit

from shared.settings import Settings


class Fault(enum.Enum):
    NONE = "none"
    REFUSE = "refuse"  # nothing listens: every connect is refused, open connections drop
    RESET = "reset"  # connects are accepted and reset at once, open connections reset
    BLACKHOLE = "blackhole"  # connects are accepted, nothing is ever answered (a partition)


class TcpProxy:
    """A loopback TCP proxy to PostgreSQL whose traffic a test can break in three ways.

    The server behind it is reached over TCP, or over its unix socket (the embedded one).
    """

    def __init__(self, host: str, port: int, socket_dir: str = "") -> None:
        self._target = (host, port)
        self._socket = f"{socket_dir}/.s.PGSQL.{port}" if socket_dir else ""
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._held: set[asyncio.StreamWriter] = set()
        self.fault = Fault.NONE
        self.port = 0

    @classmethod
    def for_settings(cls, settings: Settings) -> TcpProxy:
        parts = urlsplit(settings.database_url)
        socket_dir = parse_qs(parts.query).get("host", [""])[0] if not parts.hostname else ""
        return cls(parts.hostname or "127.0.0.1", parts.port or 5432, socket_dir)

    def dsn(self, settings: Settings) -> str:
        """settings.database_url through this proxy (over TCP, also for a unix-socket server)."""
        parts = urlsplit(settings.database_url)
        user = f"{parts.username}@" if parts.username else ""
        return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{self.port}", query=""))

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.fault is Fault.RESET:
            writer.transport.abort()
            return
        if self.fault is Fault.BLACKHOLE:
            self._held.add(writer)  # never answered, never closed: a silent network
            return
        if self._socket:
            up_reader, up_writer = await asyncio.open_unix_connection(self._socket)
        else:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await src.read(65536):
                    if self.fault is Fault.BLACKHOLE:
                        continue  # dropped on the floor
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def break_with(self, fault: Fault) -> None:
        """Start failing in the way of `fault` (new and open connections alike)."""
        self.fault = fault
        if fault is Fault.REFUSE:
            await self._stop_listening()
        if fault in (Fault.REFUSE, Fault.RESET):
            for writer in self._writers:
                writer.transport.abort()
            self._writers.clear()

    async def heal(self) -> None:
        """Traffic flows again; black-holed connections are dropped (as a timeout would)."""
        self.fault = Fault.NONE
        for writer in self._held:
            writer.transport.abort()
        self._held.clear()
        if self._server is None:
            await self.start()

    async def cut(self) -> None:
        """Stop accepting and drop every open connection."""
        await self.break_with(Fault.REFUSE)

    async def close(self) -> None:
        await self.cut()
        for writer in self._held:
            writer.transport.abort()
        self._held.clear()

    async def _stop_listening(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
