"""gunicorn's settings for the portal (read by `gunicorn -c gunicorn.conf.py`, as the Procfile
and docker-compose.yml run it): access log on standard output, calendar secrets redacted."""

accesslog = "-"
# Remote address, time, request line, status, size, referrer, user agent. The request line and
# referrer pass through portal.log_redaction, so a calendar address's token is never written.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
logger_class = "portal.log_redaction.RedactingGunicornLogger"
