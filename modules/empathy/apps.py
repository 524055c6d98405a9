from django.utils.translation import gettext_lazy as _

from courses import module_config


class EmpathyConfig(module_config.TrainingModuleConfig):
    name = "modules.empathy"
    label = "empathy"
    verbose_name = _("Empathy")
    module_order = 1
