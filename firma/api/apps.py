from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "firma.api"
    verbose_name = "API"
