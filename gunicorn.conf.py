"""gunicorn's settings for the portal (`make run`'s Procfile and docker-compose.yml use them):
threaded workers, access log on standard output with calendar secrets redacted.

Threaded workers (gthread): a request waiting on a slow client or on the database holds one
thread, not a whole worker, and the worker's heartbeat goes on, so the `timeout` below never
kills a worker for a slow client. In production nginx buffers each request body and response
before gunicorn sees it (deploy/nginx/portal.conf.template), so slow clients cost nginx a
connection and gunicorn nothing.
"""

import os


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


worker_class = "gthread"
# Processes, and threads in each: requests served at once is their product.
workers = _env_int("GUNICORN_WORKERS", 2)
threads = _env_int("GUNICORN_THREADS", 4)
# A worker silent this long (its main loop stuck, not a slow request) is killed and replaced.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On a restart or deploy, requests in flight get this long to finish.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# An idle kept-alive connection (from nginx) is closed after this many seconds.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# The control socket (gunicorn 24+) defaults to one path per user: two portals on one machine
# would fight over it. Nothing here uses it.
control_socket_disable = True
accesslog = "-"
# Remote address, time, request line, status, size, duration, referrer, user agent, and the id
# on the request's log lines and its 500 page. The request line and referrer pass through
# portal.log_redaction, so a calendar address's token is never written.
access_log_format = (
    '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)
logger_class = "portal.log_redaction.RedactingGunicornLogger"
