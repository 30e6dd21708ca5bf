"""Reading a request from the command line, standard input or the REPL, with the checks every entry point shares.

Order matters: decode (binary and non-UTF-8 input are rejected with a clear message), strip control characters
(terminal escapes, zero-width and bidirectional overrides that hide text), then the empty and size checks.
"""

from __future__ import annotations

from typing import BinaryIO

from biopipelines.core.errors import InputError
from biopipelines.nodes.offline.safety_rules import strip_control_chars

READ_SLACK = 4  # bytes per character at most in UTF-8: read no more than the limit can need
# Text with more control characters than this share is a binary file or a terminal dump, not a request.
MAX_CONTROL_SHARE = 0.1


def decode_request(data: bytes, source: str) -> str:
    if b"\x00" in data:
        raise InputError(f"{source} is binary data (it contains NUL bytes); send the request as UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text (invalid byte at offset {exc.start})") from None
    _reject_binary(text, source)
    return text


def _reject_binary(text: str, source: str) -> None:
    if "\x00" in text:
        raise InputError(f"{source} contains NUL characters; send the request as UTF-8 text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: the bytes it came from were not UTF-8
        raise InputError(f"{source} is not UTF-8 text (undecodable character at offset {exc.start})") from None
    controls = len(text) - len(strip_control_chars(text))
    if text and controls > max(2, MAX_CONTROL_SHARE * len(text)):
        raise InputError(f"{source} looks like binary data ({controls} control characters); send the request as "
                         "UTF-8 text")


def check_request(text: str, max_chars: int, source: str = "the request") -> str:
    """The cleaned request, or an InputError whose message is one line."""
    _reject_binary(text, source)
    text = strip_control_chars(text).strip()
    if not text:
        raise InputError('the request is empty; describe the analysis, e.g. "RNA-seq DE, mouse, 3 vs 3, STAR + DESeq2"')
    if len(text) > max_chars:
        raise InputError(f"the request has {len(text)} characters; the limit is {max_chars} (max_request_chars)")
    return text


def read_request(arg: str, stdin: BinaryIO, max_chars: int) -> str:
    """QUERY as given, or from standard input when QUERY is '-'."""
    if arg == "-":
        data = stdin.read(max_chars * READ_SLACK + 1)
        if len(data) > max_chars * READ_SLACK:
            raise InputError(f"standard input is larger than {max_chars * READ_SLACK} bytes; the request limit is "
                             f"{max_chars} characters (max_request_chars)")
        return check_request(decode_request(data, "standard input"), max_chars, "standard input")
    return check_request(arg, max_chars)
