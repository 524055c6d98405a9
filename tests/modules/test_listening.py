"""Listening exercises: the feeling behind the words, and the paraphrase that shows it was heard."""

import pytest
from django.core.files.base import ContentFile
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.models import Document

from courses.models import SubmissionError
from courses.testing import query_dict
from modules.active_listening.blocks import MomentBlock
from modules.active_listening.models import ListeningActivity


@pytest.fixture
def exercise(db):
    activity = ListeningActivity.from_content(
        {
            "title": "Hear it",
            "moments": [
                {
                    "customer_says": "I have called three times and nobody calls back.",
                    "feelings": [{"text": "Ignored", "correct": True}, {"text": "Curious", "correct": False}],
                    "paraphrases": [
                        {"text": "You have been left waiting for an answer.", "correct": True, "feedback": "Heard."},
                        {"text": "Please hold.", "correct": False, "feedback": "Skips the feeling."},
                    ],
                }
            ],
        }
    )
    activity.save()
    return ListeningActivity.objects.get(pk=activity.pk)


def answers(exercise, feeling: int, paraphrase: int):
    feeling_q, paraphrase_q = exercise.question_list
    return query_dict(
        {
            feeling_q.field_name: feeling_q.choices[feeling].id,
            paraphrase_q.field_name: paraphrase_q.choices[paraphrase].id,
        }
    )


def test_naming_the_feeling_and_paraphrasing_well_scores_100(exercise):
    grade = exercise.grade(exercise.clean_submission(answers(exercise, 0, 0)), pass_mark=80)
    assert (grade.score, grade.passed) == (100, True)


def test_each_part_counts_half(exercise):
    grade = exercise.grade(exercise.clean_submission(answers(exercise, 0, 1)), pass_mark=80)
    paraphrase_q = exercise.question_list[1]
    assert (grade.score, grade.passed) == (50, False)
    best, chosen = paraphrase_q.choices
    marks = {chosen.id: "wrong", best.id: "missed"}
    assert grade.feedback[paraphrase_q.field_name] == {"correct": False, "marks": marks}


def test_a_paraphrase_offered_as_a_feeling_is_refused(exercise):
    feeling_q, paraphrase_q = exercise.question_list
    data = query_dict(
        {feeling_q.field_name: paraphrase_q.choices[0].id, paraphrase_q.field_name: paraphrase_q.choices[0].id}
    )
    with pytest.raises(SubmissionError) as refused:
        exercise.clean_submission(data)
    assert feeling_q.field_name in refused.value.errors


@pytest.mark.parametrize(
    ("file_name", "transcript", "error"),
    [("notes.txt", "Nobody calls back.", "clip"), ("moment.mp3", "", "transcript")],
    ids=["not-a-recording", "no-transcript"],
)
def test_a_recording_must_be_playable_and_transcribed(db, settings, tmp_path, file_name, transcript, error):
    settings.MEDIA_ROOT = tmp_path
    clip = Document.objects.create(title="Clip", file=ContentFile(b"...", name=file_name))
    block = MomentBlock()
    value = block.to_python(
        {
            "customer_says": "Nobody calls back.",
            "clip": clip.pk,
            "transcript": transcript,
            "feelings": [{"text": "Ignored", "correct": True}, {"text": "Curious", "correct": False}],
            "paraphrases": [
                {"text": "You were left waiting.", "correct": True, "feedback": "Heard."},
                {"text": "Please hold.", "correct": False, "feedback": "No."},
            ],
        }
    )
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert set(refused.value.block_errors) == {error}
