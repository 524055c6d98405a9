import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale

from courses.roles import set_up_roles
from courses.testing import make_course, make_lesson, make_quiz, make_reflection, make_training_site, make_user


@pytest.fixture(autouse=True)
def english():
    """Start each test in English: a request in Persian leaves Persian active in its thread."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Start each test with an empty cache: Wagtail keeps site and permission data there."""
    cache.clear()


@pytest.fixture
def index(db):
    """The English training index, home of the default site; it has a Persian translation."""
    return make_training_site()


@pytest.fixture
def fa(index):
    return Locale.objects.get(language_code="fa")


@pytest.fixture
def quiz(db):
    return make_quiz()


@pytest.fixture
def reflection(db):
    return make_reflection()


@pytest.fixture
def course(index, quiz, reflection):
    """A course of two lessons: a quiz in the first, a reflection in the second."""
    course = make_course(index, "Listening basics", pass_mark=80)
    make_lesson(course, "Listen first", activities=[quiz])
    make_lesson(course, "Reflect", activities=[reflection])
    return course


@pytest.fixture
def learner(db):
    return make_user("learner")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def admin_client(client, index):
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def trainer_client(client, index):
    """Logged in as a member of the demo's Trainers group, with its permissions only."""
    set_up_roles()
    trainer = make_user("trainer")
    trainer.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(trainer)
    return client
