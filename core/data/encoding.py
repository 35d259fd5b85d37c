"""Text encoding detection for uploaded CSV/TSV files (UTF-8, UTF-8-BOM, CP932, EUC-JP).

The order is deliberate, because charset-normalizer alone sometimes misreads a few rows of
Japanese text (it may answer cp949 or big5):

1. a byte-order mark decides (UTF-8-BOM, UTF-16);
2. NUL bytes mean UTF-16 without a byte-order mark when they sit on every other byte,
   otherwise a binary file (a few stray NULs in a text file are removed beforehand by
   :func:`strip_stray_nul`);
3. strict UTF-8 (ASCII included) wins if the whole file decodes;
4. otherwise the Japanese legacy encodings that decode the whole file strictly and
   round-trip are ranked by charset-normalizer restricted to them (Shift-JIS is read as
   CP932, the superset Excel writes), unless UTF-8 with a few bad bytes reads more
   plausibly (CP932 decodes most UTF-8 Japanese without error, as mojibake);
5. a file no candidate decodes (mixed encodings, e.g. UTF-8 rows appended to a CP932
   export) is decoded with the least damaging candidate, undecodable bytes replaced by
   U+FFFD and a warning; more than ``MAX_REPLACED_SHARE`` replaced characters is an error.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from core.data.limits import DETECT_BYTES, MAX_NUL_SHARE, MAX_REPLACED_SHARE, SNIFF_BYTES
from core.errors import UserError

JAPANESE_LEGACY = ("cp932", "euc_jp")
_CHUNK = 1024 * 1024
_IMPLAUSIBLE = re.compile("[\uff61-\uff9f\ue000-\uf8ff]")  # half-width kana, private use
_PROBE = b"a,\t;|\"\r\n0"  # delimiters, quote and line ends a reader must see as ASCII
_BINARY_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")  # control bytes text files do not hold
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Detected:
    """The encoding to read with; ``exact`` is False when bytes must be replaced."""

    encoding: str
    exact: bool = True
    replaced: int = 0
    first_bad_line: int | None = None


def canonical_encoding(name: str) -> str:
    """Normalise an encoding name (``"Shift-JIS"`` → ``"cp932"``); unknown → UserError.

    Only codecs that turn bytes into text are accepted (not ``base64``, ``rot13``, ``zlib``…).
    """
    try:
        info = codecs.lookup(name.strip())
        usable = getattr(info, "_is_text_encoding", True) and isinstance(codecs.decode(_PROBE, info.name, "replace"),
                                                                         str)
    except (LookupError, AttributeError, UnicodeError, TypeError, ValueError):
        usable = False
    if not usable:
        raise UserError("data.import.unknown_encoding", encoding=str(name)[:100])
    return "cp932" if info.name == "shift_jis" else info.name


def ascii_compatible(encoding: str) -> bool:
    """Whether ASCII delimiters, quotes and line ends are single ASCII bytes in ``encoding``."""
    try:
        return _PROBE.decode(encoding) == _PROBE.decode("ascii")
    except (UnicodeError, LookupError):
        return False


def strip_stray_nul(content: bytes) -> tuple[bytes, int]:
    """Remove a few NUL bytes from an otherwise plain text file: (content, NULs removed).

    Left alone (and refused later as binary) when NULs are more than ``MAX_NUL_SHARE`` of the
    bytes or other control bytes are present; UTF-16 files keep their NULs.
    """
    count = content.count(b"\x00")
    if not count or content.startswith(_UTF16_BOMS) or _utf16_byte_order(content):
        return content, 0
    if count > MAX_NUL_SHARE * len(content) or _BINARY_CONTROL.search(content):
        return content, 0
    return content.replace(b"\x00", b""), count


def detect_encoding(content: bytes) -> Detected:
    """Choose the encoding of ``content`` (see the module docstring for the rules)."""
    if content.startswith(codecs.BOM_UTF8):
        return _check("utf-8-sig", content)
    if content.startswith(_UTF16_BOMS):
        return _check("utf-16", content)
    if b"\x00" in content:
        order = _utf16_byte_order(content)
        if order is None:
            raise UserError("data.import.binary")
        return _check(order, content)
    if _error_offset(content, "utf-8") is None:
        return Detected("utf-8")
    strict = [enc for enc in JAPANESE_LEGACY if _error_offset(content, enc) is None]
    sample = _sample(content)
    strict = [enc for enc in strict if _round_trips(sample, enc)] or strict
    if not strict:
        return _least_damage(content)
    best = strict[0] if len(strict) == 1 else _rank(sample, strict)
    if _badness(sample, "utf-8") < _badness(sample, best):  # UTF-8 with a few foreign bytes
        return _least_damage(content)
    return Detected(best)


def resolve_encoding(content: bytes, encoding: str | None) -> Detected:
    """Detect the encoding, or check the user's choice (a BOM is honoured for UTF-8)."""
    if not encoding:
        return detect_encoding(content)
    name = canonical_encoding(encoding)
    if name == "utf-8" and content.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    elif name == "utf-16" and not content.startswith(_UTF16_BOMS):  # the streaming decoder needs a BOM
        name = _utf16_byte_order(content) or "utf-16-le"
    return _check(name, content, user_choice=True)


def _check(name: str, content: bytes, user_choice: bool = False) -> Detected:
    """Accept ``name`` if it decodes ``content``; else replace bytes or refuse."""
    key = "data.import.wrong_encoding" if user_choice else "data.import.undecodable"
    try:
        offset = _error_offset(content, name)
        if offset is None:
            return Detected(name)
        replaced, total = _replacement_count(content, name)
    except (UnicodeError, LookupError, TypeError, ValueError):  # e.g. UTF-32 without its BOM
        raise UserError(key, encoding=name) from None
    if replaced > max(1, total * MAX_REPLACED_SHARE):
        raise UserError(key, encoding=name)
    return Detected(name, exact=False, replaced=replaced, first_bad_line=_line_of(content, offset))


def _utf16_byte_order(content: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when NULs sit mostly on odd/even bytes (UTF-16 without BOM)."""
    sample = content[:SNIFF_BYTES]
    sample = sample[:len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.1 * half and odd >= 4 * even:
        order = "utf-16-le"
    elif even >= 0.1 * half and even >= 4 * odd:
        order = "utf-16-be"
    else:
        return None
    text = sample.decode(order, errors="replace")
    odd_chars = sum(1 for ch in text if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    if odd_chars > 0.01 * len(text) or ("\n" not in text and "\r" not in text):
        return None  # binary data, or text with a stray NUL, that only looks like UTF-16
    return order


def _error_offset(content: bytes, encoding: str) -> int | None:
    """Byte offset of the first undecodable sequence, or None (chunked, low memory)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    view = memoryview(content)
    for start in range(0, len(content), _CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(view[start:start + _CHUNK], final=start + _CHUNK >= len(content))
        except UnicodeDecodeError as exc:
            return max(0, start - pending + exc.start)
    return None


def _replacement_count(content: bytes, encoding: str) -> tuple[int, int]:
    """(replaced characters, all characters) when decoding with replacement."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    replaced = total = 0
    view = memoryview(content)
    for start in range(0, max(len(content), 1), _CHUNK):
        text = decoder.decode(view[start:start + _CHUNK], final=start + _CHUNK >= len(content))
        replaced += text.count("\ufffd")
        total += len(text)
    return replaced, total


def _badness(content: bytes, encoding: str) -> int:
    """How implausible a decoding looks: replacements weigh most, then half-width kana."""
    text = content.decode(encoding, errors="replace")
    return 20 * text.count("\ufffd") + len(_IMPLAUSIBLE.findall(text))


def _least_damage(content: bytes) -> Detected:
    """Pick the candidate with the fewest replaced characters for a mixed-encoding file."""
    sample = content if len(content) <= 8 * DETECT_BYTES else _sample(content)
    best = min(("utf-8",) + JAPANESE_LEGACY, key=lambda enc: _badness(sample, enc))
    return _check(best, content)


def _rank(sample: bytes, names: list[str]) -> str:
    """Let charset-normalizer rank ``names``; fall back to the plausibility score."""
    isolation = list(names) + (["shift_jis"] if "cp932" in names else [])
    guess = from_bytes(sample, cp_isolation=isolation).best()
    if guess is not None:
        name = canonical_encoding(guess.encoding)
        if name in names:
            return name
    return min(names, key=lambda enc: (_badness(sample, enc), names.index(enc)))


def _round_trips(sample: bytes, encoding: str) -> bool:
    """Whether decoding then encoding ``sample`` gives the same bytes."""
    try:
        return sample.decode(encoding).encode(encoding) == sample
    except UnicodeError:
        return False


def _sample(content: bytes) -> bytes:
    """Whole lines around the first non-ASCII byte, at most ``DETECT_BYTES`` long."""
    match = re.search(rb"[\x80-\xff]", content)
    start = content.rfind(b"\n", 0, match.start()) + 1 if match else 0
    end = start + DETECT_BYTES
    if end >= len(content):
        return content[start:]
    cut = content.rfind(b"\n", start, end)
    return content[start:cut + 1] if cut > start else content[start:end]


def _line_of(content: bytes, offset: int) -> int:
    """1-based line number of a byte offset."""
    return content.count(b"\n", 0, offset) + 1
