FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Settings come from the environment only: no .env file is read inside the image.
ENV PORTAL_ENV_FILE=""
WORKDIR /app
# WeasyPrint (the submission pack and the decision record PDFs) needs Pango and a font; the slim image has neither.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY . .
# Editable, so settings find templates/ and static/ beside the code in /app.
RUN pip install --no-cache-dir -e .
# collectstatic needs settings to load; this key is only for this build step.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_DEBUG=false python manage.py collectstatic --no-input
RUN useradd --create-home portal && mkdir -p /data/uploads && chown portal /data/uploads
USER portal
EXPOSE 8000
