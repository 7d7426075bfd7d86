"""Big and slow clients: a body over the limit is refused before it is read, with a GOV.UK 413
page and no temporary file; a slow upload holds one gunicorn thread, not a worker, so the
portal keeps answering and no worker is killed."""

import socket
import threading
import time
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from proposals.models import Document

from ..test_documents import PDF

pytestmark = pytest.mark.faults

MB = 1024 * 1024
CSRF_COOKIE = "csrftoken=" + "a" * 32


def raw_request(url: str, head: str, body: bytes = b"", timeout: float = 20) -> tuple[int, str]:
    """Send `head` (and `body`, possibly less than its Content-Length says) over a plain
    socket; return the status and the page, read as far as its own Content-Length."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head.encode() + body)
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(65536) or pytest.fail(f"connection closed: {received!r}")
        headers, _, page = received.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in headers.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(page) < length:
            page += sock.recv(65536) or pytest.fail("connection closed mid-page")
    return int(headers.split(b" ")[1]), page.decode()


def post_head(path: str, content_type: str, length: int) -> str:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nCookie: {CSRF_COOKIE}\r\n\r\n"
    )


@pytest.mark.parametrize(
    "content_type",
    [f"multipart/form-data; boundary={BOUNDARY}", "application/x-www-form-urlencoded"],
)
def test_a_50_mb_sign_in_post_is_answered_413_before_it_is_read_and_writes_no_temporary_file(
    serve_portal, content_type
):
    server = serve_portal()
    # Only the headers go: a server that waited for the 50 MB would never answer.
    status, page = raw_request(server.url, post_head("/accounts/login/", content_type, 50 * MB))
    assert status == 413
    assert "What you sent is too large" in page
    assert 'class="govuk-header"' in page
    assert 'class="govuk-footer"' in page
    assert list(server.tmp.iterdir()) == []


@pytest.mark.django_db
def test_an_upload_over_the_request_limit_is_answered_413_and_stores_nothing(
    client_for, essex_staff, essex_proposal, settings
):
    too_big = SimpleUploadedFile("big.pdf", PDF + b"0" * (24 * MB), "application/pdf")
    body = encode_multipart(BOUNDARY, {"kind": "business_case", "file": too_big})
    response = client_for(essex_staff).post(
        reverse(
            "proposals:document-upload", kwargs={"pk": essex_proposal.pk, "step": "business-case"}
        ),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert f"A document can be up to {settings.DOCUMENT_MAX_BYTES // MB} MB" in page
    assert "Sign out" in page  # the header of a signed-in page
    assert not Document.objects.exists()


SLOW_BODY = 3000
SLOW_PIECE = 100
SLOW_PAUSE = 0.4  # 30 pieces: 12 seconds, three times the worker timeout below
# Long enough that a busy machine's scheduling never trips it on its own (gthread workers
# notify the arbiter many times a second); short enough that a sync worker, blocked reading
# a trickling body, would be killed.
WORKER_TIMEOUT = 4
HEALTH_ANSWER_SECONDS = 15  # a slow answer is still an answer; none at all is the failure


def test_slow_uploads_longer_than_the_worker_timeout_hold_a_thread_not_the_portal(serve_portal):
    """Two clients trickle their bodies in for three times gunicorn's worker timeout, on one
    worker: /healthz answers all the while, both get their answer, and no worker is killed."""
    server = serve_portal(GUNICORN_WORKERS="1", GUNICORN_TIMEOUT=str(WORKER_TIMEOUT))
    answers = []

    def slow_client():
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            head = post_head("/accounts/login/", "application/x-www-form-urlencoded", SLOW_BODY)
            sock.sendall(head.encode())
            for _ in range(SLOW_BODY // SLOW_PIECE):
                time.sleep(SLOW_PAUSE)
                sock.sendall(b"x" * SLOW_PIECE)
            answers.append(sock.recv(65536).split(b"\r\n")[0])

    clients = [threading.Thread(target=slow_client) for _ in range(2)]
    for client in clients:
        client.start()
    health = []
    while any(client.is_alive() for client in clients):
        with urllib.request.urlopen(
            f"{server.url}/healthz", timeout=HEALTH_ANSWER_SECONDS
        ) as response:
            health.append(response.status)
        time.sleep(0.5)  # pacing the checks, not waiting for anything
    for client in clients:
        client.join()
    assert len(health) > 1
    assert set(health) == {200}
    assert answers == [b"HTTP/1.1 403 Forbidden"] * 2  # read in full, then refused (no token)
    assert "WORKER TIMEOUT" not in server.log.read_text()
