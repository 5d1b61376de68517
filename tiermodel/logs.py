"""Old name of :mod:`tiermodel.events` (the event tables); kept so old imports work."""
from .events import *  # noqa: F401,F403
from .events import (ANSWER_ALIASES, ANSWER_LEVELS, COMPLAINT_SCHEMA, EXECUTIVE_SCHEMA,  # noqa: F401
                     SAMPLE_YEAR, SERVICE_LOG_SCHEMA, SERVICE_TYPES, SURVEY_SCHEMA, AssessmentLogs,
                     load_assessment_logs, read_log, validate_executives, validate_log)
