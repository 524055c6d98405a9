from courses.models.activities import (
    Activity,
    ActivityState,
    Grade,
    QuizActivity,
    ReflectionActivity,
    SubmissionError,
)
from courses.models.learners import Attempt, CourseCompletion, Enrollment, LessonProgress, localize_courses
from courses.models.pages import CoursePage, LessonActivity, LessonPage, TrainingIndexPage
from courses.models.paths import LearningPath, LearningPathStep
from courses.models.staff import StaffProfile

__all__ = [
    "Activity",
    "ActivityState",
    "Attempt",
    "CourseCompletion",
    "CoursePage",
    "Enrollment",
    "Grade",
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
    "localize_courses",
]
