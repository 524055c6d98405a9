from django.utils.translation import gettext_lazy as _

from courses import module_config


class ActiveListeningConfig(module_config.TrainingModuleConfig):
    name = "modules.active_listening"
    label = "active_listening"
    verbose_name = _("Active listening")
    module_order = 2
