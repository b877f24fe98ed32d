"""Settings for the scale benchmark: the test settings, with the autosave rate limit lifted
(one benchmark user sends far more autosaves a minute than a person types)."""

from config.test_settings import *  # noqa: F403

AUTOSAVE_PER_MINUTE = 1_000_000

# The chain head is logged at INFO on every access-log row: quiet while measuring.
LOGGING["loggers"]["richtsnoer.toegang"]["level"] = "WARNING"  # noqa: F405
