"""Small activities of the module types, for tests that need one of each."""

from courses.testing import publish
from modules.active_listening.models import ListeningActivity
from modules.angry_customer.models import ScenarioActivity
from modules.empowerment.models import EmpowermentActivity


def make_scenario(title: str = "A short call"):
    reply = {"text": "I am sorry.", "next": "end", "feedback": "Good.", "skills": {"apologise": 1}}
    return publish(
        ScenarioActivity.from_content(
            {
                "title": title,
                "start": "open",
                "steps": [{"key": "open", "situation": "", "customer_says": "Hello?", "replies": [reply]}],
                "endings": [{"key": "end", "title": "Done", "text": "Bye."}],
            }
        )
    )


def make_cases(title: str = "Decide"):
    offers = [
        {"text": "Do it now.", "fits": "resolve", "feedback": "Quick."},
        {"text": "Ask and call back.", "fits": "escalate", "feedback": "Owned."},
    ]
    case = {"situation": "A kettle.", "customer_says": "It leaks.", "action": "refund", "amount": 100, "offers": offers}
    return publish(EmpowermentActivity.from_content({"title": title, "cases": [case]}))


def make_listening(title: str = "Hear it"):
    moment = {
        "customer_says": "Nobody calls back.",
        "feelings": [{"text": "Ignored", "correct": True}, {"text": "Curious", "correct": False}],
        "paraphrases": [
            {"text": "You have been left waiting.", "correct": True, "feedback": "Heard."},
            {"text": "Please hold.", "correct": False, "feedback": "No."},
        ],
    }
    return publish(ListeningActivity.from_content({"title": title, "moments": [moment]}))
