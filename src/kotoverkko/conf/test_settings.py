"""Settings for the test suite: the test profile, then the ordinary settings."""

import os

os.environ["KOTOVERKKO_PROFILE"] = "test"
os.environ.setdefault("DATA_DIR", os.path.join(os.getcwd(), ".pytest-data"))

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PAGE_CACHE_SECONDS = 0
