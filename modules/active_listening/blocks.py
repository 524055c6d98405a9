from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

#: The file types a clip may be, each played by the browser's own <audio> or <video> element.
AUDIO_EXTENSIONS = {"mp3", "m4a", "oga", "ogg", "opus", "wav"}
VIDEO_EXTENSIONS = {"mp4", "webm"}


def clip_kind(document) -> str | None:
    """``"audio"`` or ``"video"``: how the browser plays ``document``; ``None`` when it plays neither."""
    extension = document.file_extension.lower()
    if extension in AUDIO_EXTENSIONS:
        return "audio"
    return "video" if extension in VIDEO_EXTENSIONS else None


class FeelingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Feeling"))
    correct = blocks.BooleanBlock(required=False, label=_("This is the feeling"))


class ParaphraseBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Paraphrase"))
    correct = blocks.BooleanBlock(required=False, label=_("This is the best paraphrase"))
    feedback = blocks.TextBlock(label=_("Feedback"))


class MomentBlock(blocks.StructBlock):
    """Something a customer says, the feeling behind it, and the paraphrase that shows it was heard."""

    customer_says = blocks.TextBlock(label=_("The customer says"))
    clip = DocumentChooserBlock(
        required=False,
        label=_("Recording"),
        help_text=_("Optional: the customer saying it, as an audio or video file (MP3, M4A, OGG, WAV, MP4, WebM)."),
    )
    transcript = blocks.TextBlock(
        required=False, label=_("Transcript"), help_text=_("Everything heard in the recording. Needed with one.")
    )
    feelings = blocks.ListBlock(FeelingBlock(), min_num=2, label=_("Feelings to choose from"))
    paraphrases = blocks.ListBlock(ParaphraseBlock(), min_num=2, label=_("Paraphrases to choose from"))

    class Meta:
        icon = "comment"
        label = _("Moment")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name in ("feelings", "paraphrases"):
            if sum(1 for option in value[name] if option["correct"]) != 1:
                errors[name] = ValidationError(_("Mark exactly one option as correct."))
        if value["clip"] and clip_kind(value["clip"]) is None:
            errors["clip"] = ValidationError(_("Choose an audio or video file that browsers play."))
        if value["clip"] and not value["transcript"].strip():
            errors["transcript"] = ValidationError(_("Write what the recording says, for those who cannot hear it."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value
