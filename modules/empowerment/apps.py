from django.utils.translation import gettext_lazy as _

from courses.module_config import TrainingModuleConfig


class EmpowermentConfig(TrainingModuleConfig):
    name = "modules.empowerment"
    label = "empowerment"
    verbose_name = _("Empowerment")
    module_order = 4
