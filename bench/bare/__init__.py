"""A bare Django 5.2 site for `make bench` to serve beside the portal: what Django itself
costs per page on this machine, through the same gunicorn."""
