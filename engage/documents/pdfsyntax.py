"""Reading PDF syntax where pypdf's view is not enough: whether a page's content ends cleanly,
so the stamp drawn after it is read as drawing; and whether a dictionary gives a key twice,
which pypdf reads as its first value and other readers as its last (ADR 0009).

Both are single passes with regular expressions doing the byte-by-byte work, so their cost
grows with the bytes scanned and nothing else.
"""

import re
import zlib
from collections.abc import Callable

_WHITE = rb"\x00\t\n\x0c\r "
_DELIMITERS = rb"()<>\[\]{}/%"
# The next byte that can open or close something, or the keywords that start an inline
# image (BI) or its data (ID), standing alone as tokens (not part of a name like /BI).
_NEXT = re.compile(
    rb"[()<>\[\]%%]|(?:(?<=[%s\])>])|^)(?:BI|ID)(?=[%s/<(\[%%]|$)" % (_WHITE, _WHITE)
)
_SIMPLE_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.DOTALL)
_STRING_PART = re.compile(rb"[()\\]")
_LINE_END = re.compile(rb"[\r\n]")
# An inline image's data ends at "EI" with whitespace before it and after it (or the end).
_IMAGE_END = re.compile(rb"[%s]EI(?=[%s]|$)" % (_WHITE, _WHITE))
_IMAGE_END_AFTER = re.compile(rb"EI(?=[%s]|$)" % _WHITE)
_IMAGE_TOKEN = re.compile(rb"/?[^%s()<>\[\]{}/%%]+|[\[\]]" % _WHITE)
_IMAGE_KEYS = {
    b"/Width": b"/W",
    b"/Height": b"/H",
    b"/BitsPerComponent": b"/BPC",
    b"/ColorSpace": b"/CS",
    b"/ImageMask": b"/IM",
    b"/Filter": b"/F",
}
_COMPONENTS = {b"/G": 1, b"/DeviceGray": 1, b"/RGB": 3, b"/DeviceRGB": 3, b"/CMYK": 4}
_COMPONENTS[b"/DeviceCMYK"] = 4

STRING = "string"
HEX_STRING = "hex string"
INLINE_IMAGE = "inline image"
ARRAY = "array"
DICTIONARY = "dictionary"


def _string_end(
    data: bytes, start: int, end: int, tick: Callable[[], None] | None = None
) -> int | None:
    """Where the literal string opened at `start` ends (after its ")"), balancing nested
    parentheses and skipping escaped bytes; None if it never ends. `tick` as for
    `unfinished`."""
    simple = _SIMPLE_STRING.match(data, start, end)
    if simple is not None:
        return simple.end()
    depth = steps = 0
    position = start
    while (found := _STRING_PART.search(data, position, end)) is not None:
        steps += 1
        if tick is not None and steps % 100_000 == 0:
            tick()
        char = found[0]
        position = found.end()
        if char == b"\\":
            position += 1  # the escaped byte, whatever it is
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return position
    return None


def _image_entries(entries: bytes) -> dict[bytes, bytes]:
    """An inline image's dictionary: each key (full names shortened) and its value, or the
    first item of an array value."""
    tokens = _IMAGE_TOKEN.findall(entries)
    values: dict[bytes, bytes] = {}
    depth = 0
    for index, token in enumerate(tokens):
        if token == b"[":
            depth += 1
        elif token == b"]":
            depth = max(0, depth - 1)
        elif depth == 0 and token.startswith(b"/") and index + 1 < len(tokens):
            value = tokens[index + 1]
            if value == b"[" and index + 2 < len(tokens):
                value = b"[" + tokens[index + 2]
            values.setdefault(_IMAGE_KEYS.get(token, token), value)
    return values


def _declared_size(values: dict[bytes, bytes]) -> int:
    """The bytes of an unfiltered inline image's data, from its width, height, bits per
    component and colour space (one that cannot be told, indexed or named in the page's
    resources, counts as one component: the least the data can take); 0 if unknown."""
    try:
        width, height = int(values[b"/W"]), int(values[b"/H"])
        bits = 1 if values.get(b"/IM") == b"true" else int(values.get(b"/BPC", b"1"))
    except (KeyError, ValueError):
        return 0
    components = 1 if bits == 1 else _COMPONENTS.get(values.get(b"/CS", b""), 1)
    return max(0, (width * components * bits + 7) // 8 * height)


_HEX_DATA = re.compile(rb"[0-9A-Fa-f%s]*>" % _WHITE)
_A85_DATA = re.compile(rb"[!-uz%s]*~>" % _WHITE)
MAX_INLINE_IMAGE_BYTES = 16 * 1024 * 1024


def _flate_end(content: bytes, start: int) -> int | None:
    inflater = zlib.decompressobj()
    position, produced = start, 0
    pending = b""
    while not inflater.eof:
        if not pending:
            if position >= len(content):
                return None
            pending = content[position : position + 65536]
            position += len(pending)
        try:
            produced += len(inflater.decompress(pending, 1 << 20))
        except zlib.error:
            return None
        pending = inflater.unconsumed_tail
        if produced > MAX_INLINE_IMAGE_BYTES:
            return None
    return position - len(pending) - len(inflater.unused_data)


def _run_length_end(content: bytes, start: int) -> int | None:
    position, limit = start, min(len(content), start + MAX_INLINE_IMAGE_BYTES)
    while position < limit:
        length = content[position]
        if length == 128:
            return position + 1
        position += length + 2 if length < 128 else 2
    return None


def _filtered_end(name: bytes, content: bytes, start: int) -> int | None:
    """Where data encoded with the filter `name` ends (the filter's own end-of-data mark),
    or None if it does not end within `content` or the filter marks no end we can find."""
    if name in (b"/AHx", b"/ASCIIHexDecode"):
        found = _HEX_DATA.match(content, start)
        return found.end() if found else None
    if name in (b"/A85", b"/ASCII85Decode"):
        found = _A85_DATA.match(content, start)
        return found.end() if found else None
    if name in (b"/Fl", b"/FlateDecode"):
        return _flate_end(content, start)
    if name in (b"/RL", b"/RunLengthDecode"):
        return _run_length_end(content, start)
    if name in (b"/DCT", b"/DCTDecode"):
        end = content.find(b"\xff\xd9", start)  # a JPEG's end of image
        return end + 2 if end >= 0 else None
    return None  # LZW and CCITT fax data mark no end we can find without decoding


def _image_end(entries: bytes, content: bytes, start: int) -> int | None:
    """Where the inline image whose data starts at `start` ends (after its EI), or None
    if it does not end within `content`. Readers take the bytes an unfiltered image's
    dictionary says it has, or what a filtered one's filter reads up to its end-of-data
    mark, before they look for EI; an image that reaches past the page's content takes the
    stamp with it, and one that fails to decode ends the page there (MuPDF)."""
    values = _image_entries(entries)
    if b"/F" in values:
        data_end = _filtered_end(values[b"/F"].lstrip(b"["), content, start)
        if data_end is None:
            return None
        found = _IMAGE_END_AFTER.search(content, data_end)
    else:
        size = _declared_size(values)
        if size:
            if start + size > len(content):
                return None
            found = _IMAGE_END_AFTER.search(content, start + size)
        else:
            found = _IMAGE_END.search(content, max(start - 1, 0))
    return found.end() if found else None


def unfinished(content: bytes, tick: Callable[[], None] | None = None) -> str | None:
    """What `content` (a page's content streams, joined) leaves open at its end: a string,
    a hex string, an inline image, an array or a dictionary; None if it ends cleanly.
    Anything drawn after an open one would be read as part of it. Graphics states left
    open ("q" without "Q") are not counted: the stamp closes them itself. `tick` is called
    every so often, to stop a scan that takes too long."""
    arrays = dictionaries = entries_start = 0
    in_image = False  # between BI and ID
    position = steps = 0
    while (found := _NEXT.search(content, position)) is not None:
        steps += 1
        if tick is not None and steps % 100_000 == 0:
            tick()
        token = found[0]
        position = found.end()
        if token == b"(":
            string_end = _string_end(content, found.start(), len(content), tick)
            if string_end is None:
                return STRING
            position = string_end
        elif token == b"<":
            if content.startswith(b"<", position):
                dictionaries += 1
                position += 1
            else:
                end = content.find(b">", position)
                if end < 0:
                    return HEX_STRING
                position = end + 1
        elif token == b">":
            if content.startswith(b">", position):
                dictionaries = max(0, dictionaries - 1)
                position += 1
        elif token == b"[":
            arrays += 1
        elif token == b"]":
            arrays = max(0, arrays - 1)
        elif token == b"%":
            line_end = _LINE_END.search(content, position)
            position = line_end.end() if line_end else len(content)
        elif token == b"BI":
            in_image = True
            entries_start = position
        elif token == b"ID" and in_image:
            in_image = False
            # One whitespace byte, then the data, then EI.
            image_end = _image_end(content[entries_start : found.start()], content, position + 1)
            if image_end is None:
                return INLINE_IMAGE
            position = image_end
    if in_image:
        return INLINE_IMAGE
    if arrays:
        return ARRAY
    if dictionaries:
        return DICTIONARY
    return None


# Tokens of objects outside content streams. A name's "#xx" escapes are decoded before
# names are compared: /S and /#53 are the same key.
_TOKEN = re.compile(
    rb"[%s]+|%%[^\r\n]*|<<|>>|<[^<>]*>?|[\[\]()]|/[^%s%s]*|[^%s%s]+|[^%s]"
    % (_WHITE, _WHITE, _DELIMITERS, _WHITE, _DELIMITERS, _WHITE)
)
_NAME = re.compile(rb"/[^%s%s]*" % (_WHITE, _DELIMITERS))
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _decoded(name: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name) if b"#" in name else name


def repeated_key(data: bytes, start: int = 0, end: int | None = None) -> bytes | None:
    """The first key that a dictionary in `data[start:end]` gives twice (decoded), or None.
    Stops at a "stream" keyword: what follows is a stream's data, not syntax.

    Most objects name nothing twice at all, which one regular expression shows; only those
    that do are read token by token, each dictionary's keys told from its values (a key is
    a name where a key is due; "1 0 R" is one value of three tokens)."""
    end = len(data) if end is None else end
    names = _NAME.findall(data, start, end)
    if len(set(names)) == len(names) and not any(b"#" in name for name in names):
        return None
    # Per open dictionary, its keys so far and whether a key is due; None for an array.
    stack: list[tuple[set[bytes], list[bool]] | None] = []

    def value() -> None:
        if stack and stack[-1] is not None:
            stack[-1][1][0] = True

    position = start
    while position < end:
        found = _TOKEN.match(data, position, end)
        if found is None:  # pragma: no cover - the pattern matches any byte
            break
        token = found[0]
        position = found.end()
        first = token[:1]
        if first in b"\x00\t\n\x0c\r %":
            continue
        if token == b"<<":
            stack.append((set(), [True]))
        elif token == b"[":
            stack.append(None)
        elif token in (b">>", b"]"):
            if stack:
                stack.pop()
            value()
        elif token == b"(":
            string_end = _string_end(data, found.start(), end)
            position = end if string_end is None else string_end
            value()
        elif first == b"/" and stack and stack[-1] is not None and stack[-1][1][0]:
            keys, due = stack[-1]
            key = _decoded(token)
            if key in keys:
                return key
            keys.add(key)
            due[0] = False
        elif token == b"stream":
            break
        elif stack and stack[-1] is not None and not stack[-1][1][0]:
            value()
        # Otherwise a number or "R" where a key is due: the rest of a reference.
    return None
