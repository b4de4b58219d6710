"""Django app for the Simulator: only its management command needs Django."""

from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "playground.simulator"
    label = "simulator"
    verbose_name = "Simulator"
