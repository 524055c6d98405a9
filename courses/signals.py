from django.dispatch import Signal

#: Sent once per recorded course completion, after its transaction commits.
#: Arguments: ``completion``, a :class:`courses.models.CourseCompletion`.
course_completed = Signal()

#: Sent after each run of the daily sweep (``courses.refreshers.run_sweep``), once its work is committed.
#: Arguments: ``day``, the date swept. Apps with daily work of their own (reminders) connect to it.
sweep_finished = Signal()
