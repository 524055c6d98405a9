from django.utils.translation import gettext_lazy as _

from courses.module_config import TrainingModuleConfig


class EmpathyConfig(TrainingModuleConfig):
    name = "modules.empathy"
    label = "empathy"
    verbose_name = _("Empathy")
    module_order = 1
