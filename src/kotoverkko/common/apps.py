from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kotoverkko.common"
    label = "common"
    verbose_name = "Common"
