from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import health

HOW_TO_START = (
    "Start it with `docker compose up -d db redis`, or the system service "
    "(PostgreSQL: `pg_ctlcluster <version> main start`; Redis: `redis-server --daemonize yes`)."
)


class Command(BaseCommand):
    help = "Fail, saying which and how to start it, unless the database and the broker answer."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        missing = []
        if not health.database_answers():
            where = f"{database.get('HOST') or 'local socket'}:{database.get('PORT') or 'default'}"
            missing.append(f"the database ({database['ENGINE'].rsplit('.', 1)[-1]} at {where})")
        if not health.broker_answers():
            missing.append(f"the broker ({settings.CELERY_BROKER_URL})")
        if missing:
            raise CommandError(f"Not answering: {' and '.join(missing)}. {HOW_TO_START}")
        self.stdout.write("Database and broker answer.")
