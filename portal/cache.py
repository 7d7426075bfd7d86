"""The Redis cache keeps JSON, not pickle: a value read back from Redis is data, never code,
so whoever can write to Redis still cannot make a web process run anything."""

import json


class JSONSerializer:
    """Django's RedisCache serializer interface. Integers are stored bare, as Django's own
    serializer stores them, so the cache's incr and decr keep working."""

    def dumps(self, value):
        if type(value) is int:
            return value
        return json.dumps(value, separators=(",", ":")).encode()

    def loads(self, data):
        try:
            return int(data)
        except ValueError:
            return json.loads(data)
