#!/usr/bin/env python3
"""Helper for the ses-local end-to-end tests: boto3 as a client, Python's email package as a reader.

Usage:
    ses_local_helper.py boto3 ENDPOINT REGION ACCESS_KEY_ID SECRET OPERATION PARAMS_JSON
        Calls the SES operation (snake_case, e.g. send_bounce) with boto3 against ENDPOINT and
        prints {"result": ...} or {"error": {"code", "message", "status"}} as JSON. Exit 0 either way.
    ses_local_helper.py boto3-calls ENDPOINT REGION ACCESS_KEY_ID SECRET CALLS_JSON
        The same for a list of calls, [[OPERATION, PARAMS], ...], made in order with one client;
        prints the list of their outcomes as JSON.
    ses_local_helper.py read-dsn FILE
        Reads FILE with email.policy.default only and prints what a bounce reader needs as JSON:
        the top-level fields, the report type, the parts, the delivery-status blocks and the
        returned headers.
"""
import json
import sys
from email import policy
from email.parser import BytesParser


def ses_client(endpoint, region, key, secret):
    import boto3
    import botocore.config

    return boto3.client(
        "ses",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def call(client, operation, params):
    import botocore.exceptions

    try:
        result = getattr(client, operation)(**params)
        result.pop("ResponseMetadata", None)
        # Timestamps (CreatedTimestamp) as botocore parsed them, in ISO-8601.
        return {"result": json.loads(json.dumps(result, default=lambda v: v.isoformat()))}
    except botocore.exceptions.ClientError as exc:
        err = exc.response.get("Error", {})
        return {"error": {"code": err.get("Code"), "message": err.get("Message"),
                          "status": exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")}}


def call_boto3(endpoint, region, key, secret, operation, params_json):
    return call(ses_client(endpoint, region, key, secret), operation, json.loads(params_json))


def call_boto3_list(endpoint, region, key, secret, calls_json):
    client = ses_client(endpoint, region, key, secret)
    return [call(client, operation, params) for operation, params in json.loads(calls_json)]


def fields(block):
    out = {}
    for name, value in block.items():
        out.setdefault(name.lower(), []).append(str(value).strip())
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def read_dsn(path):
    with open(path, "rb") as fh:
        msg = BytesParser(policy=policy.default).parse(fh)
    out = {
        "defects": [type(d).__name__ for d in msg.defects],
        "content_type": msg.get_content_type(),
        "report_type": msg.get_param("report-type"),
        "top": {h: (str(msg[h]) if msg[h] is not None else None)
                for h in ("from", "to", "subject", "message-id", "in-reply-to", "references", "auto-submitted", "mime-version",
                          "x-ses-outgoing", "feedback-id")},
        "parts": [],
        "text": None,
        "per_message": None,
        "recipients": [],
        "original": None,
    }
    if not msg.is_multipart():
        return out
    parts = msg.get_payload()
    out["parts"] = [p.get_content_type() for p in parts]
    for part in parts:
        ctype = part.get_content_type()
        if ctype == "text/plain" and out["text"] is None:
            out["text"] = part.get_content()
        elif ctype == "message/delivery-status":
            blocks = [b for b in part.get_payload() if b.keys()]
            if blocks:
                out["per_message"] = fields(blocks[0])
                out["recipients"] = [fields(b) for b in blocks[1:]]
        elif ctype == "text/rfc822-headers":
            inner = BytesParser(policy=policy.default).parsebytes(part.get_payload(decode=True), headersonly=True)
            out["original"] = fields(inner)
    return out


def main(argv):
    if len(argv) == 8 and argv[1] == "boto3":
        print(json.dumps(call_boto3(*argv[2:])))
        return 0
    if len(argv) == 7 and argv[1] == "boto3-calls":
        print(json.dumps(call_boto3_list(*argv[2:])))
        return 0
    if len(argv) == 3 and argv[1] == "read-dsn":
        print(json.dumps(read_dsn(argv[2])))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
