"""Settings for the test suite: the normal settings with a throwaway key and plain HTTP."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-test-only-key")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# The demo CDS client's private key (seed_demo): outside the repository during tests.
CDS_DEMO_KEY_FILE = Path(tempfile.gettempdir()) / f"richtsnoer-test-cds-demo-{os.getpid()}.pem"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
