"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected legacy charset."""

from __future__ import annotations

import codecs

from kg.errors import InputError

_BINARY_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) - {27}


def looks_binary(data: bytes) -> bool:
    """True when a sample of `data` is mostly control bytes (an image, an archive, ...).

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00")
    True
    >>> looks_binary("Plain “text”".encode())
    False
    """
    sample = data[:4096]
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in sample if b in _BINARY_CONTROL)
    return controls / len(sample) > 0.05


def decode_bytes(data: bytes, path: str = "<bytes>") -> str:
    """Decode article bytes; raise `InputError` naming `path` when it is not text.

    >>> decode_bytes("café".encode("cp1252"))
    'café'
    >>> decode_bytes(codecs.BOM_UTF8 + b"x")
    'x'
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path)
    if looks_binary(data):
        raise InputError(path, "binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _lone_high_bytes(data):
        # Every non-ASCII byte stands alone, as accented letters do in a Windows/Latin-1
        # file; multi-byte encodings come in runs. A statistical guess on so little
        # evidence often takes such text for a CJK encoding.
        return (
            data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot detect the text encoding")
    text = str(best)
    if _mostly_unprintable(text):
        raise InputError(path, "undecodable: not text in any known encoding")
    return text


def _lone_high_bytes(data: bytes) -> bool:
    return not any(a >= 0x80 and b >= 0x80 for a, b in zip(data, data[1:]))


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"invalid {encoding} at byte {exc.start}") from None


def _mostly_unprintable(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:4096] if not (ch.isprintable() or ch in "\n\r\t"))
    return bad / min(len(text), 4096) > 0.05
