"""A text upload's encoding, from its byte-order mark or as the caller declares it, and its
bytes as UTF-8 (what the CSV and vCard readers read).

Without a BOM a file is UTF-8 unless the caller declares another encoding: an undeclared
file that is not valid UTF-8 is refused NOT_UTF8, with the encoding it most likely is
(charset-normalizer, on the bytes around the first bad one) and how to declare it. No
encoding is ever guessed silently: Windows-1252 and ISO-8859-1/-15 accept every byte, so a
guess would import wrong letters without a word. Conversion goes a chunk at a time, so the
decoded text of a whole file never exists as one str.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

from shared.errors import FileRejected, Reason
from shared.i18n.text import t

# The encodings a caller may declare (FileMetadata.encoding, `import --encoding`), by the
# name the API takes and reports, with their Python codec.
DECLARABLE: dict[str, str] = {
    "utf-8": "utf-8",
    "utf-16": "utf-16",
    "windows-1252": "cp1252",
    "iso-8859-1": "latin-1",
    "iso-8859-15": "iso8859-15",
}
_BY_CODEC = {codecs.lookup(codec).name: name for name, codec in DECLARABLE.items()}
_BY_CODEC.update({"utf-16-le": "utf-16", "utf-16-be": "utf-16", "utf-8-sig": "utf-8"})

UTF8_BOM = b"\xef\xbb\xbf"
# Longest first: a UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (UTF8_BOM, "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Read and decoded this many bytes at a time: decoded text may take four bytes a character
# (a chunk with one emoji), so a chunk costs a few times its size while it is checked.
_CHUNK = 1 << 18
_SNIFF_WINDOW = 32 * 1024
# The most the encoding guess looks at on either side of the first bad byte: whole lines
# from _SNIFF_WINDOW on, cut here when a line is longer.
_WINDOW_REACH = 4 * _SNIFF_WINDOW
# What charset-normalizer may answer: the declarable single-byte encodings, and Mac Roman
# (Excel for Mac's "CSV"), which cannot be declared but is worth naming.
_CANDIDATES = ["cp1252", "iso8859_15", "latin_1", "mac_roman"]
_REPORTED = {"cp1252": "windows-1252", "iso8859_15": "iso-8859-15", "latin_1": "iso-8859-1"}


@dataclass(frozen=True)
class TextEncoding:
    """How a text file's bytes are read: the Python codec, and the BOM bytes to skip."""

    codec: str
    bom: int = 0

    @property
    def name(self) -> str:
        """The name reported on the import: utf-8, utf-16le, windows-1252, ..."""
        return _NAMES.get(self.codec) or _BY_CODEC[self.codec]


_NAMES = {"utf-16-le": "utf-16le", "utf-16-be": "utf-16be"}
_NAMES |= {"utf-32-le": "utf-32le", "utf-32-be": "utf-32be"}
UTF8 = TextEncoding("utf-8")


def declared_encoding(name: str) -> str:
    """The API's name for a declarable encoding ("" when none is declared).

    Any spelling Python knows is taken ("UTF8", "cp1252", "latin-1"); raises ValueError for
    an encoding that is not declarable.
    """
    if not name.strip():
        return ""
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        raise ValueError(name) from None
    if codec not in _BY_CODEC:
        raise ValueError(name)
    return _BY_CODEC[codec]


def text_encoding(head: bytes, declared: str = "") -> TextEncoding:
    """The encoding of a text file from its first bytes: its BOM, else `declared`, else UTF-8.

    A BOM wins over a declaration (it cannot be mistaken). UTF-16 declared without a BOM is
    read in the byte order its NUL bytes show (ASCII "A" is 41 00 in LE, 00 41 in BE).
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return TextEncoding(codec, len(bom))
    if not declared:
        return UTF8
    codec = codecs.lookup(DECLARABLE[declared_encoding(declared)]).name
    if codec == "utf-16":
        sample = head[: len(head) & ~1][:1024]
        big_endian = sample[0::2].count(0) > sample[1::2].count(0)
        return TextEncoding("utf-16-be" if big_endian else "utf-16-le")
    return TextEncoding(codec)


def head_as_utf8(head: bytes, encoding: TextEncoding) -> bytes:
    """A file's first bytes as UTF-8, for telling its format by content (undecodable dropped)."""
    if encoding.codec == "utf-8":
        return head[encoding.bom :]
    return head[encoding.bom :].decode(encoding.codec, errors="ignore").encode()


def to_utf8(data: bytes, encoding: TextEncoding) -> bytes:
    """The file's text as UTF-8 bytes without a BOM; raises FileRejected when it does not decode.

    `utf8_chunks` over the whole file, but a UTF-8 file's own bytes are handed back (no copy).
    """
    if encoding.codec == "utf-8":
        body = data[encoding.bom :] if encoding.bom else data
        position = utf8_error_at(body)
        if position is not None:
            raise _not_utf8(body, position)
        return body
    return b"".join(utf8_chunks(io.BytesIO(data), encoding))


def utf8_chunks(file: BinaryIO, encoding: TextEncoding) -> Iterator[bytes]:
    """A text file's text as UTF-8 without its BOM, 256 KiB (of the file) at a time.

    Reads `file` (seekable) from its start; raises FileRejected where `to_utf8` would on the
    whole file (the same reason, message and metadata), after giving the chunks before.
    """
    file.seek(encoding.bom)
    if encoding.codec == "utf-8":
        yield from _checked_utf8(file, encoding.bom)
        return
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors=_errors(encoding.codec))
    decoded = LineCount()
    while True:
        chunk = file.read(_CHUNK)
        buffered = decoder.getstate()[0]  # bytes of a character split by the last chunk
        try:
            text = decoder.decode(chunk, final=not chunk).encode()
        except UnicodeDecodeError as exc:
            # The line of the first byte that does not decode: what comes before it does.
            before = (buffered + chunk)[: exc.start]
            decoded.add(before.decode(encoding.codec, errors="ignore").encode())
            raise _undecodable(encoding, decoded.breaks) from None
        decoded.add(text)
        if text:
            yield text
        if not chunk:
            return


def _checked_utf8(file: BinaryIO, bom: int) -> Iterator[bytes]:
    check = Utf8Check()
    while True:
        chunk = file.read(_CHUNK)
        position = check.feed(chunk)
        if position is not None:
            # The text before the bad byte is read again for its line, and the bytes around
            # it for the encoding it looks like.
            file.seek(bom)
            breaks = lines_before(iter(lambda: file.read(_CHUNK), b""), position)
            low = max(0, position - _WINDOW_REACH)
            file.seek(bom + low)
            around = file.read(position + _WINDOW_REACH - low)
            raise _refusal_not_utf8(breaks + 1, around[position - low], around, position - low)
        if not chunk:
            return
        yield chunk


class Utf8Check:
    """The UTF-8 check of a text read in chunks: the first bad byte's offset, exactly where a
    decode of the whole text would refuse it."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.start = 0
        """The offset of the chunk fed last."""
        self._next = 0

    def feed(self, chunk: bytes | memoryview) -> int | None:
        """Check the next chunk (b"" at the end): the offset of the first bad byte, or None."""
        self.start = self._next
        self._next += len(chunk)
        pending = len(self._decoder.getstate()[0])  # bytes of a character split by the chunk
        if isinstance(chunk, bytes) and chunk and not pending and chunk.isascii():
            return None  # most text: no decoding at all
        try:
            self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            return self.start - pending + exc.start
        return None


def utf8_error_at(body: bytes) -> int | None:
    """The offset of the first byte that is not valid UTF-8, or None for valid text."""
    if body.isascii():  # most files: no decoding at all
        return None
    check = Utf8Check()
    view = memoryview(body)
    for start in range(0, len(body), _CHUNK):
        position = check.feed(view[start : start + _CHUNK])
        if position is not None:
            return position
    return check.feed(b"")


def line_breaks(data: bytes) -> int:
    """How many line breaks `data` holds: CRLF, LF and a lone CR each count once."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


class LineCount:
    """`line_breaks` of a text read in pieces, a CRLF split between two pieces counted once."""

    def __init__(self) -> None:
        self.breaks = 0
        self._after_cr = False

    def add(self, piece: bytes) -> None:
        if piece:
            self.breaks += line_breaks(piece) - (self._after_cr and piece[:1] == b"\n")
            self._after_cr = piece[-1:] == b"\r"


def lines_before(chunks: Iterable[bytes], offset: int) -> int:
    """The line breaks of the text `chunks` make before `offset` (read no further)."""
    lines = LineCount()
    for chunk in chunks:
        if offset <= 0:
            break
        lines.add(chunk[:offset])
        offset -= len(chunk)
    return lines.breaks


def likely_encoding(body: bytes, position: int) -> str:
    """The single-byte encoding the bytes around `position` most likely are ("" if none).

    charset-normalizer over a window of whole lines around the first byte that is not UTF-8;
    the name is the API's ("windows-1252") or "mac_roman" (which cannot be declared).
    """
    floor = max(0, position - _WINDOW_REACH)
    start = body.rfind(b"\n", floor, max(0, position - _SNIFF_WINDOW))
    end = body.find(b"\n", position + _SNIFF_WINDOW, position + _WINDOW_REACH)
    first = start + 1 if start >= 0 else floor
    window = body[first : end if end >= 0 else position + _WINDOW_REACH]
    best = from_bytes(window, cp_isolation=_CANDIDATES).best()
    if best is None:
        return ""
    return _REPORTED.get(best.encoding, best.encoding)


def _errors(codec: str) -> str:
    # Windows-1252 leaves five bytes undefined (81 8D 8F 90 9D); no text holds them (browsers
    # read them as invisible control characters), so they are dropped like the C0 controls
    # that value cleaning removes. Every other declarable encoding fails only on damage.
    return "ignore" if codec == "cp1252" else "strict"


def _not_utf8(body: bytes, position: int) -> FileRejected:
    return _refusal_not_utf8(line_breaks(body[:position]) + 1, body[position], body, position)


def _refusal_not_utf8(line_number: int, bad: int, around: bytes, position: int) -> FileRejected:
    """NOT_UTF8 for the byte `bad` on line `line_number`; `around` holds the bytes within
    _WINDOW_REACH of it (or the whole text), the bad one at `position`."""
    line = str(line_number)
    byte = "0x%02X" % bad  # noqa: UP031 (an f-string here confuses pybabel)
    likely = likely_encoding(around, position)
    if likely in DECLARABLE:
        # Translators: {line} is a line number of the file; {byte} a hexadecimal byte such as
        # 0xE9; {encoding} the encoding's name as the caller writes it (windows-1252).
        message = t(
            "The file is not UTF-8 text: line {line} has a byte ({byte}) that UTF-8 does not "
            "allow, and the file looks like {encoding} text. Upload it again with its encoding "
            "(`contactimport import --encoding {encoding}`, or `encoding` in the upload's "
            'metadata), or in Excel choose File > Save As > "CSV UTF-8 (Comma delimited) '
            '(*.csv)" and upload the new file.',
            line=line,
            byte=byte,
            encoding=likely,
        )
        return FileRejected(Reason.NOT_UTF8, message, line=line, likely_encoding=likely)
    if likely == "mac_roman":
        # Translators: {line} is a line number of the file; {byte} a hexadecimal byte.
        message = t(
            "The file is not UTF-8 text: line {line} has a byte ({byte}) that UTF-8 does not "
            "allow, and the file looks like Mac Roman text, as Excel for Mac writes a plain "
            '"CSV". In Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)" '
            "and upload the new file.",
            line=line,
            byte=byte,
        )
        return FileRejected(Reason.NOT_UTF8, message, line=line, likely_encoding="macintosh")
    # Translators: {line} is a line number of the file; {byte} is a hexadecimal
    # byte such as 0xE9.
    message = t(
        "The file is not UTF-8 text: line {line} has a byte ({byte}) that UTF-8 "
        "does not allow, so it was probably saved as Windows-1252 (ANSI) or, by "
        'Excel for Mac, as Mac Roman. To fix it, in Excel choose File > Save As > "CSV '
        'UTF-8 (Comma delimited) (*.csv)" and upload the new file.',
        line=line,
        byte=byte,
    )
    return FileRejected(Reason.NOT_UTF8, message, line=line)


def _undecodable(encoding: TextEncoding, breaks: int) -> FileRejected:
    """MALFORMED_FILE for a text that does not decode after `breaks` line breaks."""
    line = str(breaks + 1)
    return FileRejected(
        Reason.MALFORMED_FILE,
        # Translators: {encoding} is utf-16le, utf-16be, utf-32le or utf-32be; {line} a line
        # number of the file.
        t(
            "The file is not valid {encoding} text: line {line} ends inside a character, so "
            "the file is damaged or not in that encoding. Export the contacts again and "
            "upload the new file.",
            encoding=encoding.name,
            line=line,
        ),
        line=line,
    )
