from django.db.models.signals import post_save

from courses.models import LearningPath, StaffProfile


def enrol_new_hire_in_onboarding(sender, instance: StaffProfile, created: bool, raw: bool = False, **kwargs) -> None:
    """A new hire's profile, once created, enrols them in every onboarding path."""
    if created and not raw and instance.is_new_hire:
        for path in LearningPath.objects.onboarding().prefetch_related("steps__course"):
            path.enrol(instance.user)


def connect() -> None:
    post_save.connect(enrol_new_hire_in_onboarding, sender=StaffProfile, dispatch_uid="courses_onboarding")
