from courses.models.activities import (
    Activity,
    ActivityState,
    Grade,
    QuizActivity,
    ReflectionActivity,
    SubmissionError,
)
from courses.models.learners import (
    COMPLIANT_STATUSES,
    Attempt,
    CourseCompletion,
    Cycle,
    Enrollment,
    LessonProgress,
    Status,
    ValidityChange,
    learner_records_under,
    localize_courses,
    required_on,
    rule_progress,
)
from courses.models.pages import CoursePage, LessonActivity, LessonEntry, LessonPage, TrainingIndexPage
from courses.models.policy import RefresherPolicy, Renewal, Validity
from courses.models.rules import AssignmentRule, AssignmentRuleCourse, InstalledContent
from courses.models.staff import StaffProfile

__all__ = [
    "COMPLIANT_STATUSES",
    "Activity",
    "ActivityState",
    "AssignmentRule",
    "AssignmentRuleCourse",
    "Attempt",
    "CourseCompletion",
    "CoursePage",
    "Cycle",
    "Enrollment",
    "Grade",
    "InstalledContent",
    "LessonActivity",
    "LessonEntry",
    "LessonPage",
    "LessonProgress",
    "QuizActivity",
    "ReflectionActivity",
    "RefresherPolicy",
    "Renewal",
    "StaffProfile",
    "Status",
    "SubmissionError",
    "TrainingIndexPage",
    "Validity",
    "ValidityChange",
    "learner_records_under",
    "localize_courses",
    "required_on",
    "rule_progress",
]
