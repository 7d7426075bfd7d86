"""The JSON API at /api/v1/ (issue 16): the pages' reads and writes, under the same rules."""
