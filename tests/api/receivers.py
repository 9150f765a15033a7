"""A webhook receiver on loopback that checks each request as docs/api.md tells receivers to,
and the workers that deliver to it."""

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from firma.api.models import Webhook
from firma.petitions.models import Signature
from firma.petitions.tokens import confirmation_token
from tests.conftest import run_worker as run_mail_worker
from tests.conftest import url

SECRET = "whsec_test-secret"
TOLERANCE = 300  # seconds a signed request stays acceptable


def run_webhook_worker() -> None:
    """The worker of the webhooks' own queue, until it holds nothing ready."""
    run_mail_worker("webhooks")


def run_worker() -> None:
    run_mail_worker()
    run_webhook_worker()


def verify(headers, body: bytes, seen: set[str], now: float | None = None) -> str:
    """What a receiver checks, as in docs/api.md: "ok" or why the request is refused."""
    fields = dict(part.split("=", 1) for part in headers["X-Firma-Signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), fields["v1"]):
        return "bad_signature"
    if abs((now or time.time()) - int(fields["t"])) > TOLERANCE:
        return "stale"
    delivery = headers["X-Firma-Delivery"]
    if delivery in seen or json.loads(body)["id"] != delivery:
        return "replayed"
    seen.add(delivery)
    return "ok"


class Receiver:
    """An HTTP server on loopback that records each POST and answers with `answers` in turn
    (then 200), refusing requests that fail verification with 400."""

    def __init__(self, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [])
        self.requests: list[tuple[dict, bytes, str]] = []
        self.seen: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                verdict = verify(self.headers, body, receiver.seen)
                receiver.requests.append((dict(self.headers), body, verdict))
                status = receiver.answers.pop(0) if receiver.answers else 200
                if status == 200 and verdict != "ok":
                    receiver.seen.discard(self.headers["X-Firma-Delivery"])
                    status = 400
                elif status != 200:
                    receiver.seen.discard(self.headers["X-Firma-Delivery"])
                self.send_response(status)
                self.end_headers()
                self.wfile.write(f"answered {status} ({verdict})".encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        # A short poll: shutdown() waits for the loop to notice.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def replay(self, headers: dict, body: bytes) -> int:
        """POST a recorded request again, as an attacker who captured it would."""
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            return opener.open(request, timeout=5).status
        except urllib.error.HTTPError as error:
            return error.code

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _, body, _ in self.requests]


def make_webhook(organisation, receiver: Receiver, events_wanted=None) -> Webhook:
    wanted = events_wanted or [
        "signature.confirmed",
        "signature.invalidated",
        "petition.milestone",
        "petition.closed",
    ]
    return Webhook.objects.create(
        organisation=organisation, url=receiver.url, secret=SECRET, events=wanted
    )


def confirm(client, signature: Signature) -> None:
    path = url(
        "petitions:confirm", slug=signature.petition.slug, token=confirmation_token(signature)
    )
    assert client.post(path).status_code == 302
