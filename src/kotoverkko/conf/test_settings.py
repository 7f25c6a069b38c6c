"""Settings for the test suite: the test profile, then the ordinary settings."""

import os

os.environ["KOTOVERKKO_PROFILE"] = "test"
os.environ.setdefault("DATA_DIR", os.path.join(os.getcwd(), ".pytest-data"))

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PAGE_CACHE_SECONDS = 0

# A file database (in WAL mode, as in production) rather than memory, so that tests with
# several threads or processes see the same data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _test_db = DATA_DIR / f"test-{os.getpid()}.sqlite3"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME") or str(_test_db)}  # noqa: F405
