"""The base of a training module app's configuration."""

from pathlib import Path

from django.apps import AppConfig


class TrainingModuleConfig(AppConfig):
    """Subclass this in a module app's ``apps.py`` (as ``module_config.TrainingModuleConfig``, so that Django
    finds the subclass as the app's only configuration).

    ``manage.py load_training_modules`` installs the course of every installed module
    app, in ``module_order``, from its ``content/<language>.toml`` files (see
    ``docs/content-format.md``).
    """

    default_auto_field = "django.db.models.BigAutoField"
    #: Where the module's course comes in the onboarding path.
    module_order = 100

    @property
    def content_dir(self) -> Path:
        return Path(self.path) / "content"

    def install_defaults(self) -> None:
        """Create what the module's content needs before it is installed. Must be idempotent."""
