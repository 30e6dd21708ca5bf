"""Reading a request from the command line or standard input, with the checks every entry point shares."""

from __future__ import annotations

from typing import BinaryIO

from graph.errors import InputError

READ_SLACK = 4  # bytes per character at most in UTF-8: read no more than the limit can need


def decode_request(data: bytes, source: str) -> str:
    if b"\x00" in data:
        raise InputError(f"{source} is binary data (it contains NUL bytes); send the request as UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text (invalid byte at offset {exc.start})") from None


def check_request(text: str, max_chars: int) -> str:
    text = text.strip()
    if not text:
        raise InputError("the request is empty; describe the analysis, e.g. \"RNA-seq DE, mouse, 3 vs 3, STAR + DESeq2\"")
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
        return check_request(decode_request(data, "standard input"), max_chars)
    if "\x00" in arg:
        raise InputError("the request contains NUL characters")
    return check_request(arg, max_chars)
