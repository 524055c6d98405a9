from courses.models.activities import (
    Activity,
    ActivityState,
    Grade,
    QuizActivity,
    ReflectionActivity,
    SubmissionError,
)
from courses.models.learners import (
    Attempt,
    CourseCompletion,
    Enrollment,
    LessonProgress,
    learner_records_under,
    localize_courses,
)
from courses.models.pages import CoursePage, LessonActivity, LessonPage, TrainingIndexPage
from courses.models.paths import InstalledContent, LearningPath, LearningPathStep
from courses.models.staff import StaffProfile

__all__ = [
    "Activity",
    "ActivityState",
    "Attempt",
    "CourseCompletion",
    "CoursePage",
    "Enrollment",
    "Grade",
    "InstalledContent",
    "LearningPath",
    "LearningPathStep",
    "LessonActivity",
    "LessonPage",
    "LessonProgress",
    "QuizActivity",
    "ReflectionActivity",
    "StaffProfile",
    "SubmissionError",
    "TrainingIndexPage",
    "learner_records_under",
    "localize_courses",
]
