from django.utils.translation import gettext_lazy as _

from courses import module_config


class AngryCustomerConfig(module_config.TrainingModuleConfig):
    name = "modules.angry_customer"
    label = "angry_customer"
    verbose_name = _("Handling angry customers")
    module_order = 3
