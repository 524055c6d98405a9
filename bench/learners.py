"""The learners bench/load.py sends: locust users who log in, then open the dashboard, open lessons and
submit quizzes. Read by ``locust -f``; the plan (accounts, lessons, answers) comes from bench/load.py
in the TRAINING_LOAD_PLAN variable, the waiting from TRAINING_LOAD_WAIT ("1-3" seconds, or "0").
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, constant, task

from bench.stack import behind_tls_proxy

PLAN = json.loads(os.environ["TRAINING_LOAD_PLAN"])
ACCOUNTS = itertools.cycle(PLAN["usernames"])
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def wait_time_from(setting: str):
    low, _, high = setting.partition("-")
    return between(float(low), float(high)) if high else constant(float(low))


class Learner(HttpUser):
    """One member of staff working through the assigned course."""

    wait_time = wait_time_from(os.environ.get("TRAINING_LOAD_WAIT", "1-3"))

    def on_start(self) -> None:
        behind_tls_proxy(self.client, self.host)
        username = next(ACCOUNTS)
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF_FIELD.search(page.text).group(1)
        data = {"csrfmiddlewaretoken": token, "username": username, "password": PLAN["password"]}
        with self.client.post("/accounts/login/", data, name="log in", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"log in answered {r.status_code}")

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/my-training/", name="dashboard")

    @task(3)
    def lesson(self) -> None:
        self.client.get(random.choice(PLAN["lessons"])["url"], name="lesson")

    @task(2)
    def quiz(self) -> None:
        lesson = random.choice(PLAN["lessons"])
        data = {**lesson["answers"], "csrfmiddlewaretoken": self.client.cookies["csrftoken"]}
        url = f"{lesson['url']}activities/{lesson['quiz']}/"
        with self.client.post(url, data, name="submit quiz", allow_redirects=False, catch_response=True) as r:
            if r.status_code not in (200, 302):
                r.failure(f"quiz answered {r.status_code}")
