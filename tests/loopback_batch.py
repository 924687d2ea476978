"""A loopback OpenAI-compatible Batch API on 127.0.0.1, for tests: Files and Batches endpoints.

    POST /v1/files                multipart upload (purpose "batch")
    GET  /v1/files/{id}           the file object
    GET  /v1/files/{id}/content   the bytes (input, output or error file)
    DELETE /v1/files/{id}         delete a file
    POST /v1/batches              create from an uploaded JSONL file (lines are checked)
    GET  /v1/batches              list, newest first
    GET  /v1/batches/{id}         retrieve; every retrieve moves the batch one step along
                                  validating → in_progress → finalizing → completed
    POST /v1/batches/{id}/cancel  cancelling, then cancelled at the next retrieve

POST /v1/chat/completions is still served (by LoopbackServer), so a test can count that none
were made. When a batch completes, each line's body goes to the same `brain` the chat server
uses: a 200 Reply becomes an output-file line, any other an error-file line, in OpenAI's format.
The answers are synthetic (built by the brain from the chunk's own text), not a model's.

`refuse_creates` makes the next creations fail with HTTP 400; `lose_create_answers` makes
the next ones succeed but answer HTTP 502, as a gateway losing the answer would. `fates`
scripts what happens to the batches created, in order: "completed" (the default), "failed"
(refused while validating), "expired" (the window ends with half the lines done, the rest in
the error file as batch_expired) or "hold" (stays in_progress until cancelled).
Nothing here mocks the SDK: the real openai client talks to it over a socket.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
from typing import Any

from loopback import Brain, LoopbackServer, Reply

LIFECYCLE = ("validating", "in_progress", "finalizing", "completed")


class BatchLoopback(LoopbackServer):
    """`with BatchLoopback(brain) as srv:`; `srv.base_url` ends in /v1."""

    def __init__(self, brain: Brain) -> None:
        self.files: dict[str, dict[str, Any]] = {}  # id -> file object + "data"
        self.deleted: set[str] = set()  # ids of the files deleted through the API
        self.batches: dict[str, dict[str, Any]] = {}  # id -> batch object
        self.lines: dict[str, list[dict[str, Any]]] = {}  # batch id -> its input lines
        self.fates: list[str] = []
        self.refuse_creates = 0  # this many batch creations are refused with HTTP 400
        self.lose_create_answers = 0  # this many creations succeed but answer HTTP 502
        self.calls: list[tuple[str, str]] = []  # (method, path) of every Files/Batches call
        self._ids = itertools.count(1)
        self._api_lock = threading.Lock()
        super().__init__(brain)

    # --- what tests look at -----------------------------------------------------------------

    @property
    def chat_requests(self) -> int:
        return sum(r.path.endswith("/chat/completions") for r in self.requests)

    def submitted_lines(self) -> list[dict[str, Any]]:
        """Every line of every batch created, in order."""
        return [line for bid in self.batches for line in self.lines[bid]]

    # --- the protocol -----------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):04d}"

    def _file(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        fid = self._id("file")
        self.files[fid] = {
            "id": fid,
            "object": "file",
            "bytes": len(data),
            "created_at": 1700000000,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "data": data,
        }
        return self.files[fid]

    def upload(self, content_type: str, raw: bytes) -> Reply:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = (part.get_filename(), part.get_payload(decode=True) or b"")
        if "file" not in fields or fields.get("purpose", (None, b""))[1] != b"batch":
            return Reply(status=400, body={"error": {"message": "need file and purpose=batch"}})
        filename, data = fields["file"]
        return Reply(body=_public(self._file(data, filename or "upload.jsonl", "batch")))

    def create(self, body: dict[str, Any]) -> Reply:
        f = self.files.get(body.get("input_file_id", ""))
        if f is None:
            return Reply(status=404, body={"error": {"message": "no such file"}})
        lines = [json.loads(t) for t in f["data"].decode("utf-8").splitlines() if t.strip()]
        models = {line["body"]["model"] for line in lines}
        ids = [line["custom_id"] for line in lines]
        bad = len(models) != 1 or len(set(ids)) != len(ids)
        bad = bad or any(
            ln["url"] != body.get("endpoint") or ln["method"] != "POST" for ln in lines
        )
        if bad:
            return Reply(status=400, body={"error": {"message": "invalid batch input file"}})
        if self.refuse_creates:
            self.refuse_creates -= 1
            return Reply(status=400, body={"error": {"message": "model not enabled for batch"}})
        bid = self._id("batch")
        fate = self.fates[len(self.batches)] if len(self.batches) < len(self.fates) else ""
        self.lines[bid] = lines
        self.batches[bid] = {
            "id": bid,
            "object": "batch",
            "endpoint": body["endpoint"],
            "errors": None,
            "input_file_id": f["id"],
            "completion_window": body.get("completion_window"),
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": 1700000000 + len(self.batches),
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
            "model": lines[0]["body"]["model"],
            "_fate": fate or "completed",
        }
        if self.lose_create_answers:  # made, but the answer is lost on its way back
            self.lose_create_answers -= 1
            return Reply(status=502, body={"error": {"message": "bad gateway"}})
        return Reply(body=_public(self.batches[bid]))

    def retrieve(self, bid: str) -> Reply:
        b = self.batches.get(bid)
        if b is None:
            return Reply(status=404, body={"error": {"message": "no such batch"}})
        fate, status = b["_fate"], b["status"]
        if status == "cancelling":
            self._finish(b, "cancelled", answered=len(self.lines[bid]) // 2)
        elif status in LIFECYCLE[:-1]:
            step = LIFECYCLE[LIFECYCLE.index(status) + 1]
            if fate == "failed" and status == "validating":
                b["status"] = "failed"
                b["errors"] = {
                    "object": "list",
                    "data": [{"code": "invalid_request", "message": "scripted failure"}],
                }
            elif fate == "hold" and step == "finalizing":
                pass  # stays in_progress until cancelled
            elif fate == "expired" and step == "finalizing":
                self._finish(b, "expired", answered=len(self.lines[bid]) // 2)
            elif step == "completed":
                self._finish(b, "completed", answered=len(self.lines[bid]))
            else:
                b["status"] = step
        return Reply(body=_public(b))

    def cancel(self, bid: str) -> Reply:
        b = self.batches.get(bid)
        if b is None:
            return Reply(status=404, body={"error": {"message": "no such batch"}})
        if b["status"] in ("validating", "in_progress", "finalizing"):
            b["status"] = "cancelling"
        return Reply(body=_public(b))

    def _finish(self, b: dict[str, Any], status: str, answered: int) -> None:
        out, err = [], []
        for n, line in enumerate(self.lines[b["id"]]):
            rid = f"batch_req_{b['id']}_{n}"
            if n >= answered:
                code = "batch_expired" if status == "expired" else "batch_cancelled"
                err.append(
                    {
                        "id": rid,
                        "custom_id": line["custom_id"],
                        "response": None,
                        "error": {"code": code, "message": "not run before the batch ended"},
                    }
                )
                continue
            reply = self.brain(line["body"])
            entry = {
                "id": rid,
                "custom_id": line["custom_id"],
                "response": {"status_code": reply.status, "request_id": rid, "body": reply.body},
                "error": None,
            }
            (out if reply.status == 200 else err).append(entry)
        for kind, entries in (("output_file_id", out), ("error_file_id", err)):
            if entries:
                data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
                b[kind] = self._file(data.encode("utf-8"), f"{kind}.jsonl", "batch_output")["id"]
        b["status"] = status
        b["request_counts"] = {
            "total": len(self.lines[b["id"]]),
            "completed": len(out),
            "failed": len(err),
        }

    def _handler(self):
        base = super()._handler()
        srv = self

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with srv._api_lock:
                    srv.calls.append(("GET", path))
                    parts = path.strip("/").split("/")  # v1, files|batches, id, content
                    if parts[1:2] == ["batches"] and len(parts) == 2:
                        data = [_public(b) for b in reversed(srv.batches.values())]
                        reply = Reply(body={"object": "list", "data": data, "has_more": False})
                    elif parts[1:2] == ["batches"]:
                        reply = srv.retrieve(parts[2])
                    elif parts[1:2] == ["files"] and parts[3:] == ["content"]:
                        f = srv.files.get(parts[2])
                        reply = Reply(body=f["data"]) if f else Reply(status=404, body={})
                    elif parts[1:2] == ["files"]:
                        f = srv.files.get(parts[2])
                        reply = Reply(body=_public(f)) if f else Reply(status=404, body={})
                    else:
                        reply = Reply(status=404, body={"error": {"message": "not found"}})
                self._send(reply)

            def do_DELETE(self) -> None:
                path = self.path.split("?")[0]
                with srv._api_lock:
                    srv.calls.append(("DELETE", path))
                    fid = path.rstrip("/").rsplit("/", 1)[-1]
                    if fid not in srv.files or fid in srv.deleted:
                        reply = Reply(status=404, body={"error": {"message": "no such file"}})
                    else:
                        srv.deleted.add(fid)  # kept in `files`, so tests can still read it
                        reply = Reply(body={"id": fid, "object": "file", "deleted": True})
                self._send(reply)

            def do_POST(self) -> None:
                path = self.path.split("?")[0]
                if path.endswith("/chat/completions"):
                    super().do_POST()
                    return
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                with srv._api_lock:
                    srv.calls.append(("POST", path))
                    srv.headers_seen.append(dict(self.headers.items()))
                    parts = path.strip("/").split("/")
                    if parts[1:] == ["files"]:
                        reply = srv.upload(self.headers.get("content-type", ""), raw)
                    elif parts[1:] == ["batches"]:
                        reply = srv.create(json.loads(raw or b"{}"))
                    elif parts[1:2] == ["batches"] and parts[3:] == ["cancel"]:
                        reply = srv.cancel(parts[2])
                    else:
                        reply = Reply(status=404, body={"error": {"message": "not found"}})
                self._send(reply)

        return Handler

    headers_seen: list[dict[str, str]]

    def __enter__(self) -> BatchLoopback:
        self.headers_seen = []
        super().__enter__()
        return self


def _public(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if not k.startswith("_") and k != "data"}
