"""Wrong passwords meet a throttle on the training login and the admin login alike, counted in the database."""

import pytest
from axes.models import AccessAttempt

from courses.testing import make_user

LOGINS = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("url", LOGINS)
def test_the_fifth_wrong_password_locks_the_account_out(client, index, url):
    make_user("clerk")

    statuses = [client.post(url, {"username": "clerk", "password": f"wrong-{n}"}).status_code for n in range(30)]

    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    assert AccessAttempt.objects.get(username="clerk").failures_since_start >= 5


@pytest.mark.parametrize("url", LOGINS)
def test_a_locked_out_account_is_refused_even_the_right_password_with_a_reason(client, index, url):
    make_user("clerk")
    for n in range(5):
        client.post(url, {"username": "clerk", "password": f"wrong-{n}"})

    response = client.post(url, {"username": "clerk", "password": "clerk"})

    assert response.status_code == 429
    assert "Too many attempts to log in" in response.text
    assert "_auth_user_id" not in client.session


def test_a_lockout_on_one_login_holds_on_the_other(client, index):
    make_user("clerk")
    for n in range(5):
        client.post("/accounts/login/", {"username": "clerk", "password": f"wrong-{n}"})

    assert client.post("/admin/login/", {"username": "clerk", "password": "clerk"}).status_code == 429


def test_a_right_password_before_the_limit_logs_in_and_resets_the_count(client, index):
    make_user("clerk")
    for n in range(4):
        client.post("/accounts/login/", {"username": "clerk", "password": f"wrong-{n}"})

    response = client.post("/accounts/login/", {"username": "clerk", "password": "clerk"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk").exists()
