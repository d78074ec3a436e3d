"""Unwrap CMS-signed (PKCS#7) configuration profiles without a crypto library.

MDMs and Apple Configurator sign profiles: the XML plist then sits inside a DER/BER
``SignedData`` structure as an OCTET STRING (split into chunks when the encoder
used indefinite lengths).  k12check does not verify the signature — it reads the
settings — so a small TLV walker that finds the embedded plist is enough.
Every length is bounds-checked; depth and node count are capped.
"""

from __future__ import annotations

from ..errors import InputError

MAX_DEPTH = 32
MAX_NODES = 20_000
_OCTET_STRING = 0x04
_OCTET_STRING_CONSTRUCTED = 0x24
UNSIGN_HINT = (
    "export the profile unsigned from the MDM, or unwrap it first: "
    "security cms -D -i FILE -o unsigned.mobileconfig (macOS) or "
    "openssl smime -verify -noverify -inform DER -in FILE -out unsigned.mobileconfig"
)


class _Bad(Exception):
    """Malformed DER/BER (internal; becomes an InputError)."""


def looks_signed(data: bytes) -> bool:
    """A DER/BER SEQUENCE header (0x30 then a long or indefinite length), as signed profiles start."""
    return len(data) > 4 and data[0] == 0x30 and data[1] in (0x80, 0x81, 0x82, 0x83, 0x84)


def unwrap_signed(data: bytes, file: str) -> bytes:
    """The XML plist embedded in a CMS-signed profile, or an InputError saying how to unwrap it."""
    try:
        chunks = _Walker(data).octets()
    except _Bad:
        chunks = []
    for chunk in chunks:
        start = chunk.find(b"<?xml")
        if start < 0:
            start = chunk.find(b"<plist")
        if start >= 0 and b"</plist>" in chunk:
            return chunk[start:]
    raise InputError(file, "a signed (CMS) profile with no readable XML property list inside", UNSIGN_HINT)


class _Walker:
    """Collects OCTET STRING contents in order; a constructed OCTET STRING yields its joined pieces."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.nodes = 0

    def octets(self) -> list[bytes]:
        out: list[bytes] = []
        self._seq(0, len(self.buf), 0, out, until_eoc=False)
        return out

    def _seq(self, pos: int, end: int, depth: int, out: list[bytes], until_eoc: bool) -> int:
        while pos < end:
            if until_eoc and self.buf[pos : pos + 2] == b"\x00\x00":
                return pos + 2
            pos = self._node(pos, end, depth, out)
        if until_eoc:
            raise _Bad("missing end-of-contents")
        return pos

    def _node(self, pos: int, end: int, depth: int, out: list[bytes]) -> int:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _Bad("too complex")
        tag, pos = self._tag(pos, end)
        length, pos = self._length(pos, end)
        constructed = bool(tag & 0x20)
        if length is None:  # indefinite (BER): children until end-of-contents
            if not constructed:
                raise _Bad("indefinite primitive")
            inner: list[bytes] = []
            pos = self._seq(pos, end, depth + 1, inner, until_eoc=True)
            out.append(b"".join(inner)) if tag == _OCTET_STRING_CONSTRUCTED else out.extend(inner)
            return pos
        stop = pos + length
        if stop > end:
            raise _Bad("length past the end")
        if constructed:
            inner = []
            self._seq(pos, stop, depth + 1, inner, until_eoc=False)
            out.append(b"".join(inner)) if tag == _OCTET_STRING_CONSTRUCTED else out.extend(inner)
        elif tag == _OCTET_STRING:
            out.append(self.buf[pos:stop])
        return stop

    def _tag(self, pos: int, end: int) -> tuple[int, int]:
        if pos >= end:
            raise _Bad("truncated tag")
        tag = self.buf[pos]
        pos += 1
        if tag & 0x1F == 0x1F:  # high tag number form: skip the continuation bytes
            while pos < end and self.buf[pos] & 0x80:
                pos += 1
            pos += 1
        return tag, pos

    def _length(self, pos: int, end: int) -> tuple[int | None, int]:
        if pos >= end:
            raise _Bad("truncated length")
        first = self.buf[pos]
        pos += 1
        if first < 0x80:
            return first, pos
        if first == 0x80:
            return None, pos
        count = first & 0x7F
        if count > 4 or pos + count > end:
            raise _Bad("bad length")
        return int.from_bytes(self.buf[pos : pos + count], "big"), pos + count
