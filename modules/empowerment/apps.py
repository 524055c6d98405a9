from django.utils.translation import gettext_lazy as _

from courses import module_config


class EmpowermentConfig(module_config.TrainingModuleConfig):
    name = "modules.empowerment"
    label = "empowerment"
    verbose_name = _("Empowerment")
    module_order = 4

    def install_defaults(self) -> None:
        """A site's first matrix gets the default rules; one that exists is the organisation's own."""
        from modules.empowerment.models import EmpowermentMatrix

        if not EmpowermentMatrix.objects.exists():
            EmpowermentMatrix.load().add_default_rules()
