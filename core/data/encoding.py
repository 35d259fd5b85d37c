"""Text encoding detection for uploaded CSV/TSV files (UTF-8, UTF-8-BOM, CP932, EUC-JP).

The order is deliberate, because charset-normalizer alone sometimes misreads a few rows of
Japanese text (it may answer cp949 or big5):

1. a byte-order mark decides (UTF-8-BOM, UTF-16);
2. NUL bytes mean a binary file;
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

from core.data.limits import DETECT_BYTES, MAX_REPLACED_SHARE
from core.errors import UserError

JAPANESE_LEGACY = ("cp932", "euc_jp")
_CHUNK = 1024 * 1024
_IMPLAUSIBLE = re.compile("[\uff61-\uff9f\ue000-\uf8ff]")  # half-width kana, private use


@dataclass(frozen=True)
class Detected:
    """The encoding to read with; ``exact`` is False when bytes must be replaced."""

    encoding: str
    exact: bool = True
    replaced: int = 0
    first_bad_line: int | None = None


def canonical_encoding(name: str) -> str:
    """Normalise an encoding name (``"Shift-JIS"`` → ``"cp932"``); unknown → UserError."""
    try:
        canon = codecs.lookup(name.strip()).name
    except (LookupError, AttributeError):
        raise UserError("data.import.unknown_encoding", encoding=str(name)) from None
    return "cp932" if canon == "shift_jis" else canon


def detect_encoding(content: bytes) -> Detected:
    """Choose the encoding of ``content`` (see the module docstring for the rules)."""
    if content.startswith(codecs.BOM_UTF8):
        return _check("utf-8-sig", content)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _check("utf-16", content)
    if b"\x00" in content:
        raise UserError("data.import.binary")
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
    return _check(name, content, user_choice=True)


def _check(name: str, content: bytes, user_choice: bool = False) -> Detected:
    """Accept ``name`` if it decodes ``content``; else replace bytes or refuse."""
    offset = _error_offset(content, name)
    if offset is None:
        return Detected(name)
    replaced, total = _replacement_count(content, name)
    if replaced > max(1, total * MAX_REPLACED_SHARE):
        key = "data.import.wrong_encoding" if user_choice else "data.import.undecodable"
        raise UserError(key, encoding=name)
    return Detected(name, exact=False, replaced=replaced, first_bad_line=_line_of(content, offset))


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
