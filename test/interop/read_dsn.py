#!/usr/bin/env python3
"""Reads DSNs with nothing but Python's standard `email` package and prints what it sees as JSON.

dsnkit's tests hold its output against this independent reader: if Python's parser cannot find
the multipart/report structure, the delivery-status blocks or the returned headers, a test fails.

Usage: read_dsn.py FILE [FILE...]   (prints one JSON array, one object per file)
"""
import json
import sys
from email import policy
from email.parser import BytesParser, HeaderParser


def fields(msg):
    """A header block as a list of [name, value] pairs, in order (values unfolded and decoded)."""
    return [[name, str(value)] for name, value in msg.items()]


def split_blocks(text):
    """message/global-delivery-status is not split by the stdlib: split it at empty lines."""
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip() == "":
            if current:
                blocks.append("\n".join(current) + "\n")
                current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current) + "\n")
    parser = HeaderParser(policy=policy.default)
    return [parser.parsestr(b) for b in blocks]


def read(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    out = {
        "file": path,
        "defects": [type(d).__name__ for d in msg.defects],
        "headers": fields(msg),
        "content_type": msg.get_content_type(),
        "report_type": msg.get_param("report-type"),
        "boundary": msg.get_boundary(),
        "parts": [],
    }
    if not msg.is_multipart():
        return out
    for part in msg.get_payload():
        info = {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "cte": part.get("content-transfer-encoding"),
            "defects": [type(d).__name__ for d in part.defects],
        }
        ctype = part.get_content_type()
        if ctype == "text/plain":
            info["text"] = part.get_content()
        elif ctype == "message/delivery-status":
            info["blocks"] = [fields(b) for b in part.get_payload()]
        elif ctype == "message/global-delivery-status":
            payload = part.get_payload(decode=True) or b""
            info["blocks"] = [fields(b) for b in split_blocks(payload.decode("utf-8"))]
        elif ctype in ("text/rfc822-headers", "message/global-headers"):
            body = part.get_payload(decode=True) or b""
            info["headers"] = fields(BytesParser(policy=policy.default).parsebytes(body, headersonly=True))
        elif ctype in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) else None
            if inner is not None:
                info["headers"] = fields(inner)
                info["body"] = inner.get_payload(decode=False) if not inner.is_multipart() else None
        out["parts"].append(info)
    return out


def main(argv):
    if not argv:
        sys.stderr.write("usage: read_dsn.py FILE [FILE...]\n")
        return 2
    json.dump([read(p) for p in argv], sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
