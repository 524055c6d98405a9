from django.dispatch import Signal

#: Sent once per recorded course completion, after its transaction commits.
#: Arguments: ``completion``, a :class:`courses.models.CourseCompletion`.
course_completed = Signal()
